"""Hiding fields in Flask: build the public dict by hand. Run it with: flask --app flask_app run"""

from dataclasses import asdict, dataclass
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


# Argon2id at OWASP's minimum cost, as on the authentication page; never a plain hash.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))


def hash_password(password: str) -> str:
    return password_hash.hash(password)  # salted and slow: "$argon2id$v=19$..."


@dataclass
class User:
    id: int
    username: str
    email: str
    full_name: str | None
    hashed_password: str

    def to_public(self) -> dict:
        # Flask serialises whatever the view returns: every view must remember to call this.
        data = asdict(self)
        del data["hashed_password"]
        return data


users: dict[int, User] = {
    1: User(1, "alice", "alice@example.com", "Alice Liddell", hash_password("wonderland")),
    2: User(2, "bob", "bob@example.com", None, hash_password("builder")),
}


@app.get("/users")
def list_users():
    return [user.to_public() for user in users.values()]


@app.get("/users/<int:user_id>")
def read_user(user_id: int):
    user = users.get(user_id)
    if user is None:
        return {"detail": "User not found"}, 404
    # The counterpart of response_model_exclude_none: drop the None values yourself.
    return {k: v for k, v in user.to_public().items() if v is not None}


@app.post("/users")
def create_user():
    data = request.get_json(silent=True)
    fields = ("username", "email", "password")
    if not isinstance(data, dict) or not all(isinstance(data.get(f), str) for f in fields):
        return {"error": "username, email and password are required strings"}, 400
    user = User(
        id=max(users) + 1,
        username=data["username"],
        email=data["email"],
        full_name=data.get("full_name"),
        hashed_password=hash_password(data["password"]),
    )
    users[user.id] = user
    return user.to_public(), 201
