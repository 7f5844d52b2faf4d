"""Custom error handlers in Flask. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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
