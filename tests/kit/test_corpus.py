"""Source mode against import mode on the corpus: apps of our own writing, one per shape.

Each app's import-mode route set is pinned in `corpus/<app>/routes.json` (regenerate with
`KIT_CORPUS_REGEN=1`); the source scan must find exactly that set, no more, no fewer.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from flask2fastapi.apps import import_app
from flask2fastapi.scan import route_model_of, scan

from .conftest import CORPUS

APPS = {
    "restx_shop": "restx_shop:create_app",
    "restful_shop": "restful_shop:create_app",
    "helper_loop": "helper_loop:create_app",
    "subclassed": "subclassed:create_app",
    "methodviews": "methodviews:create_app",
    "mocked_tests": "mocked_tests:app",
    "plugin_views": "plugin_views:create_app",
    "register_api": "register_api:app",
}


def _key(methods, rule, endpoint):
    return f"{' '.join(methods)} {rule} {endpoint}"


def _imported(spec: str) -> list[str]:
    app = import_app(spec, CORPUS)
    return sorted(
        _key(sorted(r.methods - {"HEAD", "OPTIONS"}), r.rule, r.endpoint)
        for r in app.url_map.iter_rules()
    )


@pytest.mark.parametrize("name", sorted(APPS))
def test_source_mode_finds_what_the_app_registers(name):
    pinned_file = CORPUS / name / "routes.json"
    imported = _imported(APPS[name])
    if os.environ.get("KIT_CORPUS_REGEN"):
        pinned_file.write_text(json.dumps(imported, indent=1) + "\n")
    assert imported == json.loads(pinned_file.read_text())
    model, problems = route_model_of(CORPUS / name)
    assert problems == [] and model.unresolved == []
    assert sorted(_key(r.methods, r.rule, r.endpoint) for r in model.routes) == imported
    report = scan(str(CORPUS / name))
    assert report.coverage.complete
    assert sorted(_key(r.methods, r.rule, r.endpoint) for r in report.routes) == imported


def test_the_methodview_app_has_over_a_hundred_routes():
    model, _ = route_model_of(CORPUS / "methodviews")
    assert model.by_method() == {"class-based view": 108, "static": 1}
    crates = next(r for r in model.routes if r.endpoint == "harbour.crates")
    assert (crates.rule, crates.methods, crates.view) == (
        "/harbour/crates/<int:id>", ["GET", "PUT"], "CratesView",
    )  # fmt: skip
    assert crates.owners[0].startswith("blueprint harbour (__init__.py:")


def test_the_route_model_names_owner_chain_view_and_place():
    model, _ = route_model_of(CORPUS / "restx_shop")
    user = next(r for r in model.routes if r.endpoint == "api.user")
    assert user.rule == "/api/v2/rest/users/<int:user_id>"
    assert (user.view, user.file, user.line, user.method) == (
        "UserItem", "api/users.py", 15, "restx",
    )  # fmt: skip
    assert [o.split(" (")[0] for o in user.owners] == [
        "restx_ns users", "restx api", "blueprint api", "app",
    ]  # fmt: skip


def test_mock_patch_never_becomes_a_route():
    default = {r.endpoint for r in route_model_of(CORPUS / "mocked_tests")[0].routes}
    assert default == {"weather", "cities", "static"}
    with_tests, _ = route_model_of(CORPUS / "mocked_tests", include_tests=True)
    # The conftest's own test app is read; `@mock.patch(...)` and `requests.get` are not.
    assert {r.endpoint for r in with_tests.routes} == default | {"only"}
    assert all(
        r.method != "decorator" or r.file != "tests/test_weather.py" for r in with_tests.routes
    )


def test_hooks_and_handlers_are_listed_with_their_pages():
    report = scan(str(CORPUS / "subclassed"))
    hooks = {(h.name, h.owner): (h.where, h.page.url.rsplit("/", 2)[-2]) for h in report.hooks}
    assert hooks == {
        ("teardown_appcontext", "app"): (["__init__.py:18"], "request-hooks"),
        ("register_error_handler", "app"): (["__init__.py:19"], "error-handlers"),
        ("app_context_processor", "blueprint"): (["__init__.py:34"], "blueprint-scope"),
        ("url_value_preprocessor", "blueprint"): (["areas/__init__.py:26"], "blueprint-scope"),
        ("after_app_request", "blueprint"): (["areas/reports.py:16"], "blueprint-scope"),
    }
    found = {f.rule: (f.where, f.page.url.rsplit("/", 2)[-2]) for f in report.findings}
    assert found["sqlalchemy-paginate"] == (["areas/__init__.py:17"], "pagination")
    assert found["sqlalchemy-get-or-404"] == (["areas/__init__.py:22"], "pagination")
    assert found["sqlalchemy-query"] == (["areas/__init__.py:17"], "databases")
    assert found["sqlalchemy-session"] == (["areas/__init__.py:23"], "databases")
    own = next(f for f in report.findings if f.rule == "own-state")
    assert "`app.redis`" in own.text and "`app.task_queue`" in own.text
    assert not {a.name for a in report.apis} & {"flask.Flask.redis", "flask.Flask.task_queue"}


def test_cli_hooks_and_blueprint_handlers(cli):
    run = cli("scan", CORPUS / "helper_loop", "--format", "md")
    assert run.code == 0, run.err
    for row in (
        "| `cli.command` | app |",
        "| `shell_context_processor` | app |",
        "| `app_errorhandler` | blueprint |",
        "| `before_request` | blueprint |",
    ):
        assert row in run.out
    assert run.err.startswith("coverage: 13 routes (12 helper, 1 static); 0 registrations")


def test_import_mode_reads_every_package_the_views_come_from(tmp_path):
    # `wsgi.py` beside the package: the report reads the package too, not one file.
    shutil.copytree(CORPUS / "helper_loop", tmp_path / "helper_loop")
    (tmp_path / "wsgi.py").write_text("from helper_loop import create_app\napp = create_app()\n")
    report = scan("wsgi:app", tmp_path)
    assert report.mode == "import" and report.coverage.complete
    assert report.files_scanned == 6
    items = next(r for r in report.routes if r.endpoint == "items" and r.methods == ["POST"])
    assert items.source == "helper_loop/views/items.py:4"  # the class, via view_class
    assert {"helper_loop/views/admin.py"} <= {
        w.rpartition(":")[0] for h in report.hooks for w in h.where
    }


def test_a_helper_that_calls_route_as_a_function(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__, static_folder=None)\n"
        "def expose(owner, rule, func):\n    owner.route(rule, methods=['PUT'])(func)\n"
        "def ping():\n    return 'pong'\n"
        "for rule in ('/a', '/b'):\n    expose(app, rule, ping)\n"
    )
    model, _ = route_model_of(tmp_path)
    assert sorted((r.rule, r.methods, r.endpoint, r.method) for r in model.routes) == [
        ("/a", ["PUT"], "ping", "helper"), ("/b", ["PUT"], "ping", "helper"),
    ]  # fmt: skip


def test_hooks_inside_plugin_functions_and_in_call_form():
    report = scan(str(CORPUS / "plugin_views"))
    assert {(h.name, h.owner): h.where for h in report.hooks} == {
        ("errorhandler", "app"): ["__init__.py:27"],
        ("before_request", "blueprint"): ["views/desk.py:26"],
        ("errorhandler", "blueprint"): ["views/desk.py:30"],
    }
