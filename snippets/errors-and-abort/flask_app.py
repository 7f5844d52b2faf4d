"""abort() and Flask's default error pages. Run it with: flask --app flask_app run"""

from flask import Flask, abort, request
from werkzeug.datastructures import WWWAuthenticate

app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)

ITEMS = {1: {"id": 1, "name": "Widget"}}


@app.get("/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        # The description goes into Werkzeug's HTML error page.
        abort(404, description=f"Item {item_id} not found")
    return ITEMS[item_id]


@app.get("/admin")
def admin():
    abort(403)  # no description: Werkzeug's stock sentence for 403


@app.get("/me")
def me():
    if "authorization" not in request.headers:
        # abort() passes keyword arguments to the exception class, here Unauthorized,
        # which turns them into the WWW-Authenticate header.
        abort(401, www_authenticate=WWWAuthenticate("bearer"))
    return {"user": "ada"}


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")  # not an HTTP error: Flask logs it and answers 500
