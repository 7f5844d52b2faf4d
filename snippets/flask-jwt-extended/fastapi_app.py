"""Flask-JWT-Extended's job in FastAPI: PyJWT in dependencies, with the old error answers.

Run it with: fastapi dev fastapi_app.py
Needs JWT_SECRET_KEY and ALICE_PASSWORD in the environment; it refuses to start without them.
"""

import hmac
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()
JWT_SECRET_KEY = secret("JWT_SECRET_KEY")  # the same key: old tokens stay valid
ALGORITHM = "HS256"
ACCESS_EXPIRES = timedelta(minutes=15)  # Flask-JWT-Extended's defaults
REFRESH_EXPIRES = timedelta(days=30)

password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
USERS = {"alice": password_hash.hash(secret("ALICE_PASSWORD"))}
BLOCKLIST: set[str] = set()  # revoked token ids ("jti"); use Redis with a TTL in production


class JWTError(Exception):
    """An answer in Flask-JWT-Extended's shape: {"msg": ...}, 401 or 422."""

    def __init__(self, status_code: int, msg: str):
        self.status_code, self.msg = status_code, msg


@app.exception_handler(JWTError)
async def jwt_error(request: Request, exc: JWTError) -> JSONResponse:
    # Existing clients read "msg"; a 401 also names the scheme, as HTTP asks.
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse({"msg": exc.msg}, exc.status_code, headers=headers)


def authenticate(data: Any) -> str | None:
    """The username, if the JSON body holds a known user's password."""
    username = data.get("username") if isinstance(data, dict) else None
    password = data.get("password") if isinstance(data, dict) else None
    if not (isinstance(username, str) and isinstance(password, str)):
        return None
    hashed = USERS.get(username, USERS["alice"])  # as slow for unknown names
    try:
        valid = password_hash.verify(password, hashed)
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") has no UTF-8 form: a 500
        return None
    return username if valid and username in USERS else None


async def json_body(request: Request) -> Any:
    """The JSON body, or None: like get_json(silent=True), so bad JSON is a 401 too."""
    try:
        return await request.json()
    except (ValueError, RecursionError):  # malformed, or nested too deep ("Hostile input")
        return None


def _encode(identity: str, kind: str, expires_delta: timedelta, csrf: str) -> str:
    """The claims Flask-JWT-Extended writes, so that tokens work in both apps."""
    now = datetime.now(UTC)
    claims = {"iat": now, "nbf": now, "jti": str(uuid.uuid4()), "type": kind}
    claims |= {"sub": identity, "csrf": csrf, "exp": now + expires_delta}
    if kind == "access":
        claims["fresh"] = False
    return jwt.encode(claims, JWT_SECRET_KEY, algorithm=ALGORITHM)


def create_access_token(
    identity: str, expires_delta: timedelta = ACCESS_EXPIRES, csrf: str | None = None
) -> str:
    return _encode(identity, "access", expires_delta, csrf or str(uuid.uuid4()))


def create_refresh_token(identity: str, expires_delta: timedelta = REFRESH_EXPIRES) -> str:
    return _encode(identity, "refresh", expires_delta, str(uuid.uuid4()))


# auto_error=False: HTTPBearer documents the scheme in /docs, our code writes the errors.
bearer = HTTPBearer(auto_error=False)
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
NO_BEARER = (
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
)


def token_from_header(request: Request) -> str:
    header = request.headers.get("authorization", "").strip().strip(",")
    if not header:
        raise JWTError(401, "Missing Authorization Header")
    parts = header.split()
    if parts[0] != "Bearer":
        raise JWTError(401, NO_BEARER)
    if len(parts) != 2:
        raise JWTError(422, BAD_HEADER)
    return parts[1]


# --8<-- [start:key-loader]
# Key rotation: tokens signed with the key used before (their header says
# "kid": "previous") stay valid while JWT_PREVIOUS_SECRET_KEY is set; no default.
PREVIOUS_KEY = os.environ.get("JWT_PREVIOUS_SECRET_KEY")


def decoding_key(token: str) -> str:
    """decode_key_loader: the key named by the token's (not yet verified) header.

    Raises jwt.DecodeError if the token is not a JWT; decode() answers that with a 422.
    """
    if jwt.get_unverified_header(token).get("kid") == "previous" and PREVIOUS_KEY:
        return PREVIOUS_KEY
    return JWT_SECRET_KEY  # any other token: the current key


# --8<-- [end:key-loader]


def decode(token: str, kind: str) -> dict:
    try:
        claims = jwt.decode(
            token, decoding_key(token), algorithms=[ALGORITHM], options={"require": ["exp", "jti"]}
        )
    except jwt.ExpiredSignatureError:
        raise JWTError(401, "Token has expired") from None
    except jwt.InvalidTokenError as exc:  # bad format, signature, claims: PyJWT's words
        raise JWTError(422, str(exc)) from None
    if kind == "refresh" and claims.get("type") != "refresh":
        raise JWTError(422, "Only refresh tokens are allowed")
    if kind == "access" and claims.get("type") == "refresh":
        raise JWTError(422, "Only non-refresh tokens are allowed")
    if claims["jti"] in BLOCKLIST:  # the token_in_blocklist_loader
        raise JWTError(401, "Token has been revoked")
    return claims


def access_claims(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> dict:
    """jwt_required()."""
    return decode(token_from_header(request), "access")


def refresh_claims(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> dict:
    """jwt_required(refresh=True)."""
    return decode(token_from_header(request), "refresh")


def any_claims(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> dict:
    """jwt_required(verify_type=False)."""
    return decode(token_from_header(request), "any")


def optional_claims(
    request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> dict | None:
    """jwt_required(optional=True): no usable header means None; a bad token still fails."""
    try:
        token = token_from_header(request)
    except JWTError as exc:
        if exc.status_code == 401:
            return None
        raise
    return decode(token, "access")


@app.post("/login")
def login(data: Annotated[Any, Depends(json_body)]):  # def: the hash check runs in a thread
    username = authenticate(data)
    if username is None:
        raise JWTError(401, "Bad username or password")
    return {
        "access_token": create_access_token(username),
        "refresh_token": create_refresh_token(username),
    }


@app.post("/refresh")
def refresh(claims: Annotated[dict, Depends(refresh_claims)]):
    return {"access_token": create_access_token(claims["sub"])}


@app.get("/me")
def me(claims: Annotated[dict, Depends(access_claims)]):
    return {"user": claims["sub"]}


@app.get("/greeting")
def greeting(claims: Annotated[dict | None, Depends(optional_claims)]):
    return {"hello": claims["sub"] if claims else "stranger"}


@app.delete("/logout")
def logout(claims: Annotated[dict, Depends(any_claims)]):
    BLOCKLIST.add(claims["jti"])
    return {"msg": "Token revoked"}


CSRF_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def cookie_claims(request: Request) -> dict:
    """jwt_required(locations=["cookies"]), with the CSRF double-submit check."""
    token = request.cookies.get("access_token_cookie")
    if not token:
        raise JWTError(401, 'Missing cookie "access_token_cookie"')
    csrf = request.headers.get("x-csrf-token") if request.method in CSRF_METHODS else None
    if request.method in CSRF_METHODS and not csrf:
        raise JWTError(401, "Missing CSRF token")
    claims = decode(token, "access")
    # Compared as bytes: hmac.compare_digest raises TypeError on non-ASCII str.
    if csrf and not hmac.compare_digest(csrf.encode(), str(claims.get("csrf")).encode()):
        raise JWTError(401, "CSRF double submit tokens do not match")
    return claims


@app.post("/web/login")
def web_login(data: Annotated[Any, Depends(json_body)]):
    username = authenticate(data)
    if username is None:
        raise JWTError(401, "Bad username or password")
    csrf = str(uuid.uuid4())  # also a claim of the token: the double submit compares them
    token = create_access_token(username, csrf=csrf)
    response = JSONResponse({"msg": "Logged in"})
    response.set_cookie("access_token_cookie", token, secure=True, httponly=True, samesite="lax")
    # Not HttpOnly: the page's scripts read it and send it back as X-CSRF-TOKEN.
    response.set_cookie("csrf_access_token", csrf, secure=True, httponly=False, samesite="lax")
    return response


@app.post("/web/notes", status_code=201)
def add_note(claims: Annotated[dict, Depends(cookie_claims)]):
    return {"saved_by": claims["sub"]}
