"""Sessions in FastAPI: Starlette's signed cookie. Run it with: fastapi dev fastapi_app.py"""

import os

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()

app.add_middleware(
    SessionMiddleware,  # needs the itsdangerous package
    # Signs the cookie; read from the environment, with no default.
    secret_key=secret("SECRET_KEY"),
    session_cookie="session",  # the default
    # HttpOnly is always set; there is no switch for it.
    same_site="lax",  # the default
    https_only=os.environ.get("HTTPS_ONLY") == "1",  # adds Secure; set HTTPS_ONLY=1 in production
    max_age=14 * 24 * 60 * 60,  # the default: 14 days, sent as Max-Age and checked on read
)


@app.get("/visits")
def visits(request: Request):
    # request.session is a plain dict, available on every request behind the middleware.
    request.session["visits"] = request.session.get("visits", 0) + 1
    return {"visits": request.session["visits"]}


@app.post("/reset")
def reset(request: Request):
    request.session.clear()
    return {"visits": 0}
