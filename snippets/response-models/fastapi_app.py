"""Hiding fields in FastAPI with a response model. Run it with: fastapi dev fastapi_app.py"""

import hashlib

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()


def hash_password(password: str) -> str:
    # A stand-in so the example needs no extra package; use a real password hasher
    # (pwdlib, argon2) in an application, as the authentication page shows.
    return "sha256$" + hashlib.sha256(password.encode()).hexdigest()


class UserIn(BaseModel):  # what a client sends
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
