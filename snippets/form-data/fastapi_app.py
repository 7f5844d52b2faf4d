"""Form fields in FastAPI (needs python-multipart). Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


# --8<-- [start:fields]
@app.post("/orders")
def create_order(
    item: Annotated[str, Form()],  # missing → 422 with a JSON error body
    quantity: Annotated[int, Form()] = 1,  # "abc" → 422, not a silent default
    tag: Annotated[list[str] | None, Form()] = None,  # repeated fields: tag=a&tag=b
):
    return {"item": item, "quantity": quantity, "tags": tag or []}


# --8<-- [end:fields]


# --8<-- [start:model]
class Signup(BaseModel):
    username: str = Field(min_length=3)
    age: int


@app.post("/signup")
def signup(data: Annotated[Signup, Form()]):
    # Form() on a model: each field is read from the form, not from a JSON body.
    return data.model_dump()


# --8<-- [end:model]


# --8<-- [start:empty]
@app.post("/profile")
def update_profile(username: Annotated[str, Form()] = ""):
    # FastAPI reads an empty form field as absent: without the default, `username=` would
    # be a 422 "missing" before this function runs. With it, the view decides, as in
    # Flask, and an absent field gets this 400 too instead of Flask's 400 page.
    if not username:
        return JSONResponse({"error": "Username is required."}, status_code=400)
    return {"username": username}


# --8<-- [end:empty]


# --8<-- [start:limits]
# Starlette's defaults: 1 MiB per text field (max_part_size), 1000 fields and 1000 files;
# over any of them, 400. Form() parameters use them; request.form() takes its own.
@app.post("/notes")
async def create_note(request: Request):
    # `async with` closes any uploaded file the form holds once the view is done.
    async with request.form(max_part_size=2 * 1024 * 1024) as form:  # text up to 2 MiB
        text = form.get("text")
    if not isinstance(text, str):  # absent, or a file sent in its place
        return JSONResponse({"error": "text is required."}, status_code=400)
    return {"length": len(text)}


# --8<-- [end:limits]
