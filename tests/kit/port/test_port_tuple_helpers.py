"""A helper that builds a view's `(body, status)` tuple (issue 21, item 3): Flask reads
the tuple the view returns whichever function built it; FastAPI would send it as a JSON
list with 200. The `responses` rule converts the helper's tuples when every use of it is
`return helper(...)` in a view, and leaves a TODO at the view's return otherwise."""

from __future__ import annotations

import textwrap

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source

from tests.kit.port.checks import load_module, todos

FLASK_APP = """\
from flask import Flask, jsonify

app = Flask(__name__)


def error(message, code=400):
    return jsonify(error=message), code


def created(item):
    if item is None:
        return "missing", 404
    return {"id": item}, 201, {"Location": f"/items/{item}"}


@app.get("/bad")
def bad():
    return error("bad", 409)


@app.get("/made/<int:item>")
def made(item):
    return created(item if item else None)
"""


def _body(response):  # type: ignore[no-untyped-def]
    """JSON parsed (Flask's `jsonify` ends its text with a newline, FastAPI's not)."""
    if response.headers["content-type"] == "application/json":
        return response.json()
    return response.text


def test_a_helpers_tuple_every_view_returns_answers_alike(tmp_path):
    port, counts = port_source(FLASK_APP)
    assert 'return JSONResponse({"error": message}, status_code=code)' in port, port
    assert not todos(port), port
    assert counts["responses"] == 3
    again, _ = port_source(port)
    assert again == port
    apps = {
        "flask": load_module(tmp_path / "th_flask.py", FLASK_APP, "th_flask").app,
        "fastapi": load_module(tmp_path / "th_port.py", port, "th_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            seen[framework] = [
                (r.status_code, r.headers["content-type"], _body(r), r.headers.get("location"))
                for r in map(client.get, ("/bad", "/made/0", "/made/7"))
            ]
    assert seen["fastapi"] == seen["flask"]
    assert [s[:2] for s in seen["flask"]] == [
        (409, "application/json"),
        (404, "text/html; charset=utf-8"),
        (201, "application/json"),
    ]
    assert seen["flask"][2][3] == "/items/7"


def test_a_helper_used_otherwise_leaves_a_todo_at_the_views_return():
    source = textwrap.dedent(
        """\
        from flask import Flask

        app = Flask(__name__)


        def created(item):
            return {"id": item}, 201


        def batch(items):
            return [created(i)[0] for i in items]


        @app.get("/one")
        def one():
            result = created(1)
            return result


        @app.get("/two")
        def two():
            return created(2)
        """
    )
    out, _ = port_source(source)
    assert '    return {"id": item}, 201\n' in out, out  # left as it was
    text = (
        "`created` returns a (body, status) tuple, which FastAPI sends as a JSON list: "
        "make it return a JSONResponse(body, status_code=...)"
    )
    assert todos(out) == [("responses", text)] * 2, out
