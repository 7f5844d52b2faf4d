"""Per-request and app-wide values in Flask: flask.g and current_app.

Run it with: flask --app flask_app run
"""

import itertools
import re

from flask import Flask, current_app, g, request

app = Flask(__name__)
# App-wide objects: Flask's convention is the app.extensions dict.
app.extensions["request_ids"] = itertools.count(1)  # deterministic ids for the demo
app.extensions["inventory"] = {"apple": 2, "pear": 0}
# A client's id is echoed and logged: accept only a short, plain token, never raw text.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@app.before_request
def assign_request_id():
    # g lives for one request: the next request starts with an empty g.
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = (
        sent if REQUEST_ID.fullmatch(sent) else f"req-{next(current_app.extensions['request_ids'])}"
    )


@app.after_request
def echo_request_id(response):
    response.headers["X-Request-ID"] = g.request_id
    return response


def log_prefix() -> str:
    return f"[{g.request_id}]"  # any code called during the request can reach g


@app.get("/request-id")
def show_request_id():
    return {"request_id": g.request_id, "log_prefix": log_prefix()}


@app.post("/stock/<name>/take")
def take(name: str):
    inventory = current_app.extensions["inventory"]  # the app handling this request
    if name not in inventory:
        return {"detail": f"No item {name!r}"}, 404
    if inventory[name] == 0:
        return {"detail": f"{name} is out of stock"}, 409
    inventory[name] -= 1  # shared by every request, unlike g
    return {"name": name, "stock": inventory[name]}


# --8<-- [start:contextvar]
@app.before_request
def set_tenant():
    g.tenant = request.headers.get("X-Tenant", "public")


def current_tenant() -> str:
    return g.tenant  # deep code reaches the request's value without being handed it


@app.get("/tenant")
def show_tenant():
    return {"tenant": current_tenant()}


# --8<-- [end:contextvar]
