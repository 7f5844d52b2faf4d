"""Rules `responses` and `redirect`: what a view returns."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos

HEAD = """\
from fastapi import FastAPI
from flask import jsonify, make_response, redirect, url_for

app = FastAPI()
"""


def test_tuples_jsonify_and_text():
    check_transformed(
        HEAD
        + """
@app.post("/a")
def a():
    if True:
        return jsonify({"error": "bad"}), 400
    if False:
        return "", 204
    return {"id": 1}, 201, {"Location": "/a/1"}
""",
        """\
        from fastapi import FastAPI
        from flask import make_response, redirect, url_for
        from fastapi.responses import HTMLResponse, JSONResponse

        app = FastAPI()

        @app.post("/a")
        def a():
            if True:
                return JSONResponse({"error": "bad"}, status_code=400)
            if False:
                return HTMLResponse("", status_code=204)
            return JSONResponse({"id": 1}, status_code=201, headers={"Location": "/a/1"})
        """,
        "responses",
    )


def test_redirect_to_url_for_keeps_302():
    check_transformed(
        HEAD
        + """
@app.get("/old")
def old():
    return redirect(url_for("about"))
""",
        """\
        from fastapi import Request, FastAPI
        from flask import jsonify, make_response
        from fastapi.responses import RedirectResponse

        app = FastAPI()

        @app.get("/old")
        def old(request: Request):
            return RedirectResponse(request.url_for("about"), status_code=302)
        """,
        "redirect",
    )


def test_returns_outside_views_are_left():
    check_noop(
        """\
        def helper():
            return {"a": 1}, 400
        """,
        "responses",
        "redirect",
    )


def test_a_jsonify_not_returned_directly_gets_a_todo():
    """Seen in a public tutorial app: `json_text = jsonify(todos); return json_text`. Left
    as it was, it raises outside Flask's app context (a 500); the line says so."""
    out, _ = port_source(
        "from flask import Flask, jsonify\napp = Flask(__name__)\n"
        "@app.route('/todos')\ndef todos():\n    text = jsonify([1])\n    return text\n",
        ("routes", "responses", "app"),
    )
    assert todos(out) == [
        ("responses", "`jsonify` needs Flask's app context: return the value (or a JSONResponse)")
    ]
    assert "    text = jsonify([1])  # TODO(flask2fastapi responses)" in out


def test_a_returned_jsonify_is_unwrapped_without_a_todo():
    check_transformed(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)
        @app.route('/todos')
        def todos():
            return jsonify([1])
        """,
        """\
        from fastapi import FastAPI

        app = FastAPI()
        @app.get("/todos")
        def todos():
            return [1]
        """,
        "routes",
        "responses",
        "app",
    )
