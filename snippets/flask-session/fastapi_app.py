"""Flask-Session's job in FastAPI: starsessions, over the same cachelib directory store.

Run it with: fastapi dev fastapi_app.py
Needs ALICE_PASSWORD and SESSION_DIR in the environment; it refuses to start without them.
"""

import hmac
import os
import re
from datetime import timedelta
from typing import Annotated

from anyio.to_thread import run_sync
from cachelib.file import FileSystemCache
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse
from starsessions import (
    SessionAutoloadMiddleware,
    SessionMiddleware,
    SessionStore,
    generate_session_id,
    get_session_id,
    regenerate_session_id,
)


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


ALICE_PASSWORD = secret("ALICE_PASSWORD").encode()


ISSUED_ID = re.compile(r"[0-9a-f]{32}")  # what generate_session_id() returns: token_hex(16)


class CacheLibStore(SessionStore):
    """A starsessions store over any cachelib cache; file I/O runs in a worker thread."""

    def __init__(self, cache: FileSystemCache, prefix: str = "session:"):
        self.cache, self.prefix = cache, prefix

    async def read(self, session_id: str, lifetime: int) -> bytes:
        return await run_sync(self.cache.get, self.prefix + session_id) or b""

    async def write(self, session_id: str, data: bytes, lifetime: int, ttl: int) -> str:
        # starsessions keeps whatever id the cookie carries and writes it back in Set-Cookie:
        # an id not in the shape it issues (non-ASCII bytes included) gets a fresh one.
        if not ISSUED_ID.fullmatch(session_id):
            session_id = generate_session_id()
        await run_sync(self.cache.set, self.prefix + session_id, data, ttl)
        return session_id

    async def remove(self, session_id: str) -> None:
        await run_sync(self.cache.delete, self.prefix + session_id)


store = CacheLibStore(FileSystemCache(secret("SESSION_DIR"), threshold=10_000))

app = FastAPI()
app.add_middleware(SessionAutoloadMiddleware)  # loads the session before every endpoint
app.add_middleware(
    SessionMiddleware,
    store=store,
    lifetime=timedelta(days=31),  # Flask's PERMANENT_SESSION_LIFETIME default
    rolling=True,  # extended at each request, as Flask's SESSION_REFRESH_EACH_REQUEST
    cookie_https_only=True,  # the Secure flag; HttpOnly is always set
    cookie_same_site="lax",
)


@app.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form()] = "",  # defaults: a missing field is a refusal, not a 422
    password: Annotated[str, Form()] = "",
):
    if username != "alice" or not hmac.compare_digest(password.encode(), ALICE_PASSWORD):
        return JSONResponse({"detail": "Invalid username or password"}, 401)
    if old_id := get_session_id(request):
        await store.remove(old_id)
    regenerate_session_id(request)  # a new id at login: no session fixation
    request.session["user"] = "alice"
    return {"user": "alice"}


@app.get("/me")
def me(request: Request):
    if "user" not in request.session:
        return JSONResponse({"detail": "Not authenticated"}, 401)
    return {"user": request.session["user"]}


@app.post("/visits")
def visits(request: Request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return {"visits": request.session["visits"]}


@app.post("/logout")
def logout(request: Request):
    request.session.clear()  # starsessions removes the record and expires the cookie
    return {"detail": "Logged out"}
