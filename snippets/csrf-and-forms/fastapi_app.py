"""CSRF protection by hand, with the session and a dependency.

Run it with: fastapi dev fastapi_app.py
"""

import os
import secrets
from hmac import compare_digest
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict
from starlette.middleware.sessions import SessionMiddleware


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


app.add_middleware(
    SessionMiddleware,
    secret_key=secret("SECRET_KEY"),
    same_site="lax",  # not sent on cross-site POSTs (HttpOnly is always on)
    https_only=os.environ.get("HTTPS_ONLY") == "1",  # Secure: set HTTPS_ONLY=1 in production
)
API_TOKEN = secret("API_TOKEN")

FORM = (
    '<form method="post" action="/profile">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<input name="name"><button>Save</button></form>'
)


def generate_csrf(request: Request) -> str:
    """One random token per session; the session cookie is signed, so it cannot be forged."""
    if "csrf_token" not in request.session:
        request.session["csrf_token"] = secrets.token_urlsafe(32)
    return request.session["csrf_token"]


def check_csrf(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> None:
    """What CSRFProtect does for each unsafe request, as a dependency you add per route."""
    if not csrf_token:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The CSRF token is missing.")
    expected = request.session.get("csrf_token")
    if expected is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The CSRF session token is missing.")
    if not compare_digest(csrf_token.encode(), expected.encode()):  # bytes: str needs ASCII
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The CSRF tokens do not match.")


@app.get("/profile", response_class=HTMLResponse)
def edit_profile(request: Request):
    return FORM.format(token=generate_csrf(request))


@app.post("/profile", dependencies=[Depends(check_csrf)])
def save_profile(name: Annotated[str, Form()]):
    return {"name": name}


class Profile(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str


bearer = HTTPBearer()


@app.post("/api/profile")  # no check_csrf: nothing to exempt
def api_profile(
    profile: Profile, credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]
):
    if not compare_digest(credentials.credentials.encode(), API_TOKEN.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return {"name": profile.name}
