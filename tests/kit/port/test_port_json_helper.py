"""Rule `json-helper`: a body read by a helper (or silently by a view) → a dependency."""

from __future__ import annotations

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source
from flask2fastapi.port.json_body import DEPENDENCIES, SILENT, STRICT

from tests.kit.port.checks import check_noop, check_transformed, todos

RULES = ("routes", "json-helper")

SILENT_HELPER = """\
from flask import Flask, abort, request

app = Flask(__name__)


def read_name(limit=100):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data.get("name")


@app.post("/items")
def create():
    return {"name": read_name()}


@app.put("/items/<int:item_id>")
def update(item_id):
    return {"id": item_id, "name": read_name(50)}
"""


def test_a_silent_helper_gets_the_body_from_its_views():
    check_transformed(
        SILENT_HELPER,
        f"""\
from flask import Flask, abort
from fastapi import Depends, Path, Request
from typing import Annotated, Any

app = Flask(__name__)


{DEPENDENCIES[SILENT]}

def read_name(limit=100, body: Any = None):
    data = body
    if not isinstance(data, dict):
        abort(400)
    return data.get("name")


@app.post("/items")
def create(body: Annotated[Any, Depends(json_or_none)]):
    return {{"name": read_name(body=body)}}


@app.put("/items/{{item_id}}")
def update(item_id: Annotated[int, Path(ge=0)], body: Annotated[Any, Depends(json_or_none)]):
    return {{"id": item_id, "name": read_name(50, body=body)}}
""",
        *RULES,
    )


def test_a_strict_helper_and_a_silent_view():
    out, counts = port_source(
        """\
from flask import Flask, request

app = Flask(__name__)


def name_from_body():
    return request.get_json()["name"]


@app.route("/items", methods=["GET", "POST"])
def items():
    if request.method == "POST":
        return {"name": name_from_body()}
    return {}


@app.patch("/notes")
def patch():
    data = request.get_json(silent=True)
    return {"data": data}
""",
        RULES,
    )
    assert 'def name_from_body(body: Any = None):\n    return body["name"]' in out
    assert "def items(body: Annotated[Any, Depends(json_like_flask)]):" in out
    assert "def patch(body: Annotated[Any, Depends(json_or_none)]):\n    data = body\n" in out
    assert DEPENDENCIES[SILENT] in out and DEPENDENCIES[STRICT] in out
    assert 'request.method == "POST"' in out  # the request-object rule's, not this one's
    assert counts["json-helper"] == 2
    again, _ = port_source(out, RULES)
    assert again == out


@pytest.mark.parametrize(
    "source",
    [
        # the helper also reads something else of `request`: it needs the request itself
        """\
        from flask import Flask, request
        app = Flask(__name__)
        def read():
            return request.get_json(silent=True), request.headers.get("x")
        @app.post("/a")
        def a():
            return {"r": read()}
        """,
        # called from a function that is not a view: no body to pass on
        """\
        from flask import Flask, request
        app = Flask(__name__)
        def read():
            return request.get_json(silent=True)
        def twice():
            return read()
        @app.post("/a")
        def a():
            return {"r": twice()}
        """,
        # the helper's name is used as a value
        """\
        from flask import Flask, request
        app = Flask(__name__)
        def read():
            return request.get_json()
        READERS = [read]
        @app.post("/a")
        def a():
            return {"r": read()}
        """,
        # other arguments than silent=True
        """\
        from flask import Flask, request
        app = Flask(__name__)
        def read():
            return request.get_json(force=True)
        @app.post("/a")
        def a():
            return {"r": read()}
        """,
        # the view already has a `body`
        """\
        from flask import Flask, request
        app = Flask(__name__)
        def read():
            return request.get_json(silent=True)
        @app.post("/a/<body>")
        def a(body):
            return {"r": read()}
        """,
    ],
)
def test_helpers_it_cannot_follow_are_left(source):
    out, counts = port_source(
        __import__("textwrap").dedent(source), ("routes", "json-helper", "request-json")
    )
    assert "json-helper" not in counts and "Depends(" not in out
    assert (
        "request-json",
        "read the body through a parameter of the view (a Pydantic model)",
    ) in todos(out)


def test_not_a_flask_request_is_left():
    check_noop(
        """\
        from fastapi import FastAPI
        app = FastAPI()
        def read(request):
            return request.get_json(silent=True)
        """,
        "json-helper",
    )


def _ported_app():
    out, _ = port_source(
        """\
from flask import Flask, request

app = Flask(__name__)


def read():
    return request.get_json(silent=True)


def strict():
    return request.get_json()


@app.post("/silent")
def silent_view():
    return {"data": read()}


@app.route("/strict", methods=["GET", "POST"])
def strict_view():
    return {"data": strict()}
"""
    )
    namespace: dict = {}
    exec(compile(out, "port.py", "exec"), namespace)  # noqa: S102
    return namespace["app"]


@pytest.mark.parametrize(
    ("path", "request_", "status", "body"),
    [
        ("/silent", {"json": {"a": 1}}, 200, {"data": {"a": 1}}),
        ("/silent", {"content": b"{nope", "headers": {"content-type": "application/json"}},
         200, {"data": None}),
        ("/silent", {"content": b'{"a": 1}', "headers": {"content-type": "text/plain"}},
         200, {"data": None}),
        ("/silent", {"content": b'{"a": 1}',
                     "headers": {"content-type": "application/merge-patch+json"}},
         200, {"data": {"a": 1}}),
        ("/silent", {}, 200, {"data": None}),
        ("/strict", {"json": [1]}, 200, {"data": [1]}),
        ("/strict", {"content": b"{nope", "headers": {"content-type": "application/json"}},
         400, {"detail": "Bad Request"}),
        ("/strict", {"content": b'{"a": 1}', "headers": {"content-type": "text/plain"}},
         415, {"detail": "Unsupported Media Type"}),
    ],
)  # fmt: skip
def test_the_dependencies_read_the_body_as_flask_did(path, request_, status, body):
    """Flask's `get_json(silent=True)` gives None for a body that is not JSON or does not
    parse; `get_json()` answers 415 and 400 there (as FastAPI's JSON error body here)."""
    with client_for("fastapi", _ported_app()) as client:
        r = client.post(path, **request_)
        assert (r.status_code, r.json()) == (status, body)
        assert client.get("/strict").json() == {"data": None}  # no body: the GET still works
