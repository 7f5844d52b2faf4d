"""Password hashes in FastAPI: old bcrypt and Werkzeug hashes verify, then become Argon2.

Run it with: fastapi dev fastapi_app.py
LEGACY_USERS_FILE may name a JSON file of {username: stored hash} to start with (demo data).
"""

import json
import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher
from pydantic import BaseModel, Field
from werkzeug.security import check_password_hash

app = FastAPI()

USERS: dict[str, str] = {}  # username → stored hash: stands for your users table
if legacy := os.environ.get("LEGACY_USERS_FILE"):
    USERS.update(json.loads(Path(legacy).read_text()))

# The first hasher makes new hashes; the others only verify old ones. Argon2id here at
# OWASP's minimum cost (19 MiB, 2 passes); PasswordHash.recommended() uses 64 MiB, 3 passes.
password_hash = PasswordHash(
    (Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1), BcryptHasher())
)
WERKZEUG_PREFIXES = ("scrypt:", "pbkdf2:")  # pwdlib does not know these: UnknownHashError
DUMMY_HASH = password_hash.hash("an unknown user costs one check too")


def verify_and_update(stored: str, password: str) -> tuple[bool, str | None]:
    """(password matches, the Argon2 hash to store instead, or None to keep `stored`)."""
    try:
        if stored.startswith(WERKZEUG_PREFIXES):
            valid = check_password_hash(stored, password)  # werkzeug, without Flask
        elif stored.startswith("$2"):
            # bcrypt 5 raises ValueError beyond 72 bytes; bcrypt 4 ignored the rest.
            valid = password_hash.verify(password.encode()[:72], stored)
        else:  # Argon2: rehashed only if its parameters are not the current ones
            return password_hash.verify_and_update(password, stored)
    except (UnknownHashError, ValueError):  # malformed, or a password that is not UTF-8
        return False, None
    return valid, password_hash.hash(password) if valid else None


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


class Credentials(BaseModel):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)


@app.post("/register", status_code=201)
def register(credentials: Credentials):  # def: hashing runs in the thread pool
    if credentials.username in USERS:
        raise HTTPException(409, "Username taken")
    USERS[credentials.username] = password_hash.hash(credentials.password)
    return {"user": credentials.username}


@app.post("/login")
def login(credentials: Credentials):
    stored = USERS.get(credentials.username, DUMMY_HASH)
    valid, new_hash = verify_and_update(stored, credentials.password)
    if not valid or credentials.username not in USERS:
        raise HTTPException(401, "Incorrect username or password")
    if new_hash is not None:
        USERS[credentials.username] = new_hash  # the rehash: an UPDATE in a real table
    return {"user": credentials.username}
