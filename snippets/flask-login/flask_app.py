"""Flask-Login: a session login with remember-me. Run it with: flask --app flask_app run

Needs SECRET_KEY and ALICE_PASSWORD in the environment; it refuses to start without them.
"""

import os
from urllib.parse import quote, urlsplit

from flask import Blueprint, Flask, redirect, render_template_string, request
from flask_login import (
    AnonymousUserMixin,
    LoginManager,
    UserMixin,
    current_user,
    fresh_login_required,
    login_required,
    login_user,
    logout_user,
)
from flask_sqlalchemy import SQLAlchemy
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config.update(
    SECRET_KEY=secret("SECRET_KEY"),  # signs the session and the remember-me cookie
    SESSION_COOKIE_SECURE=True,  # HttpOnly is already the default
    SESSION_COOKIE_SAMESITE="Lax",
    REMEMBER_COOKIE_SECURE=True,
    REMEMBER_COOKIE_SAMESITE="Lax",
    SQLALCHEMY_DATABASE_URI="sqlite://",  # in memory here; a real app reads its URL
)

login_manager = LoginManager(app)
login_manager.login_view = "login"  # anonymous users of HTML pages go there, with ?next=
login_manager.refresh_view = "login"  # where @fresh_login_required sends a remembered user
login_manager.blueprint_login_views = {"api": None}  # API routes answer 401 instead


class Anonymous(AnonymousUserMixin):
    name = "anonymous"


login_manager.anonymous_user = Anonymous  # what current_user is before login

password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(UserMixin, db.Model):  # UserMixin: is_authenticated, get_id() (returns self.id)...
    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    hashed_password: Mapped[str]


db.init_app(app)
with app.app_context():  # the demo user, at start-up
    db.create_all()
    db.session.add(
        User(id="alice", name="Alice", hashed_password=password_hash.hash(secret("ALICE_PASSWORD")))
    )
    db.session.commit()

#: Verified when the name is unknown, so that both refusals take as long.
UNKNOWN_USER_HASH = password_hash.hash("no user has this password")


# --8<-- [start:loader]
@login_manager.user_loader
def load_user(user_id: str) -> User | None:  # None: the user is anonymous again
    return db.session.get(User, user_id)  # the request's db.session, as the view's


# --8<-- [end:loader]


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


@app.get("/login")
def login():
    return LOGIN_FORM


@app.post("/login")
def login_post():
    user = db.session.get(User, request.form.get("username", ""))
    password = request.form.get("password", "")
    # Hash even for an unknown name, so that both refusals take as long.
    hashed = user.hashed_password if user else UNKNOWN_USER_HASH
    if not password_hash.verify(password, hashed) or user is None:
        return "Invalid username or password.", 401
    login_user(user, remember=request.form.get("remember") == "1")
    return redirect(safe_next(request.args.get("next")), 303)


@app.post("/logout")
def logout():
    logout_user()  # clears the session's user and deletes the remember-me cookie
    return redirect("/login", 303)


@app.get("/")
def home():
    return render_template_string("<p>Hello, {{ current_user.name }}!</p>")


@app.get("/profile")
@login_required
def profile():
    # current_user is in every template's context; no need to pass it.
    return render_template_string("<h1>{{ current_user.name }}</h1>")


@app.get("/settings")
@fresh_login_required  # a login restored from the remember-me cookie is not fresh
def settings():
    return render_template_string("<h1>Settings of {{ current_user.name }}</h1>")


api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/me")
@login_required
def me():
    return {"id": current_user.id, "name": current_user.name}


@api.errorhandler(401)
def api_unauthorized(error):
    return {"detail": "Not authenticated"}, 401


app.register_blueprint(api)
