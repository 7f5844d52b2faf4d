"""Flask-HTTPAuth's job in FastAPI: HTTPBasic and HTTPBearer dependencies, with roles.

Run it with: fastapi dev fastapi_app.py
Needs ALICE_PASSWORD, BOB_PASSWORD and ALICE_TOKEN in the environment; it refuses to start
without them.
"""

import hmac
import os
from base64 import b64decode
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from fastapi.security.utils import get_authorization_scheme_param
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()
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

REALM = "Authentication Required"  # Flask-HTTPAuth's default realm


class AuthError(Exception):
    def __init__(self, status_code: int, scheme: str):
        self.status_code, self.scheme = status_code, scheme


@app.exception_handler(AuthError)
async def auth_error(request: Request, exc: AuthError) -> JSONResponse:
    # The same body and header as the Flask app's error_handler, 403 included.
    return JSONResponse(
        {"error": {401: "Unauthorized", 403: "Forbidden"}[exc.status_code]},
        exc.status_code,
        headers={"WWW-Authenticate": f'{exc.scheme} realm="{REALM}"'},
    )


class UTF8HTTPBasic(HTTPBasic):
    """HTTPBasic, reading credentials as Flask-HTTPAuth does: UTF-8, else Latin-1.

    FastAPI's HTTPBasic decodes them as ASCII and answers 401 to anything else, which would
    lock out users whose name or password is not ASCII. Returns None when there are none.
    """

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:
        scheme, param = get_authorization_scheme_param(request.headers.get("Authorization"))
        if scheme.lower() != "basic":
            return None
        try:
            raw = b64decode(param, validate=True)
        except ValueError:  # binascii.Error, or a non-ASCII header: b64decode raises both
            return None
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:  # older clients send Latin-1; Flask-HTTPAuth accepts it
            decoded = raw.decode("latin-1")
        username, separator, password = decoded.partition(":")
        return HTTPBasicCredentials(username=username, password=password) if separator else None


basic = UTF8HTTPBasic(realm=REALM, auto_error=False)  # our errors, our header


def verify_password(
    credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
) -> User:
    username = credentials.username if credentials else ""
    password = credentials.password if credentials else ""
    user = USERS.get(username)
    hashed = user.hashed_password if user else USERS["alice"].hashed_password  # same cost
    if not (password_hash.verify(password, hashed) and user):
        raise AuthError(401, "Basic")
    return user


def role_required(role: str):
    """login_required(role=...): 401 without valid credentials, 403 without the role."""

    def check(user: Annotated[User, Depends(verify_password)]) -> User:
        if role not in user.roles:
            raise AuthError(403, "Basic")
        return user

    return check


bearer = HTTPBearer(auto_error=False)


def verify_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    token = credentials.credentials if credentials else ""
    found = None
    for known, user in TOKENS.items():  # compare with every token, in constant time, as bytes
        if hmac.compare_digest(token.encode(), known.encode()):
            found = user
    if found is None:
        raise AuthError(401, "Bearer")
    return found


@app.get("/me")
def me(user: Annotated[User, Depends(verify_password)]):  # def: hashing runs in a thread
    return {"user": user.name}


@app.get("/admin")
def admin(user: Annotated[User, Depends(role_required("admin"))]):
    return {"admin": user.name}


@app.get("/api/me")
def api_me(user: Annotated[User, Depends(verify_token)]):
    return {"user": user.name}
