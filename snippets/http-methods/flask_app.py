"""HTTP methods in Flask. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask.views import MethodView

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


ITEMS = {1: {"id": 1, "name": "Hammer"}}


@app.route("/items", methods=["GET", "POST"])  # one view; branch on request.method
def items():
    if request.method == "POST":
        item = {"id": max(ITEMS, default=0) + 1, "name": name_from_body()}
        ITEMS[item["id"]] = item
        return item, 201
    return {"items": list(ITEMS.values())}


class ItemAPI(MethodView):  # one method per HTTP verb; the rule accepts those it finds
    def get(self, item_id: int):
        return find(item_id)

    def put(self, item_id: int):
        item = find(item_id)
        item["name"] = name_from_body()
        return item

    def delete(self, item_id: int):
        del ITEMS[find(item_id)["id"]]
        return "", 204


app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))


def name_from_body() -> str:
    data = request.get_json()
    # data["name"] alone raises on {} or [] (a 500); see the JSON body topic for validation.
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        abort(400, "name must be a string")
    return data["name"]


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
