"""The request a view hands on (issue 21, items 4 and 5).

4. A view that passes its bare `request` to a function: once ported that function gets
   Starlette's Request. Kept when the function is the module's own and reads only what
   Starlette's Request reads alike; a TODO at the call otherwise.
5. A helper that reads `request` takes the view's `request: Request` only when no other
   module of the tree may import it (those calls would go without it)."""

from __future__ import annotations

import textwrap

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source, port_tree

from tests.kit.port.checks import load_module, todos

FLASK_APP = """\
from flask import Flask, request

app = Flask(__name__)


def method_of(req):
    return {"method": req.method, "agent": req.headers.get("X-Agent")}


def query_of(req):
    return req.args.to_dict()


@app.get("/same")
def same():
    return method_of(request)


@app.get("/other")
def other():
    return query_of(request)
"""


def test_a_request_passed_to_a_reader_of_what_starlette_has_answers_alike(tmp_path):
    port, counts = port_source(FLASK_APP)
    assert "def same(request: Request):\n    return method_of(request)\n" in port, port
    assert counts["request-object"] == 1
    assert todos(port) == [
        (
            "request-object",
            "`query_of` gets the request here and reads `args`: once ported it gets "
            "Starlette's Request; read the values in the view and pass them instead",
        )
    ]
    # Without the line the TODO is on, the two apps answer alike.
    code = port.split('@app.get("/other")')[0]
    flask_code = FLASK_APP.split('@app.get("/other")')[0]
    apps = {
        "flask": load_module(tmp_path / "rp_flask.py", flask_code, "rp_flask").app,
        "fastapi": load_module(tmp_path / "rp_port.py", code, "rp_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            r = client.get("/same", headers={"X-Agent": "probe"})
            seen[framework] = (r.status_code, r.headers["content-type"], r.json())
    assert (
        seen["fastapi"]
        == seen["flask"]
        == (200, "application/json", {"method": "GET", "agent": "probe"})
    )


def test_a_request_passed_elsewhere_or_on_keeps_a_todo():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask, request

            from .audit import record

            app = Flask(__name__)


            def keep(req):
                return remember(req)


            @app.post("/a")
            def a():
                record(request)
                return keep(req=request)
            """
        )
    )
    assert todos(out) == [
        (
            "request-object",
            "`record` gets the request here and is not this module's: once ported it gets "
            "Starlette's Request; read the values in the view and pass them instead",
        ),
        (
            "request-object",
            "`keep` gets the request here and reads `it whole`: once ported it gets "
            "Starlette's Request; read the values in the view and pass them instead",
        ),
    ], out


def _package(tmp_path, api: str):  # type: ignore[no-untyped-def]
    src = tmp_path / "shop"
    src.mkdir()
    (src / "__init__.py").write_text(
        "from flask import Flask\n\nfrom .api import api\nfrom .views import views\n\n"
        "app = Flask(__name__)\napp.register_blueprint(api)\napp.register_blueprint(views)\n"
    )
    (src / "views.py").write_text(
        textwrap.dedent(
            """\
            from flask import Blueprint, request

            views = Blueprint("views", __name__)


            def wants_json():
                return request.headers.get("Accept") == "application/json"


            @views.get("/")
            def index():
                return {"json": wants_json()}
            """
        )
    )
    (src / "api.py").write_text(api)
    return src


def test_a_helper_another_module_imports_keeps_its_todo(tmp_path):
    api = (
        "from flask import Blueprint\n\nfrom .views import wants_json\n\n"
        'api = Blueprint("api", __name__)\n\n\n@api.get("/api")\n'
        'def api_index():\n    return {"json": wants_json()}\n'
    )
    report = port_tree(_package(tmp_path, api), tmp_path / "out")
    views = next(f.after for f in report.files if f.path == "views.py")
    assert "def wants_json():" in views, views
    assert [t.text.split(" — ")[0] for t in report.todos if t.file.startswith("views.py")] == [
        "`request.headers` outside a view: pass the value from the view"
    ]


def test_a_helper_only_its_module_calls_takes_the_request(tmp_path):
    api = (
        'from flask import Blueprint\n\napi = Blueprint("api", __name__)\n\n\n'
        '@api.get("/api")\ndef api_index():\n    return {"api": True}\n'
    )
    report = port_tree(_package(tmp_path, api), tmp_path / "out")
    views = next(f.after for f in report.files if f.path == "views.py")
    assert "def wants_json(request: Request):" in views, views
    assert 'return {"json": wants_json(request)}' in views, views
