"""An app factory with two blueprints, in one file. Run it with: flask --app flask_app run

In a real project each section below is its own module (users.py, items.py, and the
factory in __init__.py); here they share one file so that the page can show them side by side.
"""

import os

from flask import Blueprint, Flask, request


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# From the environment (or a secrets store), never written in the code.
API_TOKEN = secret("API_TOKEN")

# --8<-- [start:users]
users = Blueprint("users", __name__, url_prefix="/users")

USERS = {1: {"id": 1, "name": "Ada"}, 2: {"id": 2, "name": "Grace"}}


@users.get("/")
def list_users():
    return list(USERS.values())


@users.get("/<int:user_id>")
def get_user(user_id: int):
    if user_id not in USERS:
        return {"detail": "User not found"}, 404
    return USERS[user_id]


# --8<-- [end:users]


# --8<-- [start:items]
items = Blueprint("items", __name__, url_prefix="/items")

ITEMS = {1: {"id": 1, "name": "Hammer"}}


@items.before_request
def verify_token():
    # Runs before every view of this blueprint (and only this one). Returning a
    # response short-circuits the view.
    if request.headers.get("X-Token") != API_TOKEN:
        return {"detail": "Invalid X-Token header"}, 403
    return None


@items.get("/")
def list_items():
    return list(ITEMS.values())


@items.get("/<int:item_id>")
def get_item(item_id: int):
    if item_id not in ITEMS:
        return {"detail": "Item not found"}, 404
    return ITEMS[item_id]


# --8<-- [end:items]


# --8<-- [start:factory]
def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(users)
    app.register_blueprint(items)
    return app


app = create_app()
# --8<-- [end:factory]
