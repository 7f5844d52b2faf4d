"""Rule `request-object` outside a view: helpers that read the request, and
`request.accept_mimetypes` (the content-negotiation page); then the page's own app."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from flask2fastapi import parity
from flask2fastapi.apps import load_module_from_path
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.traffic import load_toml

from tests.kit.port.checks import check_transformed, todos

SNIPPETS = Path(__file__).resolve().parents[3] / "snippets"


def test_helpers_reading_the_request_take_the_views_request():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        def wants_json():
            return request.accept_mimetypes.accept_json


        def best():
            # JSON unless HTML is preferred
            if wants_json():
                return "json"
            return request.accept_mimetypes.best


        def client_ip(*, default="?"):
            return request.remote_addr or default


        @app.get("/a")
        def a():
            html = request.accept_mimetypes["text/html"]
            return {"kind": best(), "ip": client_ip(), "html": html}
        """,
        """\
        from fastapi import Request, FastAPI
        from werkzeug.datastructures import MIMEAccept
        from werkzeug.http import parse_accept_header

        app = FastAPI()


        def wants_json(request: Request):
            return parse_accept_header(request.headers.get("accept"), MIMEAccept).accept_json


        def best(request: Request):
            # JSON unless HTML is preferred
            if wants_json(request):
                return "json"
            return parse_accept_header(request.headers.get("accept"), MIMEAccept).best


        def client_ip(request: Request, *, default="?"):
            return getattr(request.client, "host", None) or default


        @app.get("/a")
        def a(request: Request):
            html = parse_accept_header(request.headers.get("accept"), MIMEAccept)["text/html"]
            return {"kind": best(request), "ip": client_ip(request), "html": html}
        """,
        "request-object",
    )


def test_a_helper_not_only_called_from_views_keeps_its_todo():
    source = textwrap.dedent(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        def path():
            return request.path


        def token():
            return request.args.get("token")


        def agent():
            return request.headers.get("User-Agent")


        def log():
            print(agent())


        STARTED = path()


        @app.get("/a")
        def a():
            log()
            keep = path
            return {"path": path(), "token": token()}


        class Views:
            def b(self):
                return agent()
        """
    )
    out, counts = port_source(source, ("request-object",))
    assert todos(out) == [
        ("request-object", "`request.path` outside a view: pass the value from the view"),
        ("request-object", "`request.args` outside a view: pass the value from the view"),
        ("request-object", "`request.headers` outside a view: pass the value from the view"),
    ]
    assert "request: Request" not in out and not counts
    assert port_source(out, ("request-object",))[0] == out


def test_a_function_with_its_own_request_is_left_alone():
    source = textwrap.dedent(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        def forward(request):
            return request.headers.get("Host")


        @app.get("/a")
        def a():
            return {"host": forward(request)}
        """
    )
    out, _ = port_source(source, ("request-object",))
    assert 'def forward(request):\n    return request.headers.get("Host")\n' in out
    assert "forward(request: Request" not in out


def test_the_content_negotiation_port_answers_as_the_flask_app(tmp_path, monkeypatch):
    """The page's Flask app, ported without edits, over the page's exchanges: HTML for a
    browser, JSON otherwise, `Vary: Accept`, the 405's Allow, and a crash, which Flask
    sent to the same handler (the errorhandler rule's `Exception` handler calls it)."""
    folder = SNIPPETS / "content-negotiation"
    report = port_tree(folder / "flask_app.py", tmp_path / "port")
    assert report.todos == []
    port = load_module_from_path(tmp_path / "port" / "flask_app.py", "negotiation_port")
    flask_app = load_module_from_path(folder / "flask_app.py", "negotiation_flask")
    result = parity.run(flask_app.app, port.app, load_toml(folder / "exchanges.toml"))
    verdicts = {
        r.id: sorted({d.rule or "unexpected" for d in r.differences}) for r in result.results
    }
    assert verdicts == {
        "browser": [],
        "api-client": ["json-trailing-newline"],
        "any": ["json-trailing-newline"],
        "q-values": [],
        "garbage": ["json-trailing-newline"],
        "wrong-method": ["allow-header"],
        "crash": ["json-trailing-newline"],
        "bad-path-parameter": ["converter-422"],
    }


@pytest.mark.parametrize("accept", ["text/html", "application/json;q=0.5, text/html", "x"])
def test_the_accept_recipe_reads_as_flask_does(accept):
    """The recipe is Werkzeug's parser, the one behind Flask's `accept_mimetypes`."""
    from flask import Flask, request
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    with Flask(__name__).test_request_context(headers={"Accept": accept}):
        flask_best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    recipe = parse_accept_header(accept, MIMEAccept)
    assert recipe.best_match(["application/json", "text/html"]) == flask_best


def test_werkzeugs_get_headers_becomes_the_page_content_type_and_starlettes_headers():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from fastapi import FastAPI
            from werkzeug.exceptions import HTTPException

            app = FastAPI()


            @app.errorhandler(HTTPException)
            def http_error(exc):
                kept = [(k, v) for k, v in exc.get_headers() if k != "Content-Type"]
                return {"error": exc.name}, exc.code, kept
            """
        ),
        ("errorhandler",),
    )
    assert (
        '    kept = [(k, v) for k, v in [("Content-Type", "text/html; charset=utf-8"), '
        '*(exc.headers or {}).items()] if k != "Content-Type"]\n'
    ) in out
    assert "get_headers" not in " ".join(text for _, text in todos(out))
