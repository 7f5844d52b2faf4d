"""CSRF protection with Flask-WTF. Run it with: flask --app flask_app run"""

import os
from hmac import compare_digest
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFProtect, generate_csrf


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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
