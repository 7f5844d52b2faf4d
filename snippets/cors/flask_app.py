"""CORS with Flask-CORS. Run it with: flask --app flask_app run"""

import json
import math
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS

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


CORS(
    app,
    origins=["https://app.example.com"],  # the default is "*": every origin
    methods=["GET", "POST"],
    allow_headers=["Content-Type", "Authorization"],  # the default is "*"
    supports_credentials=True,  # cookies and Authorization from the browser
    max_age=600,  # the default sends no Access-Control-Max-Age
)


@app.get("/items")
def list_items():
    return [{"id": 1, "name": "hammer"}]


@app.post("/items")
def create_item():
    data = request.get_json()
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return {"error": "name must be a string"}, 400
    return {"id": 2, "name": data["name"]}, 201


# --8<-- [end:views]
