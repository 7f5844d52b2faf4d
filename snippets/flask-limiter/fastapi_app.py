"""Flask-Limiter's job in FastAPI: SlowAPI, built on the same `limits` library.

Run it with: fastapi dev fastapi_app.py
Needs PARTNER_API_KEY in the environment; it refuses to start without it.
"""

import hmac
import os

from fastapi import FastAPI, Request, Response
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.middleware import SlowAPIASGIMiddleware
from slowapi.util import get_remote_address


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


PARTNER_API_KEY = secret("PARTNER_API_KEY").encode()


def client_key(request: Request) -> str:
    """The key function: it gets the request as its argument instead of a global."""
    sent = request.headers.get("X-API-Key", "").encode()
    if sent and hmac.compare_digest(sent, PARTNER_API_KEY):
        return "partner"
    return "ip:" + get_remote_address(request)  # behind a proxy: uvicorn --proxy-headers


limiter = Limiter(
    key_func=client_key,
    default_limits=["5 per minute"],
    headers_enabled=True,
    storage_uri="memory://",
)
app = FastAPI()
app.state.limiter = limiter  # where SlowAPI's middleware and handler look for it
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.add_middleware(SlowAPIASGIMiddleware)  # applies the default limits and the headers


@app.get("/api/items")
def items():
    return {"items": ["apple", "pear"]}


@app.get("/api/report")
@limiter.limit("1 per minute")  # the decorated endpoint must take `request: Request`
def report(request: Request, response: Response):  # `response`: where the headers go
    return {"report": "ready"}


@app.get("/health")
@limiter.exempt
def health():
    return {"status": "ok"}
