"""HTTP methods in Flask. Run it with: flask --app flask_app run"""

from flask import Flask, abort, request
from flask.views import MethodView

app = Flask(__name__)

ITEMS = {1: {"id": 1, "name": "Hammer"}}


@app.route("/items", methods=["GET", "POST"])  # one view; branch on request.method
def items():
    if request.method == "POST":
        # No "name" is a KeyError, so a 500: see the JSON body topic for validation.
        item = {"id": max(ITEMS, default=0) + 1, "name": request.get_json()["name"]}
        ITEMS[item["id"]] = item
        return item, 201
    return {"items": list(ITEMS.values())}


class ItemAPI(MethodView):  # one method per HTTP verb; the rule accepts those it finds
    def get(self, item_id: int):
        return find(item_id)

    def put(self, item_id: int):
        item = find(item_id)
        item["name"] = request.get_json()["name"]
        return item

    def delete(self, item_id: int):
        del ITEMS[find(item_id)["id"]]
        return "", 204


app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))


def find(item_id: int) -> dict:
    if item_id not in ITEMS:
        abort(404)
    return ITEMS[item_id]


@app.route("/webhook", methods=["POST"])  # OPTIONS is still answered for you
def webhook():
    return {"received": True}


@app.route("/ping")  # GET, and HEAD and OPTIONS come for free
def ping():
    return {"pong": True}
