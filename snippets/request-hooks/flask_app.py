"""Request hooks in Flask: before_request, after_request, teardown_request.

Run it with: flask --app flask_app run
"""

import os
import secrets

from flask import Flask, request


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)

API_KEY = secret("DEMO_API_KEY")
events: list[str] = []  # which hook ran, in order (the tests read it)


def key_is_valid(key: str | None) -> bool:
    return key is not None and secrets.compare_digest(key.encode(), API_KEY.encode())


@app.before_request
def require_api_key():
    events.append("before")
    if not key_is_valid(request.headers.get("X-API-Key")):
        # Returning a value skips the view: it becomes the response.
        return {"detail": "Missing or invalid API key"}, 401


@app.after_request
def add_security_header(response):
    events.append("after")  # runs for 401s and even for unhandled errors (500)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@app.teardown_request
def record_teardown(exc):
    # Always runs, last; `exc` is the unhandled exception, if any.
    events.append(f"teardown:{type(exc).__name__ if exc else 'ok'}")


@app.get("/items")
def list_items():
    events.append("view")
    return {"items": ["apple", "pear"]}


@app.get("/boom")
def boom():
    events.append("view")
    raise RuntimeError("something broke")
