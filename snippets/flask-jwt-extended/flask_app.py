"""Flask-JWT-Extended: access and refresh tokens, in headers or cookies.

Run it with: flask --app flask_app run
Needs JWT_SECRET_KEY and ALICE_PASSWORD in the environment; it refuses to start without them.
"""

import os
from typing import Any

import orjson
from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
    set_access_cookies,
)
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config.update(
    JWT_SECRET_KEY=secret("JWT_SECRET_KEY"),  # HS256; at least 32 bytes
    # JWT_TOKEN_LOCATION stays ["headers"]; the /web routes ask for cookies themselves.
    JWT_COOKIE_SECURE=True,
    JWT_COOKIE_SAMESITE="Lax",
    # JWT_COOKIE_CSRF_PROTECT is True by default: cookie requests that change state
    # must send the csrf_access_token cookie's value back in an X-CSRF-TOKEN header.
)
jwt = JWTManager(app)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)

password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
USERS = {"alice": password_hash.hash(secret("ALICE_PASSWORD"))}
BLOCKLIST: set[str] = set()  # revoked token ids ("jti"); use Redis with a TTL in production


@app.before_request
def refuse_non_ascii_csrf_header():
    # Flask-JWT-Extended compares this header with hmac.compare_digest on str, which
    # raises TypeError (a 500) on non-ASCII text: answer it as the mismatch it is.
    if not request.headers.get("X-CSRF-TOKEN", "").isascii():
        return {"msg": "CSRF double submit tokens do not match"}, 401
    return None


@jwt.token_in_blocklist_loader
def is_revoked(jwt_header: dict, jwt_payload: dict) -> bool:
    return jwt_payload["jti"] in BLOCKLIST


# --8<-- [start:key-loader]
# Key rotation: tokens signed with the key used before (their header says
# "kid": "previous") stay valid while JWT_PREVIOUS_SECRET_KEY is set; no default.
PREVIOUS_KEY = os.environ.get("JWT_PREVIOUS_SECRET_KEY")


@jwt.decode_key_loader
def decoding_key(jwt_header: dict, jwt_payload: dict) -> str:
    if jwt_header.get("kid") == "previous" and PREVIOUS_KEY:
        return PREVIOUS_KEY
    return app.config["JWT_SECRET_KEY"]  # any other token: the current key


# --8<-- [end:key-loader]


def authenticate() -> str | None:
    """The username, if the JSON body holds a known user's password."""
    data = request.get_json(silent=True)
    username = data.get("username") if isinstance(data, dict) else None
    password = data.get("password") if isinstance(data, dict) else None
    if not (isinstance(username, str) and isinstance(password, str)):
        return None
    hashed = USERS.get(username, USERS["alice"])  # as slow for unknown names
    valid = password_hash.verify(password, hashed)
    return username if valid and username in USERS else None


@app.post("/login")
def login():
    username = authenticate()
    if username is None:
        return {"msg": "Bad username or password"}, 401
    return {
        "access_token": create_access_token(identity=username),
        "refresh_token": create_refresh_token(identity=username),
    }


@app.post("/refresh")
@jwt_required(refresh=True)  # only a refresh token; an access token gets 422
def refresh():
    return {"access_token": create_access_token(identity=get_jwt_identity())}


@app.get("/me")
@jwt_required()
def me():
    return {"user": get_jwt_identity()}


@app.get("/greeting")
@jwt_required(optional=True)  # no token: identity is None; a bad token still fails
def greeting():
    return {"hello": get_jwt_identity() or "stranger"}


@app.delete("/logout")
@jwt_required(verify_type=False)  # revokes an access or a refresh token
def logout():
    BLOCKLIST.add(get_jwt()["jti"])
    return {"msg": "Token revoked"}


@app.post("/web/login")
def web_login():
    username = authenticate()
    if username is None:
        return {"msg": "Bad username or password"}, 401
    response = jsonify(msg="Logged in")
    # Sets access_token_cookie (HttpOnly) and csrf_access_token (readable by scripts).
    set_access_cookies(response, create_access_token(identity=username))
    return response


@app.post("/web/notes")
@jwt_required(locations=["cookies"])
def add_note():
    return {"saved_by": get_jwt_identity()}, 201
