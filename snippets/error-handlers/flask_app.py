"""Custom error handlers in Flask. Run it with: flask --app flask_app run"""

import json
import math
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)


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


ITEMS = {1: {"id": 1, "name": "Widget", "price": 9.5}}
FIELDS = {"name": (str,), "price": (int, float)}


class ItemNotFound(Exception):
    def __init__(self, item_id):
        super().__init__(item_id)
        self.item_id = item_id


@app.errorhandler(ItemNotFound)
def item_not_found(exc):
    return {"error": "Not Found", "message": f"Item {exc.item_id} does not exist"}, 404


@app.errorhandler(HTTPException)
def http_error(exc):
    # Every HTTP error (unknown route, wrong method, abort()) as JSON. get_response()
    # keeps the headers Werkzeug set, such as Allow on a 405.
    response = exc.get_response()
    response.content_type = "application/json"
    response.data = app.json.dumps({"error": exc.name})
    return response


@app.errorhandler(500)
def server_error(exc):
    # Called for any unhandled exception (exc is an InternalServerError wrapping it).
    return {"error": "Internal Server Error"}, 500


@app.get("/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        raise ItemNotFound(item_id)
    return ITEMS[item_id]


@app.post("/items")
def create_item():
    # The contract clients already depend on: 400 {"error": ..., "fields": {...}},
    # every field checked, "required" or "invalid" per field.
    data = request.get_json(silent=True)  # None instead of Werkzeug's 400/415 pages
    if not isinstance(data, dict):
        return {"error": "invalid request", "fields": {"body": "invalid"}}, 400
    fields = {}
    for field, types in FIELDS.items():
        if field not in data:
            fields[field] = "required"
        elif isinstance(data[field], bool) or not isinstance(data[field], types):
            fields[field] = "invalid"
    if fields:
        return {"error": "invalid request", "fields": fields}, 400
    return {"name": data["name"], "price": float(data["price"])}, 201


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
