"""An app builder with two routers, in one file. Run it with: fastapi dev fastapi_app.py

In a real project each section below is its own module (users.py, items.py, and the
builder in main.py); here they share one file so that the page can show them side by side.
"""

import os
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# From the environment (or a secrets store), never written in the code.
API_TOKEN = secret("API_TOKEN")

# --8<-- [start:users]
users = APIRouter(prefix="/users", tags=["users"])

USERS = {1: {"id": 1, "name": "Ada"}, 2: {"id": 2, "name": "Grace"}}


@users.get("/")
def list_users():
    return list(USERS.values())


@users.get("/{user_id}")
def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


# --8<-- [end:users]


# --8<-- [start:items]
def verify_token(x_token: Annotated[str, Header()]) -> None:
    # A dependency, not a hook: a *required* header, so a missing one is a 422
    # validation error, and it appears in the OpenAPI docs of every route below.
    if x_token != API_TOKEN:
        raise HTTPException(status_code=403, detail="Invalid X-Token header")


items = APIRouter(prefix="/items", tags=["items"], dependencies=[Depends(verify_token)])

ITEMS = {1: {"id": 1, "name": "Hammer"}}


@items.get("/")
def list_items():
    return list(ITEMS.values())


@items.get("/{item_id}")
def get_item(item_id: int):
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return ITEMS[item_id]


# --8<-- [end:items]


# --8<-- [start:factory]
def create_app() -> FastAPI:
    app = FastAPI()
    app.include_router(users)
    app.include_router(items)
    return app


app = create_app()
# --8<-- [end:factory]
