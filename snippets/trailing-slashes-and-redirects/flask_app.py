"""Trailing slashes and redirects in Flask. Run it with: flask --app flask_app run"""

import os

from flask import Flask, redirect, url_for

# Absolute URLs are built from the Host header: answer only for our own names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app = Flask(__name__)
app.config["TRUSTED_HOSTS"] = ALLOWED_HOSTS  # others: 400


@app.route("/items/")  # like a folder: /items is redirected here (308)
def items():
    return {"items": ["hammer", "saw"]}


@app.route("/about")  # like a file: /about/ is a 404
def about():
    return {"page": "about"}


@app.route("/old-about")
def old_about():
    return redirect(url_for("about"))  # 302 Found unless you pass code=


@app.route("/legacy-about")
def legacy_about():
    return redirect(url_for("about"), code=301)  # permanent


@app.route("/subscribe", methods=["POST"])
def subscribe():
    # 302 after a POST: browsers follow it with a GET (post/redirect/get).
    return redirect(url_for("about"))
