"""Flash messages in FastAPI, built on the session. Run it with: fastapi dev fastapi_app.py"""

import os
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# Absolute URLs are built from the Host header: answer only for our own names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app = FastAPI()
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)  # others: 400
app.add_middleware(
    SessionMiddleware,
    secret_key=secret("SECRET_KEY"),
    same_site="lax",  # not sent on cross-site POSTs (HttpOnly is always on)
    https_only=os.environ.get("HTTPS_ONLY") == "1",  # Secure: set HTTPS_ONLY=1 in production
)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

ITEMS: list[str] = []


def flash(request: Request, message: str, category: str = "message") -> None:
    """Queue a message for the next page this browser renders, as flask.flash does."""
    # Assign a new list: the session notices assignments, not appends to a stored list.
    flashes = request.session.get("_flashes", [])
    request.session["_flashes"] = [*flashes, [category, message]]


def get_flashed_messages(request: Request) -> list[tuple[str, str]]:
    """Pop the queued messages as (category, message) pairs; a dependency."""
    return [(category, message) for category, message in request.session.pop("_flashes", [])]


FlashedMessages = Annotated[list[tuple[str, str]], Depends(get_flashed_messages)]


@app.get("/")
def index(request: Request, messages: FlashedMessages):
    context = {"messages": messages, "items": ITEMS}
    return templates.TemplateResponse(request, "index.html", context)


@app.post("/items")
def add_item(request: Request, name: Annotated[str, Form()] = ""):
    # CSRF protection is left out to keep the example short: see csrf-and-forms.
    name = name.strip()
    if name:
        ITEMS.append(name)
        flash(request, f"Added {name}.", "success")
    else:
        flash(request, "A name is required.", "error")
    # RedirectResponse defaults to 307, which would repeat the POST: ask for 303.
    return RedirectResponse(request.url_for("index"), status_code=303)
