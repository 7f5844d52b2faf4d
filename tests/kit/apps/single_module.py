"""A single-module Flask app: the first shape the kit must map (test data, never served)."""

import os

from flask import Flask, abort, jsonify, redirect, request, url_for
from flask.views import MethodView

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SINGLE_SECRET", "")
app.config["MAX_CONTENT_LENGTH"] = 1024
app.config["GREETING"] = "hello"


@app.route("/")
def index():
    return "<h1>Home</h1>"


@app.route("/users/<int:user_id>", methods=["GET", "DELETE"])
def user(user_id):
    if user_id > 100:
        abort(404)
    return jsonify(id=user_id)


@app.get("/files/<path:name>")
def files(name):
    return {"name": name}


@app.post("/orders/")
def create_order():
    data = request.get_json()
    return {"order": data}, 201


@app.get("/old")
def old():
    return redirect(url_for("index"))


@app.get("/shapes/<any(circle, square):kind>/<float(min=0):size>")
def shape(kind, size):
    return {"kind": kind, "size": size}


class ItemAPI(MethodView):
    def get(self):
        return {"items": []}

    def post(self):
        return {"created": True}, 201


app.add_url_rule("/items", view_func=ItemAPI.as_view("items"))
