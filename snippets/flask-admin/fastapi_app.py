"""Flask-Admin's job in FastAPI: starlette-admin over the same model, behind its own login.

Run it with: fastapi dev fastapi_app.py
Needs SECRET_KEY and ADMIN_PASSWORD in the environment; it refuses to start without them.
"""

import hmac
import os
from decimal import Decimal

from fastapi import FastAPI, Request
from sqlalchemy import Numeric, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette_admin.auth import AdminUser, AuthProvider, LoginFailed
from starlette_admin.contrib.sqla import Admin, ModelView
from starlette_admin.fields import DecimalField, StringField
from starlette_admin.validators import length


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: it has no default")
    return value


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"  # the table name Flask-SQLAlchemy derives from the class

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))


# In memory; StaticPool: one connection shared by all requests, as Flask-SQLAlchemy does.
engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
Base.metadata.create_all(engine)
SessionLocal = sessionmaker(engine)

SECRET_KEY = required_env("SECRET_KEY")
ADMIN_USERNAME = b"admin"
ADMIN_PASSWORD = required_env("ADMIN_PASSWORD").encode()


def same(given: str, expected: bytes) -> bool:
    # Bytes, so that non-ASCII input cannot raise; surrogatepass: a lone surrogate neither.
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected)


class AdminAuth(AuthProvider):
    """starlette-admin owns the login page, its form and the redirects; this checks."""

    async def login(self, username: str, password: str, remember_me: bool, request: Request):
        # Both comparisons run, so that the time taken does not tell which one failed.
        user_ok = same(username, ADMIN_USERNAME)
        if not (same(password, ADMIN_PASSWORD) & user_ok):
            raise LoginFailed("Invalid username or password.")  # 400, the form again
        request.session.clear()
        request.session["admin"] = True

    async def authenticate(self, request: Request) -> AdminUser | None:
        # None: every admin route but the login page redirects to it (303).
        return AdminUser(username="admin") if request.session.get("admin") is True else None

    async def logout(self, request: Request):
        request.session.clear()


MAX_PRICE = Decimal("99999999.99")  # what Numeric(10, 2) holds


def price_in_range(request: Request, field, value: Decimal, form_values: dict) -> None:
    # Decimal("NaN") and "Infinity" parse; the Flask app's NumberRange refuses them too.
    if not value.is_finite() or not 0 <= value <= MAX_PRICE:
        raise ValueError(f"Number must be between 0 and {MAX_PRICE}.")


MAX_OFFSET = 2**63 - 1  # the largest OFFSET SQLite and PostgreSQL accept


def known_pk(pk: object) -> bool:
    return isinstance(pk, str) and pk.isdecimal() and int(pk) < 2**63


class ItemView(ModelView):
    # Declared, not derived from the model: the derived fields set maxlength in the HTML
    # only, and the server would store a longer name (SQLite does not check lengths).
    fields = (
        "id",
        StringField("name", required=True, maxlength=50, validators=[length(min=1, max=50)]),
        DecimalField("price", required=True, validators=[price_in_range]),
    )
    exclude_fields_from_create = exclude_fields_from_edit = ("id",)

    # starlette-admin exports (CSV, JSON) and imports by default; Flask-Admin does neither
    # unless told. Off here too: its CSV export writes a name such as "=HYPERLINK(...)" as
    # a formula (unless CsvExporter(escape_formulas=True)), and an import sets ids.
    def can_export(self, request: Request) -> bool:
        return False

    def can_import(self, request: Request) -> bool:
        return False

    # starlette-admin converts an id with int(): "abc" would raise (a 500); None is a 404.
    async def find_by_pk(self, request: Request, pk):
        return await super().find_by_pk(request, pk) if known_pk(pk) else None

    async def find_by_pks(self, request: Request, pks: list):
        return await super().find_by_pks(request, [pk for pk in pks if known_pk(pk)])

    async def find_all(self, request: Request, skip: int = 0, *args, **kwargs):
        # SQL's OFFSET is a 64-bit integer: ?page=10**20 would be a 500. Past it, no rows.
        return await super().find_all(request, min(skip, MAX_OFFSET), *args, **kwargs)


class RefuseBadForms:
    """starlette-admin's CSRF check reads the form in a middleware, outside the admin's
    exception handlers: a malformed multipart body would be a 500 instead of a 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except HTTPException as exc:  # raised before any response was started
            await PlainTextResponse(exc.detail, exc.status_code)(scope, receive, send)


# starlette-admin's redirects are absolute URLs built from Host: serve our own names only.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app = FastAPI()
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)  # others: 400
admin = Admin(
    SessionLocal,  # starlette-admin opens a session per request from it
    title="Shop admin",
    auth_provider=AdminAuth(),
    secret_key=SECRET_KEY,  # signs its CSRF and flash cookies; random (lost) without it
    middlewares=[
        # The admin's own session: Secure, HttpOnly (always) and SameSite=Strict. The cookie
        # is the session, and a copy outlives a logout: refuse it 8 hours after it was
        # signed (default: 14 days). Signed again only when the session changes.
        Middleware(
            SessionMiddleware,
            secret_key=SECRET_KEY,
            https_only=True,
            same_site="strict",
            max_age=8 * 60 * 60,
        ),
        Middleware(RefuseBadForms),  # runs around the CSRF check, which comes after these
    ],
)
admin.add_view(ItemView(Item))
admin.mount_to(app)  # a Starlette sub-app under /admin, with its middleware
