"""Flash messages in Flask. Run it with: flask --app flask_app run"""

import os

from flask import Flask, flash, get_flashed_messages, redirect, render_template, request, url_for


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# Absolute URLs are built from the Host header: answer only for our own names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app = Flask(__name__)  # templates/ next to this file
app.config["TRUSTED_HOSTS"] = ALLOWED_HOSTS  # others: 400
app.config["SECRET_KEY"] = secret("SECRET_KEY")
# The session cookie's flags (HttpOnly is on by default); see the sessions page.
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"  # not sent on cross-site POSTs
app.config["SESSION_COOKIE_SECURE"] = os.environ.get("HTTPS_ONLY") == "1"  # set it in production

ITEMS: list[str] = []


@app.get("/")
def index():
    # Pops the messages: they are shown once. (Templates can also call it directly.)
    messages = get_flashed_messages(with_categories=True)
    return render_template("index.html", messages=messages, items=ITEMS)


@app.post("/items")
def add_item():
    # CSRF protection is left out to keep the example short: see csrf-and-forms.
    name = request.form.get("name", "").strip()
    if name:
        ITEMS.append(name)
        flash(f"Added {name}.", "success")
    else:
        flash("A name is required.", "error")
    # redirect() defaults to 302; 303 says "now GET this" explicitly, as FastAPI needs.
    return redirect(url_for("index"), code=303)
