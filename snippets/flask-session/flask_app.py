"""Flask-Session: the session kept on the server, the cookie holds only its id.

Run it with: flask --app flask_app run
Needs ALICE_PASSWORD and SESSION_DIR in the environment; it refuses to start without them.
"""

import hmac
import os

from cachelib.file import FileSystemCache
from flask import Flask, request, session
from flask_session import Session


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


ALICE_PASSWORD = secret("ALICE_PASSWORD").encode()

app = Flask(__name__)
app.config.update(
    SESSION_TYPE="cachelib",
    # One directory on one machine; with several workers or hosts use Redis instead
    # (SESSION_TYPE="redis"): every process must see every session.
    SESSION_CACHELIB=FileSystemCache(secret("SESSION_DIR"), threshold=10_000),
    SESSION_COOKIE_SECURE=True,  # HttpOnly is already the default
    SESSION_COOKIE_SAMESITE="Lax",
)
Session(app)  # replaces Flask's signed-cookie session: no SECRET_KEY needed for it


@app.post("/login")
def login():
    password = request.form.get("password", "").encode()
    if request.form.get("username") != "alice" or not hmac.compare_digest(password, ALICE_PASSWORD):
        return {"detail": "Invalid username or password"}, 401
    app.session_interface.regenerate(session)  # a new id at login: no session fixation
    session["user"] = "alice"
    return {"user": "alice"}


@app.get("/me")
def me():
    if "user" not in session:
        return {"detail": "Not authenticated"}, 401
    return {"user": session["user"]}


@app.post("/visits")
def visits():
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"]}


@app.post("/logout")
def logout():
    session.clear()  # deletes the record on the server, and the cookie
    return {"detail": "Logged out"}
