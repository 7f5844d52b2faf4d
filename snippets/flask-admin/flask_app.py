"""Flask-Admin: CRUD pages for a SQLAlchemy model, behind a session login.

Run it with: flask --app flask_app run
Needs SECRET_KEY and ADMIN_PASSWORD in the environment; it refuses to start without them.
"""

import hmac
import os
import re
from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

from flask import Flask, abort, redirect, render_template_string, request, session
from flask_admin import Admin, AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import PasswordField, StringField
from wtforms.validators import NumberRange


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: it has no default")
    return value


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # Numeric, not float: SQLAlchemy's Float is no longer a Numeric, and both admins' form
    # converters look for Numeric (see the page's pitfalls).
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))


app = Flask(__name__)
app.config.update(
    SECRET_KEY=required_env("SECRET_KEY"),  # signs the session and the forms' CSRF tokens
    SESSION_COOKIE_SECURE=True,  # HttpOnly is already the default
    SESSION_COOKIE_SAMESITE="Strict",  # as the FastAPI app: no cross-site request carries it
    # The cookie is the session, and a copy outlives a logout: refuse it 8 hours after it
    # was signed (default: 31 days), permanent session or not. Signed again only when the
    # session changes; not permanent, the browser also drops it when it closes.
    PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    SQLALCHEMY_DATABASE_URI="sqlite://",  # in memory, one connection shared by all requests
    # As the FastAPI app, though Flask-Admin's redirects are relative: others get a 400.
    TRUSTED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
)
db.init_app(app)
# Flask-Admin translates through Flask-Babel whenever it is installed, and then fails
# (KeyError: 'babel') unless the app has one. Without Flask-Babel installed, drop this.
Babel(app)
with app.app_context():
    db.create_all()

ADMIN_USERNAME = b"admin"
ADMIN_PASSWORD = required_env("ADMIN_PASSWORD").encode()


# A path of this site: "/" then no "/" or "\" (browsers read "//host" and "/\host" as
# another host), and only printable ASCII (browsers drop tabs and newlines first).
LOCAL_PATH = re.compile(r"/(?![/\\])[\x21-\x5b\x5d-\x7e]*")


class AdminOnly:
    """Flask-Admin's documented hooks: who may see a view, and what the others get."""

    def is_accessible(self) -> bool:
        return session.get("admin") is True

    def inaccessible_callback(self, name, **kwargs):
        return redirect("/admin/login")  # 302; without this hook Flask-Admin answers 403

    def _handle_view(self, name, **kwargs):  # runs before every view of the admin
        if (refused := super()._handle_view(name, **kwargs)) is not None:
            return refused
        # Flask-Admin redirects to ?url= after a save (or at once, for a missing row). Its
        # check lets "https:evil.example" through on an https site ("http:..." over http),
        # which Werkzeug writes as "https:///evil.example": browsers go to evil.example.
        # Only paths pass here.
        if not LOCAL_PATH.fullmatch(request.values.get("url", "/")):
            abort(400)
        return None


class IndexView(AdminOnly, AdminIndexView):
    pass


MAX_OFFSET = 2**63 - 1  # the largest OFFSET SQLite and PostgreSQL accept


class ItemView(AdminOnly, ModelView):
    form_base_class = SecureForm  # every form of this view carries and checks a CSRF token
    column_list = ("name", "price")
    form_columns = ("name", "price")
    # Flask-Admin derives "required" and the name's length from the columns; the range is ours.
    form_args: ClassVar = {"price": {"validators": [NumberRange(0, Decimal("99999999.99"))]}}

    def get_list(self, page, *args, page_size=None, **kwargs):
        # SQL's OFFSET is a 64-bit integer: ?page=10**20 would be a 500. Past it, no rows.
        page = min(page or 0, MAX_OFFSET // (page_size or self.page_size))
        return super().get_list(page, *args, page_size=page_size, **kwargs)


admin = Admin(app, name="Shop admin", index_view=IndexView())
admin.add_view(ItemView(Item, db))  # db, not db.session: deprecated in Flask-Admin 2


class LoginForm(SecureForm):  # the same CSRF token as the admin's forms
    username = StringField()
    password = PasswordField()


# No field but the token: nothing else may log the admin out (starlette-admin checks its
# token on every POST, logout included).
LogoutForm = SecureForm

CSRF_FAILED = "CSRF token missing or invalid.", 403, {"content-type": "text/plain; charset=utf-8"}


LOGIN_PAGE = """<form method="post">{{ form.csrf_token }}
{{ form.username() }} {{ form.password() }} <button>Log in</button></form>
{% if error %}<p>{{ error }}</p>{% endif %}"""


def same(given: str, expected: bytes) -> bool:
    # Bytes, so that non-ASCII input cannot raise; surrogatepass: a lone surrogate neither.
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected)


@app.route("/admin/login", methods=["GET", "POST"])
def login():
    form = LoginForm(request.form)
    if request.method == "GET":
        return render_template_string(LOGIN_PAGE, form=form)
    if not form.validate():  # the fields have no validators: the CSRF token failed
        return CSRF_FAILED
    # Both comparisons run, so that the time taken does not tell which one failed.
    user_ok = same(form.username.data or "", ADMIN_USERNAME)
    if not (same(form.password.data or "", ADMIN_PASSWORD) & user_ok):
        error = "Invalid username or password."
        return render_template_string(LOGIN_PAGE, form=form, error=error), 400
    session.clear()
    session["admin"] = True
    return redirect("/admin/", 303)


@app.post("/admin/logout")
def logout():
    if not LogoutForm(request.form).validate():
        return CSRF_FAILED
    session.clear()
    return redirect("/admin/login", 303)
