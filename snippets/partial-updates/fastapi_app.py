"""Partial updates in FastAPI: change only the keys sent. Run: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


USERS = {1: {"id": 1, "username": "ada", "about_me": "Mathematician"}}


class User(BaseModel):
    id: int
    username: str
    about_me: str | None


class UserUpdate(BaseModel):
    """Every field optional; `model_dump(exclude_unset=True)` tells absent from null."""

    model_config = ConfigDict(extra="forbid")  # an unknown key is a 422, as Flask's app refuses it

    username: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    about_me: Annotated[str, Field(max_length=140)] | None = None

    @field_validator("username")
    @classmethod
    def username_is_not_null(cls, value: str | None) -> str:
        # Validators run on values that were sent, never on defaults: only an explicit
        # `"username": null` reaches this, and a user must keep a name.
        if value is None:
            raise ValueError("username may not be null")
        return value


@app.get("/users/{user_id}")
def get_user(user_id: int) -> User:
    if user_id not in USERS:
        raise HTTPException(404, "user not found")
    return User(**USERS[user_id])


@app.put("/users/{user_id}")
@app.patch("/users/{user_id}")  # stacked, not api_route(methods=[...]): one operationId each
def update_user(user_id: int, update: UserUpdate) -> User:
    if user_id not in USERS:
        raise HTTPException(404, "user not found")
    # exclude_unset: only the keys that were sent. `{}` changes nothing, and an explicit
    # `"about_me": null` is kept (it clears the field) while an absent key is dropped.
    USERS[user_id].update(update.model_dump(exclude_unset=True))
    return User(**USERS[user_id])
