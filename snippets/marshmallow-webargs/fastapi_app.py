"""marshmallow and webargs' job in FastAPI: Pydantic models for the body and the query.

Run it with: fastapi dev fastapi_app.py
"""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


Name = Annotated[str, Field(min_length=1, max_length=50)]
Age = Annotated[int, Field(ge=0, le=150)]


def not_reserved(value: str | None) -> str | None:
    if value is not None and value.lower() == "admin":
        raise ValueError("This name is reserved.")
    return value


class UserIn(BaseModel):  # UserSchema's loaded fields
    model_config = ConfigDict(extra="forbid")  # unknown = RAISE

    name: Name
    email: EmailStr
    age: Age = None  # may be left out, not sent as null (marshmallow's allow_none=False)

    _name = field_validator("name")(not_reserved)  # @validates("name")


class UserPatch(BaseModel):  # UserSchema(partial=True): every field optional, none nullable
    model_config = ConfigDict(extra="forbid")

    name: Name = None  # a default is not validated; a null sent by the client is refused
    email: EmailStr = None
    age: Age = None

    _name = field_validator("name")(not_reserved)


class UserOut(BaseModel):  # UserSchema's dumped fields
    id: int
    name: str
    email: str
    age: int | None
    url: str


class SearchArgs(BaseModel):  # SearchSchema; extra="ignore" (the default) is unknown = EXCLUDE
    q: str = ""
    limit: int = Field(10, ge=1, le=100)


USERS = {1: {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 36}}


def dump(request: Request, user: dict) -> UserOut:
    return UserOut(**user, url=request.app.url_path_for("get_user", user_id=user["id"]))


def find(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(404, "Unknown user.")
    return USERS[user_id]


@app.get("/users")
def search_users(
    args: Annotated[SearchArgs, Query()], request: Request
) -> dict[str, list[UserOut]]:
    found = [u for u in USERS.values() if args.q.lower() in u["name"].lower()]
    return {"users": [dump(request, u) for u in found[: args.limit]]}


@app.get("/users/{user_id}")
def get_user(user_id: int, request: Request) -> UserOut:
    return dump(request, find(user_id))


@app.post("/users", status_code=201)
def create_user(user: UserIn, request: Request) -> UserOut:
    user_id = max(USERS) + 1
    USERS[user_id] = {"id": user_id, **user.model_dump()}
    return dump(request, USERS[user_id])


@app.patch("/users/{user_id}")
def update_user(user_id: int, changes: UserPatch, request: Request) -> UserOut:
    stored = find(user_id)
    stored |= changes.model_dump(exclude_unset=True)  # only the keys the client sent
    return dump(request, stored)
