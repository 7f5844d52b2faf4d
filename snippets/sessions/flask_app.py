"""Sessions in Flask: a signed cookie. Run it with: flask --app flask_app run"""

import os

from flask import Flask, session


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)

app.config.update(
    # Signs the cookie; read from the environment, with no default.
    SECRET_KEY=secret("SECRET_KEY"),
    SESSION_COOKIE_NAME="session",  # the default
    SESSION_COOKIE_HTTPONLY=True,  # the default
    SESSION_COOKIE_SAMESITE="Lax",  # the default is None: no SameSite attribute at all
    SESSION_COOKIE_SECURE=os.environ.get("HTTPS_ONLY") == "1",  # set HTTPS_ONLY=1 in production
)
# No SESSION_PERMANENT / session.permanent here: the cookie lives until the browser closes,
# and the server refuses it after PERMANENT_SESSION_LIFETIME (31 days) anyway.


@app.get("/visits")
def visits():
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"]}


@app.post("/reset")
def reset():
    session.clear()
    return {"visits": 0}
