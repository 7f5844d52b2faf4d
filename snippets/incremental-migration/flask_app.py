"""The legacy Flask app, every route still in Flask. Run it with: flask --app flask_app run

In the incremental migration this file does not change: fastapi_app.py mounts it as it is.
LEGACY_SECRET_KEY must be set (it signs the session cookie); there is no default.
"""

import os
from typing import Any

import orjson
from flask import Flask, request, session
from flask.json.provider import DefaultJSONProvider


def require_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"{name} is not set: the app signs its session cookie with it")
    return value


app = Flask(__name__)
DELIBERATE_ERRORS = {"/legacy-boom"}  # answers 500 on purpose (read by the hostile-input test)
app.config.update(
    SECRET_KEY=require_env("LEGACY_SECRET_KEY"),
    # Flask's default cookie name, "session": Starlette's SessionMiddleware uses it too.
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)

USERS = {1: "Ada", 2: "Grace"}


@app.route("/users/<int:user_id>")
def get_user(user_id: int):
    return {"id": user_id, "name": USERS.get(user_id), "served_by": "flask"}


@app.route("/health")
def health():
    return {"status": "ok", "served_by": "flask"}


@app.post("/cart")
def add_to_cart():
    data = request.get_json(silent=True)
    item = data.get("item") if isinstance(data, dict) else None
    if not isinstance(item, str) or not 1 <= len(item) <= 50:
        return {"error": "item must be a string of 1 to 50 characters"}, 400
    session["cart"] = [*session.get("cart", []), item][-20:]  # a cookie holds ~4 kB
    return {"cart": session["cart"]}


@app.get("/cart")
def show_cart():
    return {"cart": session.get("cart", []), "served_by": "flask"}


@app.get("/legacy-boom")
def legacy_boom():
    raise RuntimeError("a bug in a route that has not moved yet")
