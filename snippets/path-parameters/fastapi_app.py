"""Path parameters in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated
from uuid import UUID

from fastapi import FastAPI, Path

app = FastAPI()


@app.get("/tags/{name}")  # one segment without "/", as in Flask
def tag(name: str):
    return {"name": name}


@app.get("/users/me")  # routes are tried in order: declare this before {user_id}
def me():
    return {"user_id": "me"}


@app.get("/users/{user_id}")  # the annotation converts; "abc" → 422, "-1" → -1
def user(user_id: int):
    return {"user_id": user_id}


@app.get("/offsets/{offset}")  # int already takes a sign: nothing to add
def offset(offset: int):
    return {"offset": offset}


@app.get("/pages/{number}")  # a constraint, checked after matching: 0 → 422
def page(number: Annotated[int, Path(ge=1)]):
    return {"number": number}


@app.get("/files/{filepath:path}")  # the `:path` convertor goes in the path string
def file(filepath: str):
    return {"filepath": filepath}


@app.get("/orders/{order_id}")  # with or without hyphens; the function gets a UUID
def order(order_id: UUID):
    return {"order_id": str(order_id), "version": order_id.version}
