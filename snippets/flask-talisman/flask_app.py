"""Flask-Talisman: security headers and an HTTPS redirect. Run it with: flask --app flask_app run

Needs SECRET_KEY in the environment; it refuses to start without it.
"""

import os

from flask import Flask, session
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config["SECRET_KEY"] = secret("SECRET_KEY")
# The https redirect's Location is built from the Host header: answer only for our names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app.config["TRUSTED_HOSTS"] = ALLOWED_HOSTS  # others: 400
# Behind one reverse proxy that terminates TLS: believe its X-Forwarded-Proto, so that
# request.is_secure and request.url say https.
app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)

# Every default: CSP "default-src 'self'; object-src 'none'", HSTS for a year (https only),
# X-Frame-Options SAMEORIGIN, nosniff, Referrer-Policy, a 302 from http to https, and a
# Secure, HttpOnly, SameSite=Lax session cookie.
talisman = Talisman(app)


@app.get("/")
def home():
    return "<h1>Hello</h1>"


@app.post("/login")
def login():
    session["user"] = "alice"
    return "Logged in"
