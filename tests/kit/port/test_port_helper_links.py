"""`url_for("endpoint")` in a module-level helper (issue 21, item 2): the helper takes the
view's request, as a helper that reads `request` does (`request_helpers`), and the call
becomes the url-building page's `request.url_for("endpoint").path`. A call it cannot
convert keeps its line and the `flask-names` TODO."""

from __future__ import annotations

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, load_module, todos

LINKS = """\
from flask import Flask, url_for

app = Flask(__name__)


def home_link():
    return {"href": url_for("index")}


def item_link(n):
    return url_for("item", n=n)


@app.get("/")
def index():
    return home_link()


@app.get("/items/<int:n>")
def item(n):
    return {"home": home_link()["href"]}


@app.get("/raw/<int:n>")
def raw(n):
    return {"self": item_link(n)}
"""


def test_a_helpers_url_for_takes_the_views_request(tmp_path):
    port, counts = port_source(LINKS)
    assert counts["request-object"] >= 3  # the url_for, and the two calls passing the request
    assert (
        'def home_link(request: Request):\n    return {"href": request.url_for("index").path}'
        in port
    )
    assert "    return home_link(request)\n" in port
    assert [(rule, text.split("`")[1]) for rule, text in todos(port)] == [
        ("flask-names", "url_for")  # item_link's, with a path parameter
    ], port
    assert port_source(port)[0] == port
    apps = {
        "flask": load_module(tmp_path / "links_flask.py", LINKS, "links_flask").app,
        "fastapi": load_module(tmp_path / "links_port.py", port, "links_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            seen[framework] = [
                (r.status_code, r.json()) for r in map(client.get, ("/", "/items/3"))
            ]
    assert seen["fastapi"] == seen["flask"] == [(200, {"href": "/"}), (200, {"home": "/"})]


def test_a_helper_called_outside_a_view_is_left_alone():
    # Called at import time: no request to pass, so no conversion (flask-names' TODO instead).
    check_noop(
        """\
        from fastapi import FastAPI
        from flask import url_for

        app = FastAPI()


        def home_link():
            return url_for("index")


        HOME = home_link()
        """,
        "request-object",
    )
