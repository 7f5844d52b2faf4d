"""Hostile JSON in Flask: read request bodies with orjson. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's provider, reading with orjson: NaN, Infinity, 1e999, nesting deeper than
    1024 and lone surrogates raise a ValueError, so get_json() answers 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # writing stays Flask's own: sorted keys, HTTP dates


app = Flask(__name__)
app.json = StrictJSONProvider(app)
READINGS: dict[str, float] = {}


@app.post("/readings")
def create_reading():
    data = request.get_json()
    if not isinstance(data, dict):  # an array, a string or a number is valid JSON too
        return {"error": "the body must be a JSON object"}, 400
    sensor, value = data.get("sensor"), data.get("value")
    if not isinstance(sensor, str) or not 1 <= len(sensor) <= 100:
        return {"error": "sensor must be a string of 1 to 100 characters"}, 400
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {"error": "value must be a number"}, 400
    READINGS[sensor] = value
    return {"sensor": sensor, "value": value}, 201


@app.get("/readings/<sensor>")
def read_reading(sensor: str):
    if sensor not in READINGS:  # a NUL byte or invalid UTF-8 in the path is just a miss
        return {"error": "no such sensor"}, 404
    return {"sensor": sensor, "value": READINGS[sensor]}
