"""Flask-Limiter: default and per-route rate limits. Run it with: flask --app flask_app run

Needs PARTNER_API_KEY in the environment; it refuses to start without it.
"""

import hmac
import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


PARTNER_API_KEY = secret("PARTNER_API_KEY").encode()


def client_key() -> str:
    """The key function: one bucket for the partner's key, one per address for the rest."""
    sent = request.headers.get("X-API-Key", "").encode()
    if sent and hmac.compare_digest(sent, PARTNER_API_KEY):
        return "partner"
    return "ip:" + get_remote_address()  # behind a proxy: ProxyFix first, or all share one


app = Flask(__name__)
limiter = Limiter(
    client_key,
    app=app,
    default_limits=["5 per minute"],  # every route without its own limit
    headers_enabled=True,  # X-RateLimit-Limit, -Remaining, -Reset and Retry-After
    storage_uri="memory://",  # one process only; use redis:// with several workers
)


@app.get("/api/items")
def items():
    return {"items": ["apple", "pear"]}


@app.get("/api/report")
@limiter.limit("1 per minute")  # replaces the default for this route
def report():
    return {"report": "ready"}


@app.get("/health")
@limiter.exempt
def health():
    return {"status": "ok"}


@app.errorhandler(429)
def rate_limited(error):
    # The same JSON body as SlowAPI's handler; Flask-Limiter adds the headers afterwards.
    return {"error": f"Rate limit exceeded: {error.description}"}, 429
