"""An API without generated docs, as plain Flask is. Run it with: flask --app flask_app run

Flask has no OpenAPI support of its own: /openapi.json and /docs are 404 here. The
docstrings below are for readers of the code only; nothing publishes them.
"""

from typing import Any

import orjson
from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


ITEMS = {1: {"name": "Hammer", "price": 9.5}}


@app.get("/items/<int:item_id>")
def read_item(item_id: int):
    """Return the item with this id, or 404."""
    if item_id not in ITEMS:
        abort(404)
    return ITEMS[item_id]


@app.post("/items")
def create_item():
    """Add an item to the inventory."""
    data = request.get_json()
    # The checks a schema would express, by hand (and undocumented).
    if not isinstance(data, dict):
        abort(400)
    name, price = data.get("name"), data.get("price")
    if not isinstance(name, str) or not isinstance(price, int | float) or price <= 0:
        abort(400)
    item = {"name": name, "price": price}
    ITEMS[len(ITEMS) + 1] = item
    return item, 201
