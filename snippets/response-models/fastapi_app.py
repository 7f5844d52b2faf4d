"""Hiding fields in FastAPI with a response model. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


# Argon2id at OWASP's minimum cost, as on the authentication page; never a plain hash.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))


def hash_password(password: str) -> str:
    return password_hash.hash(password)  # salted and slow: "$argon2id$v=19$..."


class UserIn(BaseModel):  # what a client sends
    # No lone surrogate: JSON cannot carry it back (see "Hostile input").
    model_config = ConfigDict(str_max_length=1_000)

    username: str
    email: str
    full_name: str | None = None
    password: str


class UserOut(BaseModel):  # what a client may see
    id: int
    username: str
    email: str
    full_name: str | None = None


class UserInDB(UserOut):  # what the app stores: the public fields plus the hash
    hashed_password: str


users: dict[int, UserInDB] = {
    1: UserInDB(
        id=1,
        username="alice",
        email="alice@example.com",
        full_name="Alice Liddell",
        hashed_password=hash_password("wonderland"),
    ),
    2: UserInDB(
        id=2, username="bob", email="bob@example.com", hashed_password=hash_password("builder")
    ),
}


@app.get("/users")
def list_users() -> list[UserOut]:
    # The handler returns UserInDB objects; the return type filters each one to UserOut.
    return list(users.values())


@app.get("/users/{user_id}", response_model_exclude_none=True)
def read_user(user_id: int) -> UserOut:
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]


@app.post("/users", response_model=UserOut, status_code=201)
def create_user(user_in: UserIn) -> UserInDB:
    # response_model= wins over the return annotation: the client gets a UserOut.
    user = UserInDB(
        id=max(users) + 1,
        **user_in.model_dump(exclude={"password"}),
        hashed_password=hash_password(user_in.password),
    )
    users[user.id] = user
    return user
