"""`flask2fastapi scan`: routes, Flask API, extensions, checklist, and bad input."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading

import pytest
from flask2fastapi.knowledge import Knowledge
from flask2fastapi.scan import ScanError, convert_rule, route_model_of, scan

from .conftest import APPS, SAMPLE

SINGLE_ROUTES = {
    ("GET", "/", "index"),
    ("DELETE GET", "/users/<int:user_id>", "user"),
    ("GET", "/files/<path:name>", "files"),
    ("POST", "/orders/", "create_order"),
    ("GET", "/old", "old"),
    ("GET", "/shapes/<any(circle, square):kind>/<float(min=0):size>", "shape"),
    ("GET POST", "/items", "items"),
    ("GET", "/static/<path:filename>", "static"),
}
FACTORY_ROUTES = {
    ("GET", "/admin/", "admin.dashboard", "admin", "/admin"),
    (
        "GET",
        "/admin/reports/<uuid:report_id>",
        "admin.reports.report",
        "admin.reports",
        "/admin/reports",
    ),
    ("GET", "/pages/<slug>", "public.page", "public", "/pages"),
}
SAMPLE_ROUTES = {
    ("GET", "/", "auth.index"),
    ("GET", "/login", "auth.login_form"),
    ("POST", "/login", "auth.login"),
    ("POST", "/logout", "auth.logout"),
    ("GET", "/health", "auth.health"),
    ("GET", "/api/items", "api.list_items"),
    ("GET", "/api/items/<int:item_id>", "api.get_item"),
    ("POST", "/api/items", "api.create_item"),
    ("GET", "/static/<path:filename>", "static"),
}


def _routes(report):
    return {(" ".join(r.methods), r.rule, r.endpoint) for r in report.routes}


def _by_rule(report):
    return {r.rule: r for r in report.routes}


def test_single_module_app_from_source():
    report = scan(str(APPS / "single_module.py"))
    assert report.mode == "source"
    assert _routes(report) == SINGLE_ROUTES
    shape = _by_rule(report)["/shapes/<any(circle, square):kind>/<float(min=0):size>"]
    assert shape.fastapi_path == "/shapes/{kind}/{size}"
    assert [(p.name, p.fastapi_type) for p in shape.parameters] == [
        ("kind", 'Literal["circle", "square"]'),
        ("size", "Annotated[float, Path(ge=0)]"),
    ]
    user = _by_rule(report)["/users/<int:user_id>"]
    assert user.fastapi_decorator == '@app.api_route("/users/{user_id}", methods=["DELETE", "GET"])'
    assert [c.rule for c in user.changes] == [
        "converter-422", "head-options", "extra-slash-redirect", "json-key-order", "error-envelope",
    ]  # fmt: skip
    assert "a malformed `user_id` answers 422 instead of 404" in user.changes[0].text
    assert [c.rule for c in _by_rule(report)["/"].changes] == ["head-options", "str-json"]
    orders = _by_rule(report)["/orders/"]
    assert {"slash-redirect-307", "json-body-422"} <= {c.rule for c in orders.changes}
    assert "redirect-307" in {c.rule for c in _by_rule(report)["/old"].changes}


def test_single_module_app_imported_gives_the_same_routes():
    report = scan("single_module:app", APPS)
    assert report.mode == "import"
    assert _routes(report) == SINGLE_ROUTES
    assert _by_rule(report)["/users/<int:user_id>"].source == "single_module.py:19"


def test_factory_with_nested_blueprints_and_extensions():
    for target in (str(APPS / "factory_shop"), "factory_shop:create_app"):
        report = scan(target, APPS)
        found = {
            (" ".join(r.methods), r.rule, r.endpoint, r.blueprint, r.url_prefix)
            for r in report.routes
        }
        assert found == FACTORY_ROUTES, target  # static_folder=None: no static route
        assert [e.module for e in report.extensions] == ["flask_cors", "flask_wtf"]
        reports = _by_rule(report)["/admin/reports/<uuid:report_id>"]
        assert reports.fastapi_decorator == '@admin_reports.get("/{report_id}")'
        assert reports.parameters[0].fastapi_type == "UUID"


def test_sample_app_source_and_import_agree(sample_env):
    from_source = scan(str(SAMPLE / "flask_app"))
    imported = scan("flask_app:create_app", SAMPLE)
    assert _routes(from_source) == _routes(imported) == SAMPLE_ROUTES
    assert {b.name: b.url_prefix for b in imported.blueprints} == {"auth": None, "api": "/api"}
    assert [e.name for e in imported.extensions] == ["Flask-Login", "Flask-SQLAlchemy"]
    # Flask's own settings, apart from the extension's and the app's.
    assert imported.config_keys == [
        "SECRET_KEY", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE",
    ]  # fmt: skip
    assert imported.app_settings == ["ITEMS_PER_PAGE", "SQLALCHEMY_DATABASE_URI"]


def test_names_come_from_parsing_not_text(tmp_path):
    (tmp_path / "app.py").write_text(
        textwrap.dedent("""
        from flask import Flask, redirect as go
        import werkzeug.exceptions as wx
        app = Flask(__name__)
        NOTE = "flask.abort and request.args in a string are not uses"
        # neither is flask.jsonify in a comment

        @app.get("/")
        def index():
            if wx.NotFound:
                return go("/elsewhere")
        """)
    )
    names = {a.name for a in scan(str(tmp_path)).apis}
    assert names == {
        "flask.Flask", "flask.Flask.get", "flask.redirect", "werkzeug.exceptions.NotFound",
    }  # fmt: skip


def test_every_name_is_linked_or_listed_as_not_covered(tmp_path):
    data = json.loads(json.dumps(Knowledge.load().data))
    data["names"] = {"flask.redirect": [{"page": "routing/url-building.md", "anchor": "redirects"}]}
    knowledge = Knowledge(data)
    (tmp_path / "app.py").write_text(
        "from flask import Flask, redirect, flash\napp = Flask(__name__)\n"
        "@app.get('/')\ndef i():\n    flash('x')\n    return redirect('/')\n"
    )
    apis = {a.name: a.pages for a in scan(str(tmp_path), knowledge=knowledge).apis}
    assert [p.url for p in apis["flask.redirect"]] == [
        knowledge.site_url + "routing/url-building/#redirects"
    ]
    assert apis["flask.flash"] == []  # listed, with no page: not dropped


def test_extensions_are_linked_to_their_page_or_marked_uncovered(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\nfrom flask_cors import CORS\nimport flask_unheard_of\n"
        "app = Flask(__name__)\nCORS(app)\n"
    )
    report = scan(str(tmp_path))
    found = {e.module: e.page for e in report.extensions}
    assert found["flask_cors"].url.endswith("/security/cors/")
    assert found["flask_unheard_of"] is None


@pytest.mark.parametrize(
    ("rule", "path", "types"),
    [
        ("/u/<int:id>", "/u/{id}", ["int"]),
        ("/u/<int(min=1, max=9):id>", "/u/{id}", ["Annotated[int, Path(ge=1, le=9)]"]),
        ("/u/<id>", "/u/{id}", ["str"]),
        (
            "/u/<string(length=2):cc>",
            "/u/{cc}",
            ["Annotated[str, Path(min_length=2, max_length=2)]"],
        ),
        ("/f/<path:p>", "/f/{p:path}", ["str"]),
        ("/o/<uuid:o>/<float:x>", "/o/{o}/{x}", ["UUID", "float"]),
        ("/c/<custom:x>", "/c/{x}", ["str"]),
    ],
)
def test_converters_become_fastapi_paths_and_types(rule, path, types):
    converted, params = convert_rule(rule)
    assert converted == path
    assert [p.fastapi_type for p in params] == types


def test_checklist_puts_extensions_and_structure_before_routes(cli, tmp_path):
    out = tmp_path / "plan.json"
    run = cli("scan", APPS / "factory_shop", "--format", "json", "--output", out)
    assert run.code == 0, run.err
    sections = [step["section"] for step in json.loads(out.read_text())["checklist"]]
    assert sections[:2] == ["extensions", "extensions"]
    first_route = next(i for i, s in enumerate(sections) if s.startswith("blueprint"))
    assert set(sections[2:first_route]) == {"structure"}
    assert sections[first_route:] == [
        "blueprint admin", "blueprint admin",
        "blueprint admin.reports", "blueprint admin.reports",
        "blueprint public", "blueprint public",
    ]  # fmt: skip


def test_markdown_and_text_formats(cli):
    md = cli("scan", APPS / "single_module.py", "--format", "md")
    assert md.code == 0
    for heading in ("# Migration plan", "## Checklist", "## Routes", "## Flask and Werkzeug API"):
        assert heading in md.out
    assert '| `GET /` | `index` | `@app.get("/")` |' in md.out
    text = cli("scan", APPS / "single_module.py")
    assert text.out.startswith(f"{APPS / 'single_module.py'}: 8 routes (source)")


# ------------------------------------------------------------------------------ bad input


def test_a_folder_without_a_flask_app(cli, tmp_path):
    (tmp_path / "tool.py").write_text("print('no app here')\n")
    out = tmp_path / "plan.md"
    run = cli("scan", tmp_path, "--output", out)
    assert run.code == 2
    assert run.err == f"flask2fastapi: error: {tmp_path}: no Flask app found in 1 Python files\n"
    assert not out.exists()


def test_an_app_that_fails_to_import(cli, tmp_path):
    (tmp_path / "broken.py").write_text("from flask import Flask\nimport os\nos.environ['NOPE']\n")
    run = cli("scan", "broken:app", "--path", tmp_path)
    assert run.code == 2
    assert f"{tmp_path / 'broken.py'}:3: import failed: KeyError('NOPE')" in run.err


def test_a_module_that_does_not_exist(cli, tmp_path):
    run = cli("scan", "no_such_module:app", "--path", tmp_path)
    assert run.code == 2
    assert "no module named 'no_such_module'" in run.err


def test_a_factory_that_needs_arguments(cli):
    run = cli("scan", "factory_shop:make_app", "--path", APPS)
    assert run.code == 2
    assert "factory make_app() needs arguments (config_name)" in run.err
    assert str(APPS / "factory_shop" / "__init__.py") in run.err


def test_an_import_path_to_something_else(cli, tmp_path):
    (tmp_path / "notapp.py").write_text("app = 42\n")
    run = cli("scan", "notapp:app", "--path", tmp_path)
    assert run.code == 2
    assert "app is a int, not a Flask or FastAPI app" in run.err


def test_a_fastapi_app_is_not_scanned(cli, tmp_path):
    (tmp_path / "api.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    run = cli("scan", "api:app", "--path", tmp_path)
    assert run.code == 2
    assert "api:app: is a FastAPI, not a Flask app" in run.err


def test_a_missing_path(cli, tmp_path):
    run = cli("scan", tmp_path / "nowhere")
    assert run.code == 2
    assert "nowhere: no such file or folder" in run.err


def test_a_syntax_error_in_the_only_file(cli, tmp_path):
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(\n")
    out = tmp_path / "plan.md"
    out.write_text("the previous plan\n")
    run = cli("scan", tmp_path / "app.py", "--output", out)
    assert run.code == 2
    assert run.err.startswith("flask2fastapi: error: app.py:2: syntax error:")
    assert out.read_text() == "the previous plan\n"  # nothing written half-way


def test_a_syntax_error_in_one_file_of_a_folder(cli, tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n"
        "@app.get('/ok')\ndef ok():\n    return {}\n"
    )
    (tmp_path / "broken.py").write_text("def oops(:\n")
    out = tmp_path / "plan.json"
    run = cli("scan", tmp_path, "--format", "json", "--output", out)
    assert run.code == 3  # the report is complete for every other file, the inventory is not
    assert "could not parse broken.py:1: syntax error" in run.err
    assert (
        "coverage: 2 routes (1 decorator, 1 static); 0 registrations not resolved; "
        "1 files not parsed" in run.err
    )
    report = json.loads(out.read_text())
    assert report["problems"] == [
        {"file": "broken.py:1", "message": "syntax error: invalid syntax"}
    ]
    assert "/ok" in {r["rule"] for r in report["routes"]}
    md = cli("scan", tmp_path, "--format", "md")
    assert "1 files could not be read" in md.out and "`broken.py:1`" in md.out


def test_an_output_folder_that_does_not_exist(cli, tmp_path):
    run = cli("scan", APPS / "single_module.py", "--output", tmp_path / "no" / "plan.md")
    assert run.code == 2
    assert "cannot write" in run.err


def test_scan_error_is_raised_by_the_api(tmp_path):
    with pytest.raises(ScanError, match="no Flask app found"):
        scan(str(tmp_path))


def test_the_apps_own_modules_are_not_extensions(tmp_path):
    (tmp_path / "flask_app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (tmp_path / "wsgi.py").write_text("from flask_app import app\napplication = app\n")
    assert scan(str(tmp_path)).extensions == []


def test_registrations_it_cannot_resolve_make_the_inventory_incomplete(cli, tmp_path):
    (tmp_path / "app.py").write_text(
        textwrap.dedent("""
        import importlib, os
        from flask import Flask, Blueprint
        app = Flask(__name__, static_folder=None)
        PLUGINS = os.environ.get("PLUGINS", "").split(",")

        @app.get("/ok")
        def ok():
            return {}

        app.add_url_rule(os.environ["RULE"], view_func=ok)
        for name in PLUGINS:
            importlib.import_module(name).setup(app)

        def mount(target, bp):
            target.register_blueprint(bp)
        """)
    )
    run = cli("scan", tmp_path)
    assert run.code == 3
    assert run.err.splitlines() == [
        "coverage: 1 routes (1 decorator); 3 registrations not resolved; 0 files not parsed",
        "  not resolved: app.py:11 add_url_rule: its rule is computed at run time",
        "  not resolved: app.py:13 import_module: a module imported by a computed name",
        "  not resolved: app.py:16 register_blueprint: "
        "its owner is not a known app, blueprint or API",
        "  the inventory is incomplete (import mode reads the real url_map: "
        "`module:app` or `module:create_app`)",
    ]


def test_a_complete_inventory_exits_0_and_says_how_routes_were_found(cli):
    run = cli("scan", APPS / "single_module.py")
    assert run.code == 0
    assert run.err == (
        "coverage: 8 routes (6 decorator, 1 class-based view, 1 static); "
        "0 registrations not resolved; 0 files not parsed\n"
    )


def test_the_exit_code_table_ends_every_help(cli, capsys):
    from flask2fastapi.exitcodes import TABLE, help_text

    for args in (["--help"], ["scan", "--help"], ["parity", "--help"]):
        with pytest.raises(SystemExit):
            cli(*args)
        assert help_text() in capsys.readouterr().out
    assert [int(row[0]) for row in TABLE] == [0, 1, 2, 3]


def test_an_extension_that_adds_its_own_routes_makes_the_inventory_incomplete(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\nfrom flask_admin import Admin\nfrom flask_debugtoolbar import "
        "DebugToolbarExtension\napp = Flask(__name__)\nAdmin(app)\n"
        "toolbar = DebugToolbarExtension()\ntoolbar.init_app(app)\n"
    )
    report = scan(str(tmp_path))
    assert not report.coverage.complete
    assert [(u.line, u.call) for u in report.coverage.unresolved] == [
        (5, "flask_admin"), (7, "flask_debugtoolbar"),
    ]  # fmt: skip


def test_star_imports_nested_resources_and_class_attributes(tmp_path):
    (tmp_path / "app.py").write_text(
        textwrap.dedent("""
        from flask import *
        from flask_restful import Api, Resource
        from dtos import UserDto
        app = Flask(__name__, static_folder=None)
        api = Api(app)
        ns = UserDto.api  # a class attribute, as RESTX boilerplates keep namespaces

        class Users:
            class Item(Resource):
                def get(self, uid): ...

        api.add_resource(Users.Item, "/users/<uid>")
        app.register_blueprint(ns)
        """)
    )
    (tmp_path / "dtos.py").write_text(
        "from flask import Blueprint\nclass UserDto:\n    api = Blueprint('users', __name__)\n"
        "@UserDto.api.get('/me')\ndef me():\n    return {}\n"
    )
    report = scan(str(tmp_path))
    assert _routes(report) == {("GET", "/users/<uid>", "item"), ("GET", "/me", "users.me")}
    assert report.coverage.complete


def test_hostile_sources_are_reported_not_crashed_on(cli, tmp_path):
    (tmp_path / "deep.py").write_text("X = " + "+".join(["'a'"] * 3000) + "\n")
    (tmp_path / "nul.py").write_bytes(b"x = 1\x00\n")
    (tmp_path / "loops.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\nA = list(range(2000))\n"
        "for i in A:\n    for j in A:\n        x = i\n"
    )
    (tmp_path / "cycle.py").write_text("def f():\n    return g()\ndef g():\n    return f()\nf()\n")
    run = cli("scan", tmp_path)
    assert run.code == 3
    assert "could not parse deep.py: cannot parse: nested too deeply" in run.err
    assert "could not parse nul.py: syntax error" in run.err
    assert "not resolved: loops.py:6 statement: not followed: over 200000 steps" in run.err


def test_several_apps_in_one_tree_keep_their_own_routes(tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.py").write_text(
            "from flask import Flask\napp = Flask(__name__)\n"
            "@app.get('/health')\ndef health():\n    return {}\n"
        )
    model = route_model_of(tmp_path)[0]
    assert sorted((r.rule, r.file) for r in model.routes) == [
        ("/health", "one.py"), ("/health", "two.py"),
        ("/static/<path:filename>", "one.py"), ("/static/<path:filename>", "two.py"),
    ]  # fmt: skip


def test_apiflask_says_its_openapi_routes_are_not_read(tmp_path):
    (tmp_path / "app.py").write_text("from apiflask import APIFlask\napp = APIFlask(__name__)\n")
    unresolved = route_model_of(tmp_path)[0].unresolved
    assert [(u.line, u.call) for u in unresolved] == [(2, "APIFlask")]


@pytest.mark.parametrize(
    ("source", "spec", "message"),
    [
        (
            "import sys\nsys.exit('no config')\n",
            "quits:app",
            "import failed: SystemExit('no config')",
        ),
        (
            "def create_app():\n    raise SystemExit(4)\n",
            "quits:create_app",
            "calling create_app() failed: SystemExit(4)",
        ),
        ("from threading import Lock\n", "quits:Lock", "Lock is a builtin_function_or_method, not"),
    ],
)
def test_an_app_that_quits_or_a_builtin_is_a_message_not_an_exit(
    cli, tmp_path, source, spec, message
):
    (tmp_path / "quits.py").write_text(source)
    run = cli("scan", spec, "--path", tmp_path)
    assert (run.code, run.out) == (2, "")
    assert message in run.err and str(tmp_path / "quits.py") in run.err, run.err


def test_an_interrupt_is_a_line_not_a_traceback(tmp_path):
    (tmp_path / "stops.py").write_text("raise KeyboardInterrupt\n")  # as Ctrl-C mid-import
    run = subprocess.run(
        [sys.executable, "-m", "flask2fastapi", "scan", "stops:app", "--path", tmp_path],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "flask2fastapi: interrupted\n")


def test_a_folder_whose_only_app_file_does_not_parse_says_why(cli, tmp_path):
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__\n")
    (tmp_path / "nul.py").write_bytes(b"x = 1\x00\n")
    run = cli("scan", tmp_path)
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        f"flask2fastapi: error: {tmp_path}: no Flask app found in 0 Python files; could not "
        "parse app.py:2 (syntax error: '(' was never closed), nul.py (syntax error: source "
        "code string cannot contain null bytes)\n"
    )


def test_output_through_a_symlink_or_into_a_pipe_keeps_the_link_and_the_pipe(cli, tmp_path):
    plan = tmp_path / "plans" / "plan.txt"
    plan.parent.mkdir()
    plan.write_text("old\n")
    link = tmp_path / "latest.txt"
    link.symlink_to(plan)
    assert cli("scan", APPS / "single_module.py", "--output", link).code == 0
    assert link.is_symlink() and plan.read_text().startswith(f"{APPS / 'single_module.py'}: ")
    # A named pipe (as /dev/stdout may be): renaming over it would replace the pipe.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text()), daemon=True)
    reader.start()
    assert cli("scan", APPS / "single_module.py", "--output", pipe).code == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert read and read[0].startswith(f"{APPS / 'single_module.py'}: ")


def test_what_a_factory_prints_goes_to_stderr_not_into_the_plan(cli, tmp_path):
    (tmp_path / "chatty.py").write_text(
        "from flask import Flask\nprint('booting')\n"
        "def create_app():\n    app = Flask(__name__)\n    print('created', app)\n    return app\n"
    )
    run = cli("scan", "chatty:create_app", "--path", tmp_path, "--format", "json")
    assert json.loads(run.out)["mode"] == "import"
    assert "booting\ncreated <Flask 'chatty'>\n" in run.err


def test_a_pipe_in_a_converter_argument_keeps_the_markdown_table_whole(cli, tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__, static_folder=None)\n"
        "@app.get(\"/<any('a|b', 'c'):kind>\")\ndef pick(kind):\n    return kind\n"
    )
    run = cli("scan", tmp_path, "--format", "md")
    (row,) = [line for line in run.out.splitlines() if line.startswith("| `GET /<any(")]
    assert "`kind`: `<any('a\\|b', 'c')>` → `Literal[\"a\\|b\", \"c\"]`" in row
    assert len(row.replace("\\|", "").split("|")) == 7  # five cells


def test_integer_constants_in_rules_are_computed_within_bounds(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__, static_folder=None)\n"
        "MAX_ID = 2**63 - 1\nLOW = -(4 * 8 // 2)\nHUGE = 10**10**9\n"
        "@app.get(f'/a/<int(max={MAX_ID}):n>')\ndef a(n):\n    return ''\n"
        "@app.get(f'/b/<int(min={LOW}, signed=True):n>')\ndef b(n):\n    return ''\n"
        "@app.get(f'/c/<int(max={HUGE}):n>')\ndef c(n):\n    return ''\n"
    )
    model, _ = route_model_of(tmp_path)
    assert sorted(r.rule for r in model.routes) == [
        "/a/<int(max=9223372036854775807):n>", "/b/<int(min=-16, signed=True):n>",
    ]  # fmt: skip
    assert [(u.line, u.reason) for u in model.unresolved] == [
        (12, "its rule is computed at run time")  # 10**10**9 is never computed
    ]


def test_a_named_pipe_called_py_is_not_read(cli, tmp_path):
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    os.mkfifo(tmp_path / "pipe.py")  # reading it would wait for a writer for ever
    run = subprocess.run(
        [sys.executable, "-m", "flask2fastapi", "scan", tmp_path],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "1 files" in run.stdout


def test_conditional_routes_are_listed_as_if_the_condition_held(tmp_path, monkeypatch):
    (tmp_path / "cond.py").write_text(
        "import os\nfrom flask import Flask\napp = Flask(__name__, static_folder=None)\n"
        "if os.environ.get('DEBUG_ROUTES'):\n    @app.get('/debug')\n    def debug():\n"
        "        return ''\n"
        "try:\n    import no_such_optional_module\nexcept ImportError:\n    pass\nelse:\n"
        "    @app.get('/optional')\n    def optional():\n        return ''\n"
    )
    monkeypatch.delenv("DEBUG_ROUTES", raising=False)
    assert {r.rule for r in scan(str(tmp_path)).routes} == {"/debug", "/optional"}
    assert {r.rule for r in scan("cond:app", tmp_path).routes} == set()


def test_a_huge_module_is_listed_not_parsed(cli, tmp_path, monkeypatch):
    from flask2fastapi import source

    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", 1000)  # as a 4 MiB data module would be
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n@app.get('/')\ndef i():\n    return ''\n"
    )
    (tmp_path / "data.py").write_text("ROWS = [\n" + "    (1, 'x'),\n" * 200 + "]\n")
    run = cli("scan", tmp_path)
    assert run.code == 3  # the inventory cannot vouch for what it did not read
    assert "could not parse data.py: not parsed: 2,811 bytes, over 1,000 bytes (data?)" in run.err
