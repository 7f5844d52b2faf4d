"""Flask-HTTPAuth: Basic and Bearer token authentication, with roles.

Run it with: flask --app flask_app run
Needs ALICE_PASSWORD, BOB_PASSWORD and ALICE_TOKEN in the environment; it refuses to start
without them.
"""

import hmac
import os
from dataclasses import dataclass

from flask import Flask, Request
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


class SafeRequest(Request):
    @property
    def authorization(self):
        try:
            return super().authorization
        except ValueError:  # Werkzeug's Basic parser raises it on a non-ASCII header: a 500
            return None


app = Flask(__name__)
app.request_class = SafeRequest
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))


@dataclass
class User:
    name: str
    hashed_password: str
    roles: tuple[str, ...]


USERS = {
    "alice": User("alice", password_hash.hash(secret("ALICE_PASSWORD")), ("admin",)),
    "bob": User("bob", password_hash.hash(secret("BOB_PASSWORD")), ("user",)),
}
TOKENS = {secret("ALICE_TOKEN"): USERS["alice"]}

basic_auth = HTTPBasicAuth()  # realm="Authentication Required" unless given realm=...


@basic_auth.verify_password
def verify_password(username: str, password: str) -> User | None:
    # Called with ("", "") when the request has no credentials at all.
    user = USERS.get(username)
    hashed = user.hashed_password if user else USERS["alice"].hashed_password  # same cost
    return user if password_hash.verify(password, hashed) and user else None


@basic_auth.get_user_roles
def get_user_roles(user: User) -> tuple[str, ...]:
    return user.roles


token_auth = HTTPTokenAuth(scheme="Bearer")


@token_auth.verify_token
def verify_token(token: str) -> User | None:
    found = None
    for known, user in TOKENS.items():  # compare with every token, in constant time, as bytes
        if hmac.compare_digest(token.encode(), known.encode()):
            found = user
    return found


def auth_error(status: int):
    # Flask-HTTPAuth adds its WWW-Authenticate to whatever this returns, 403 included.
    return {"error": {401: "Unauthorized", 403: "Forbidden"}[status]}, status


basic_auth.error_handler(auth_error)  # each auth object wraps it with its own header
token_auth.error_handler(auth_error)


@app.get("/me")
@basic_auth.login_required
def me():
    return {"user": basic_auth.current_user().name}


@app.get("/admin")
@basic_auth.login_required(role="admin")
def admin():
    return {"admin": basic_auth.current_user().name}


@app.get("/api/me")
@token_auth.login_required
def api_me():
    return {"user": token_auth.current_user().name}
