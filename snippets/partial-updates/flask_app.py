"""Partial updates in Flask: change only the keys sent. Run: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)

USERS = {1: {"id": 1, "username": "ada", "about_me": "Mathematician"}}


def check(data):
    """The app's own validation: the error message, or None when the update is valid."""
    if not isinstance(data, dict):
        return "the body must be a JSON object"
    if unknown := sorted(set(data) - {"username", "about_me"}):
        return f"unknown field: {unknown[0]}"
    if "username" in data:  # present: must be a non-empty string; null is refused
        username = data["username"]
        if not isinstance(username, str) or not 1 <= len(username) <= 32:
            return "username must be a string of 1 to 32 characters"
    if "about_me" in data:  # present: a string, or null to clear it
        about_me = data["about_me"]
        if about_me is not None and (not isinstance(about_me, str) or len(about_me) > 140):
            return "about_me must be null or a string of at most 140 characters"
    return None


@app.get("/users/<int:user_id>")
def get_user(user_id):
    if user_id not in USERS:
        return {"error": "user not found"}, 404
    return USERS[user_id]


@app.route("/users/<int:user_id>", methods=["PUT", "PATCH"])
def update_user(user_id):
    if user_id not in USERS:
        return {"error": "user not found"}, 404
    data = request.get_json(silent=True)  # None for malformed JSON or another content type
    if error := check(data):
        return {"error": error}, 400
    # Only the keys that were sent: `{}` changes nothing, `"about_me": null` clears it.
    USERS[user_id].update(data)
    return USERS[user_id]
