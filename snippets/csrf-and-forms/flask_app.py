"""CSRF protection with Flask-WTF. Run it with: flask --app flask_app run"""

import json
import math
import os
from hmac import compare_digest
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFProtect, generate_csrf


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


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

app.config["SECRET_KEY"] = secret("SECRET_KEY")
# The session cookie's flags (HttpOnly is on by default); see the sessions page.
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"  # not sent on cross-site POSTs
app.config["SESSION_COOKIE_SECURE"] = os.environ.get("HTTPS_ONLY") == "1"  # set it in production
API_TOKEN = secret("API_TOKEN")

csrf = CSRFProtect(app)  # every POST, PUT, PATCH and DELETE now needs a token

FORM = (
    '<form method="post" action="/profile">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<input name="name"><button>Save</button></form>'
)


@app.get("/profile")
def edit_profile():
    # generate_csrf() keeps a random value in the session and returns a signed copy.
    return FORM.format(token=generate_csrf())


@app.post("/profile")
def save_profile():
    # CSRFProtect has already compared the form's csrf_token with the session's.
    return {"name": request.form["name"]}


@app.post("/api/profile")
@csrf.exempt  # a token API: browsers never add the Authorization header on their own
def api_profile():
    # Bytes: compare_digest raises TypeError on a str that is not ASCII.
    sent = request.headers.get("Authorization", "").encode()
    if not compare_digest(sent, f"Bearer {API_TOKEN}".encode()):
        return {"detail": "Not authenticated"}, 401, {"WWW-Authenticate": "Bearer"}
    data = request.get_json()
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return {"detail": "name must be a string"}, 400
    return {"name": data["name"]}


# --8<-- [end:api]
