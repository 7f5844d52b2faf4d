"""Flask-Login's job in FastAPI: a current-user dependency over Starlette's signed session.

Run it with: fastapi dev fastapi_app.py
Needs SECRET_KEY and ALICE_PASSWORD in the environment; it refuses to start without them.
"""

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from starlette.middleware.sessions import SessionMiddleware


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


SECRET_KEY = secret("SECRET_KEY")
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
ALICE_HASH = password_hash.hash(secret("ALICE_PASSWORD"))


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    hashed_password: Mapped[str]
    is_authenticated = True  # what Flask-Login's UserMixin gives


# In memory, one connection every thread shares (as Flask-SQLAlchemy does for "sqlite://").
engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SessionLocal = sessionmaker(engine)


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    with Session(engine) as session:  # the demo user, at start-up: no request, own session
        session.add(User(id="alice", name="Alice", hashed_password=ALICE_HASH))
        session.commit()
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)
app.add_middleware(
    SessionMiddleware,
    secret_key=SECRET_KEY,
    https_only=True,  # the Secure flag; HttpOnly is always set
    same_site="lax",
    max_age=14 * 24 * 60 * 60,  # checked on read too: an older cookie is ignored
)


@dataclass
class Anonymous:  # what Flask-Login's AnonymousUserMixin gives templates
    name: str = "anonymous"
    is_authenticated: bool = False


#: Verified when the name is unknown, so that both refusals take as long.
UNKNOWN_USER_HASH = password_hash.hash("no user has this password")

# Flask-Login's remember-me cookie holds "id|HMAC" and never expires on the server;
# this one is signed with a timestamp, and loads() refuses it after REMEMBER_SECONDS.
REMEMBER_COOKIE = "remember_token"
REMEMBER_SECONDS = 365 * 24 * 60 * 60
remember_signer = URLSafeTimedSerializer(SECRET_KEY, salt="remember-me")


# --8<-- [start:loader]
def current_user(request: Request, session: SessionDep) -> User | Anonymous:
    """The user_loader and current_user together: the session first, then remember-me.
    The user is read with the request's database session: the view's `SessionDep` is the
    same one (FastAPI runs a dependency once per request)."""
    user = session.get(User, request.session.get("user_id", ""))
    if user is None and (token := request.cookies.get(REMEMBER_COOKIE)):
        try:
            user_id = remember_signer.loads(token, max_age=REMEMBER_SECONDS)
        except BadSignature:  # forged, garbage or expired
            return Anonymous()
        user = session.get(User, user_id)
        if user is not None:
            request.session.update(user_id=user.id, fresh=False)
    return user or Anonymous()


CurrentUser = Annotated[User | Anonymous, Depends(current_user)]
# --8<-- [end:loader]


class LoginRequired(Exception):
    """Raised by a dependency; the handler below turns it into the redirect."""

    def __init__(self, request: Request):
        query = f"?{request.url.query}" if request.url.query else ""
        self.next = request.url.path + query  # as Flask-Login's `next`: path and query


@app.exception_handler(LoginRequired)
async def redirect_to_login(request: Request, exc: LoginRequired) -> Response:
    # 302 as Flask-Login; RedirectResponse's default, 307, would replay a POST to /login.
    return RedirectResponse("/login?" + urlencode({"next": exc.next}), status_code=302)


def login_required(request: Request, user: CurrentUser) -> User:
    if not user.is_authenticated:
        raise LoginRequired(request)  # a dependency cannot return a response: it raises
    return user


def fresh_login_required(request: Request, user: Annotated[User, Depends(login_required)]):
    if not request.session.get("fresh"):
        raise LoginRequired(request)
    return user


def api_user(user: CurrentUser) -> User:
    if not user.is_authenticated:
        raise HTTPException(401, "Not authenticated")  # JSON clients get no redirect
    return user


def safe_next(target: str | None) -> str:
    """A path on this site, or "/": never another host ("//evil.example", "/\\evil.example")."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"  # browsers drop tabs and newlines, and read "\" as "/"
    # Percent-encode what a Location header cannot carry (spaces, non-ASCII); keep the rest.
    target = quote(target, safe="/?#&=;:@!$'()*+,~%", errors="replace")
    return target if not urlsplit(target).netloc else "/"


LOGIN_FORM = """<form method="post">
<input name="username"> <input name="password" type="password">
<label><input name="remember" type="checkbox" value="1"> Remember me</label>
<button>Log in</button></form>"""


@app.get("/login", response_class=HTMLResponse)
def login():
    return LOGIN_FORM


@app.post("/login")
def login_post(
    username: Annotated[str, Form()] = "",  # defaults: a missing field is a refusal, not a 422
    password: Annotated[str, Form()] = "",
    remember: Annotated[str, Form()] = "",
    next: str | None = None,
    *,
    request: Request,
    session: SessionDep,
):
    user = session.get(User, username)
    hashed = user.hashed_password if user else UNKNOWN_USER_HASH
    if not password_hash.verify(password, hashed) or user is None:
        return HTMLResponse("Invalid username or password.", 401)
    request.session.clear()
    request.session.update(user_id=user.id, fresh=True)
    response = RedirectResponse(safe_next(next), status_code=303)
    if remember == "1":
        response.set_cookie(
            REMEMBER_COOKIE,
            remember_signer.dumps(user.id),
            max_age=REMEMBER_SECONDS,
            secure=True,
            httponly=True,
            samesite="lax",
        )
    return response


@app.post("/logout")
def logout(request: Request):
    request.session.clear()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(REMEMBER_COOKIE, secure=True, httponly=True, samesite="lax")
    return response


templates = Environment(autoescape=True)  # Jinja2, as Flask's render_template_string uses


@app.get("/", response_class=HTMLResponse)
def home(user: CurrentUser):
    # No implicit current_user in templates: pass the user in.
    return templates.from_string("<p>Hello, {{ current_user.name }}!</p>").render(current_user=user)


@app.get("/profile", response_class=HTMLResponse)
def profile(user: Annotated[User, Depends(login_required)]):
    return templates.from_string("<h1>{{ current_user.name }}</h1>").render(current_user=user)


@app.get("/settings", response_class=HTMLResponse)
def settings(user: Annotated[User, Depends(fresh_login_required)]):
    return templates.from_string("<h1>Settings of {{ current_user.name }}</h1>").render(
        current_user=user
    )


@app.get("/api/me")
def me(user: Annotated[User, Depends(api_user)]):
    return {"id": user.id, "name": user.name}
