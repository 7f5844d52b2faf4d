"""Sign-in pages: a form, a session cookie (Flask-Login), a page for signed-in users."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from flask_app.models import User, db

auth = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login_form"
#: Checked when the name is unknown, so that the answer takes as long as for a real user.
DUMMY_HASH = "scrypt:32768:8:1$" + "0" * 16 + "$" + "0" * 128


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@auth.get("/")
def index():
    user = current_user if current_user.is_authenticated else None
    return render_template("index.html", user=user)


@auth.get("/login")
def login_form():
    return render_template("login.html", error=None)


@auth.post("/login")
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    # Check a hash even for an unknown name, so timing does not tell which names exist.
    stored = user.password_hash if user else DUMMY_HASH
    if not (check_password_hash(stored, password) and user is not None):
        return render_template("login.html", error="Wrong name or password"), 401
    login_user(user)
    return redirect(url_for("auth.index"))


@auth.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.index"))


@auth.get("/health")
def health():
    return "ok"
