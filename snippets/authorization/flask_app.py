"""Roles with Flask-Login and a decorator. Run it with: flask --app flask_app run

Authentication is kept to a minimum here: a demo map from bearer token to user.
The authentication page shows a real login.
"""

import os
from dataclasses import dataclass, field
from functools import wraps

from flask import Flask, request
from flask_login import LoginManager, UserMixin, current_user, login_required


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config["SECRET_KEY"] = secret("SECRET_KEY")


@dataclass
class User(UserMixin):  # no get_id(): only login_user() needs it, and a token API never logs in
    username: str
    scopes: list[str] = field(default_factory=list)


# Opaque tokens from the environment; a real app verifies a signed token.
USERS_BY_TOKEN = {
    secret("ALICE_TOKEN"): User("alice", ["items:read", "items:write"]),
    secret("BOB_TOKEN"): User("bob", ["items:read"]),
}
ITEMS = {1: "hammer", 2: "saw"}
PROFILES = {"alice": "", "bob": ""}  # username -> about_me

login_manager = LoginManager(app)


@login_manager.request_loader  # called for each request: no session cookie involved
def load_user_from_request(req) -> User | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    return USERS_BY_TOKEN.get(token) if scheme.lower() == "bearer" else None


@login_manager.unauthorized_handler  # replaces the default abort(401) HTML page
def unauthorized():
    return {"detail": "Not authenticated"}, 401, {"WWW-Authenticate": "Bearer"}


def scopes_required(*scopes: str):
    """Refuse anonymous users (401), then users lacking a scope (403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not set(scopes) <= set(current_user.scopes):
                challenge = f'Bearer error="insufficient_scope", scope="{" ".join(scopes)}"'
                return {"detail": "Not enough permissions"}, 403, {"WWW-Authenticate": challenge}
            return view(*args, **kwargs)

        return wrapper

    return decorator


@app.get("/users/me")
@login_required  # any logged-in user
def read_me():
    return {"username": current_user.username, "scopes": current_user.scopes}


@app.get("/items")
@scopes_required("items:read")
def list_items():
    return ITEMS


@app.delete("/items/<int:item_id>")
@scopes_required("items:write")
def delete_item(item_id: int):
    ITEMS.pop(item_id, None)
    return "", 204


# --8<-- [start:owner]
@app.put("/users/<username>")
@login_required
def update_profile(username: str):
    # The owner check comes before the body is read: another user gets 403 whatever they sent.
    if username != current_user.username:
        return {"detail": "Not your profile"}, 403
    data = request.get_json(silent=True)  # None for a missing or malformed body
    if not isinstance(data, dict) or not isinstance(data.get("about_me"), str):
        return {"detail": "about_me (a string) is required"}, 400
    PROFILES[username] = data["about_me"]
    return {"username": username, "about_me": data["about_me"]}


# --8<-- [end:owner]
