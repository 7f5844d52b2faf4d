"""Request hooks in FastAPI: dependencies, a yield dependency and HTTP middleware.

Run it with: fastapi dev fastapi_app.py
"""

import os
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


API_KEY = secret("DEMO_API_KEY")
events: list[str] = []  # which hook ran, in order (the tests read it)


def key_is_valid(key: str | None) -> bool:
    return key is not None and secrets.compare_digest(key.encode(), API_KEY.encode())


def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
    events.append("before")
    if not key_is_valid(x_api_key):
        # Raising skips the handler and the dependencies after this one.
        raise HTTPException(status_code=401, detail="Missing or invalid API key")


def record_teardown():
    try:
        yield  # the handler runs here
    except Exception as exc:
        events.append(f"teardown:{type(exc).__name__}")
        raise  # re-raise, or FastAPI cannot answer 500
    else:
        events.append("teardown:ok")  # after the response has been sent


# App-wide dependencies run before every route's own, in this order.
app = FastAPI(dependencies=[Depends(require_api_key), Depends(record_teardown)])


@app.middleware("http")
async def add_security_header(request: Request, call_next):
    response = await call_next(request)  # an unhandled error propagates out of here
    events.append("after")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@app.get("/items")
def list_items():
    events.append("view")
    return {"items": ["apple", "pear"]}


@app.get("/boom")
def boom():
    events.append("view")
    raise RuntimeError("something broke")
