"""An API without generated docs, as plain Flask is. Run it with: flask --app flask_app run

Flask has no OpenAPI support of its own: /openapi.json and /docs are 404 here. The
docstrings below are for readers of the code only; nothing publishes them.
"""

import json
import math
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


def finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # NaN, Infinity, 1e999
        raise ValueError(f"{text} is not a finite number")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """get_json() answers 400, not 500 or invalid JSON, to NaN, 1e999 and deep nesting."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:  # json.loads accepts NaN and Infinity, and a deep body exhausts the stack
            return json.loads(s, parse_constant=finite, parse_float=finite, **kwargs)
        except RecursionError:  # not a ValueError, so get_json() would answer 500
            raise ValueError("JSON nested too deeply") from None


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
