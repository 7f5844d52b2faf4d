"""Sessions in Flask: a signed cookie. Run it with: flask --app flask_app run"""

import os

from flask import Flask, session

app = Flask(__name__)

app.config.update(
    # Signs the cookie. Read it from the environment; the default is for the demo only.
    SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-a-secret-change-me-in-prod"),
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
