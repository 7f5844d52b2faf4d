"""Flash messages in Flask. Run it with: flask --app flask_app run"""

import os

from flask import Flask, flash, get_flashed_messages, redirect, render_template, request, url_for

app = Flask(__name__)  # templates/ next to this file
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-not-a-secret-change-me-in-prod")

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
