"""A JSON request body in Flask. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


# What each field must be. Flask has no schema: the checks below are the app's own code.
# bool is a subclass of int in Python, so `true` would pass as a price without the
# explicit bool check.
FIELDS = {"name": (str,), "price": (int, float)}


@app.post("/items")
def create_item():
    # get_json() aborts with 415 if the Content-Type is not JSON and 400 if the body
    # does not parse; both answers are Werkzeug's HTML error pages.
    data = request.get_json()
    if not isinstance(data, dict):
        return {"error": "the body must be a JSON object"}, 400
    for field, types in FIELDS.items():
        if field not in data:
            return {"error": f"{field} is required"}, 400
        value = data[field]
        if isinstance(value, bool) or not isinstance(value, types):
            return {"error": f"{field} has the wrong type"}, 400
    # Build the result from known fields only: unknown keys are dropped.
    return {"name": data["name"], "price": float(data["price"])}, 201
