"""Logging in with Flask-Login: a session cookie. Run it with: flask --app flask_app run"""

import os
from dataclasses import dataclass

from flask import Flask, request
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config["SECRET_KEY"] = secret("SECRET_KEY")

# Argon2id at OWASP's minimum cost (19 MiB, 2 passes), not pwdlib's heavier
# PasswordHash.recommended() (64 MiB, 3 passes): the demo hashes at every import.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))

DEMO_PASSWORD = secret("DEMO_PASSWORD")


@dataclass
class User(UserMixin):  # Flask-Login wants is_authenticated, get_id() and friends
    username: str
    full_name: str
    hashed_password: str

    def get_id(self) -> str:
        return self.username


USERS = {"alice": User("alice", "Alice Example", password_hash.hash(DEMO_PASSWORD))}


def authenticate(username: str, password: str) -> User | None:
    user = USERS.get(username)
    if user is None:
        # Spend the same time on an unknown name as on a wrong password.
        password_hash.verify(password, USERS["alice"].hashed_password)
        return None
    return user if password_hash.verify(password, user.hashed_password) else None


login_manager = LoginManager(app)
# No login_view: @login_required answers 401 instead of redirecting to a login page.


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return USERS.get(user_id)  # None: the session names a user who no longer exists


@app.post("/login")
def login():
    # Same form fields as OAuth2's password flow, so the two apps take the same request.
    user = authenticate(request.form.get("username", ""), request.form.get("password", ""))
    if user is None:
        return {"detail": "Incorrect username or password"}, 401
    login_user(user)  # stores the user id in the signed session cookie
    return {"username": user.username}


@app.get("/users/me")
@login_required
def read_me():
    return {"username": current_user.username, "full_name": current_user.full_name}


# --8<-- [end:protected]


@app.post("/logout")
@login_required
def logout():
    # Removes the user id from the session and sends a new cookie. The session lives in
    # the cookie, not on the server: a copy of the old cookie still logs in until it expires.
    logout_user()
    return {"detail": "Logged out"}
