"""FastAPI in front, the legacy Flask app mounted behind it. Run it with: fastapi dev fastapi_app.py

Routes moved to FastAPI are declared on `app`; every other request falls through to the
Flask app, which runs unchanged under a WSGI adapter in the same process.
LEGACY_SECRET_KEY (Flask's) and SESSION_SECRET_KEY (Starlette's) must be set.
"""

import importlib.util
import os
from pathlib import Path
from typing import Literal

from a2wsgi import WSGIMiddleware  # starlette.middleware.wsgi is deprecated in its favour
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.middleware.sessions import SessionMiddleware


# --8<-- [start:load]
def _load_legacy_app():
    """In your project: `from legacy.app import app as flask_app`. This folder is not a
    package, so the demo loads the Flask app from the file next to this one."""
    path = Path(__file__).with_name("flask_app.py")
    spec = importlib.util.spec_from_file_location("legacy_flask_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


flask_app = _load_legacy_app()
# --8<-- [end:load]

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


USERS = {1: "Ada", 2: "Grace"}


# Moved route: declared before the mount, so it wins over its Flask twin.
@app.get("/users/{user_id}")
def get_user(user_id: int):
    return {"id": user_id, "name": USERS.get(user_id), "served_by": "fastapi"}


# --8<-- [start:shared]
secret = os.environ.get("SESSION_SECRET_KEY")
if not secret:
    raise RuntimeError("SESSION_SECRET_KEY is not set: it signs the session cookie")
# Not the default name: Flask's cookie is already called "session", and writing one of
# the same name would replace it in the browser (the Flask side would lose its session).
app.add_middleware(
    SessionMiddleware,
    secret_key=secret,
    session_cookie="fastapi_session",
    https_only=True,  # Secure; HttpOnly is always set
    same_site="lax",
)


class Prefs(BaseModel):
    theme: Literal["light", "dark"]


@app.put("/prefs")
def save_prefs(prefs: Prefs, request: Request):
    request.session["theme"] = prefs.theme
    return {"theme": prefs.theme, "served_by": "fastapi"}


# An exception in a Flask route reaches these handlers only if Flask re-raises it;
# otherwise Flask answers with its own 500 page.
flask_app.config["PROPAGATE_EXCEPTIONS"] = True


@app.exception_handler(Exception)
async def server_error(request: Request, exc: Exception):
    return JSONResponse({"error": "Internal Server Error"}, status_code=500)


# --8<-- [end:shared]

# Everything FastAPI does not match goes to Flask (mount last: routes match in order).
app.mount("/", WSGIMiddleware(flask_app))
