"""Sign-in pages: the session cookie holds the user's id, a dependency reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from fastapi_app.models import User, get_db

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
#: Checked when the name is unknown, so that the answer takes as long as for a real user.
DUMMY_HASH = "scrypt:32768:8:1$" + "0" * 16 + "$" + "0" * 128


class NotSignedIn(Exception):
    """Raised by `signed_in_user`; answered like Flask-Login: a redirect to the form."""


def current_user(request: Request, db: Annotated[Session, Depends(get_db)]) -> User | None:
    user_id = request.session.get("user_id")
    return db.get(User, user_id) if isinstance(user_id, int) else None


def signed_in_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    if user is None:
        raise NotSignedIn
    return user


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, exc: NotSignedIn) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(request.url.path, safe='')}", 302)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, user: Annotated[User | None, Depends(current_user)]):
    return templates.TemplateResponse(request, "index.html", {"user": user})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: Annotated[Session, Depends(get_db)],
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
):
    user = db.scalar(select(User).filter_by(username=username))
    stored = user.password_hash if user else DUMMY_HASH
    if not (check_password_hash(stored, password) and user is not None):
        context = {"error": "Wrong name or password"}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse(request.url_for("index"), status_code=302)


@router.post("/logout")
def logout(request: Request, user: Annotated[User, Depends(signed_in_user)]):
    request.session.clear()
    return RedirectResponse(request.url_for("index"), status_code=302)


@router.get("/health")
def health():
    return "ok"
