"""CORS with Flask-CORS. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS

app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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


@app.get("/boom")
def boom():
    # Flask turns the exception into its 500 before Flask-CORS's after_request hook runs,
    # so the page that called it can read the 500.
    raise RuntimeError("a bug")


# --8<-- [end:views]
