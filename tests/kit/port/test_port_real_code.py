"""Shapes found by running `port` on real apps and on its own output (issue 21): each is
converted right or left with a TODO at its line, never broken silently."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from flask2fastapi.port import driver, port_source, port_tree

from tests.kit.port.checks import todos

ROOT = Path(__file__).resolve().parents[3]
TOPICS = sorted(p.parent.name for p in (ROOT / "snippets").glob("*/flask_app.py"))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(textwrap.dedent(text))
    return src


# ------------------------------------------------------------------ abort(a response)
HELPER = """\
from flask import Flask, abort, jsonify, make_response

app = Flask(__name__)


def refuse(status, message):
    {body}


@app.get("/thing")
def thing():
    refuse(409, "taken")
"""


@pytest.mark.parametrize(
    "body",
    [
        "abort(make_response(jsonify(error=message), status))",
        'abort(make_response({"detail": message}, status, {"X-Why": "taken"}))',
        "reply = make_response(message, status)\n    abort(reply)",
    ],
)
def test_abort_given_a_response_outside_a_view_is_left_with_a_todo(body):
    out, counts = port_source(HELPER.format(body=body))
    assert "abort(" in out and "HTTPException(make_response" not in out
    assert [text for rule, text in todos(out) if rule == "abort"] == [
        "FastAPI cannot raise a response: raise HTTPException(status_code, detail=..., "
        'headers=...) (its body is {"detail": ...}) or return the response from the view'
    ]
    assert not counts["abort"]


def test_abort_given_a_status_in_a_helper_still_converts():
    out, counts = port_source(HELPER.format(body="abort(status, message)"))
    assert "raise HTTPException(status, detail=message)" in out
    assert counts["abort"] == 1 and not todos(out)


# ------------------------------------------------------------------ package named `app`
def test_an_import_from_a_package_named_like_the_app_does_not_block(tmp_path):
    src = _tree(
        tmp_path,
        {
            "app/__init__.py": """\
            from flask import Flask


            def create_app():
                app = Flask(__name__)
                from app.models.animal import Animal
                import app.models as models

                @app.route("/animals")
                def animals():
                    return {"n": len(Animal.all()), "m": models.__name__}

                return app
            """,
            "app/models/__init__.py": "",
            "app/models/animal.py": "class Animal:\n    def all():\n        return []\n",
        },
    )
    report = port_tree(src, tmp_path / "out")
    assert not report.blockers and not report.todos
    out = (tmp_path / "out" / "app" / "__init__.py").read_text()
    assert "app = FastAPI()" in out and '@app.get("/animals")' in out
    assert "from app.models.animal import Animal" in out


# ------------------------------------------------------------------ import settling
def test_a_dropped_first_import_line_leaves_no_blank_first_line():
    source = (
        "from flask import jsonify\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/p")\ndef p():\n    return jsonify(ok=1)\n'
    )
    out, _ = port_source(source)
    assert out.startswith("from fastapi import FastAPI\n\napp = FastAPI()\n"), out


def test_a_flask_response_made_starlettes_drops_the_flask_import():
    source = textwrap.dedent(
        """\
        from flask import Flask, Response

        app = Flask(__name__)


        @app.get("/ping")
        def ping():
            return Response("pong", mimetype="text/plain")
        """
    )
    out, _ = port_source(source)
    assert "flask" not in out
    assert "from fastapi import FastAPI, Response" in out
    assert 'return Response("pong", media_type="text/plain")\n' in out
    again, counts = port_source(out)
    assert again == out and not counts


# ------------------------------------------------------------------ APIFlask
def test_an_apiflask_app_is_an_app_kept_with_its_extension_todo(tmp_path):
    source = (ROOT / "snippets/apiflask/flask_app.py").read_text()
    report = port_tree(ROOT / "snippets/apiflask/flask_app.py", tmp_path / "out")
    assert "app = APIFlask(...)" in report.blockers
    (result,) = report.files
    assert {t.rule for t in report.todos} == {"extensions"}
    assert all("/extensions/apiflask/" in t.text for t in report.todos)
    # The code is as it was: only the TODO comments were added.
    stripped = "\n".join(
        line.split("  # TODO(flask2fastapi")[0] for line in result.after.split("\n")
    )
    assert stripped == source
    compile(result.after, "flask_app.py", "exec")


# ------------------------------------------------------------------ a second run
@pytest.mark.parametrize("topic", TOPICS)
def test_port_of_its_own_output_changes_nothing(topic, tmp_path):
    first = port_tree(ROOT / "snippets" / topic / "flask_app.py", tmp_path / "a")
    second = port_tree(tmp_path / "a" / "flask_app.py", tmp_path / "b")
    (one,), (two,) = first.files, second.files
    assert two.after == one.after
    assert not second.conversions().total()
    assert not one.after.startswith("\n")


# ------------------------------------------------------------------ a blueprint imported
FLASKY = {
    "flasky_shop/__init__.py": """\
    from flask import Flask


    def create_app():
        app = Flask(__name__)
        from .main import main as main_blueprint
        app.register_blueprint(main_blueprint, url_prefix="/m")
        return app
    """,
    "flasky_shop/main/__init__.py": """\
    from flask import Blueprint

    main = Blueprint("main", __name__)

    from . import views  # noqa: E402,F401 (registers the routes)
    """,
    "flasky_shop/main/views.py": """\
    from flask import jsonify, redirect, url_for

    from . import main


    @main.route("/")
    def index():
        return jsonify(page="index")


    @main.route("/home")
    def home():
        return redirect(url_for(".index"))  # `.index`: this blueprint's


    @main.route("/users/<int:user_id>")
    def user(user_id):
        return jsonify(id=user_id)
    """,
}


def test_routes_on_a_blueprint_made_in_another_module_are_converted(tmp_path, monkeypatch):
    src = _tree(tmp_path, FLASKY)
    report = port_tree(src / "flasky_shop", tmp_path / "out" / "flasky_shop")
    assert not report.todos and not report.blockers
    views = (tmp_path / "out/flasky_shop/main/views.py").read_text()
    assert '@main.get("/", name="main.index")' in views
    assert '@main.get("/users/{user_id}", name="main.user")' in views
    assert "main = APIRouter()" in (tmp_path / "out/flasky_shop/main/__init__.py").read_text()
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    from fastapi.testclient import TestClient
    from flasky_shop import create_app

    try:
        client = TestClient(create_app())
        assert client.get("/m/").json() == {"page": "index"}
        assert client.get("/m/users/7").json() == {"id": 7}
        assert client.get("/m/users/-7").status_code == 422  # Werkzeug's int refuses a sign
        assert client.app.url_path_for("main.user", user_id=3) == "/m/users/3"
        home = client.get("/m/home", follow_redirects=False)
        assert (home.status_code, home.headers["location"]) == (302, "http://testserver/m/")
    finally:
        for name in [m for m in sys.modules if m.partition(".")[0] == "flasky_shop"]:
            del sys.modules[name]


def test_a_blueprint_that_cannot_be_traced_keeps_the_app_in_flask(tmp_path):
    files = dict(FLASKY)
    # Made in `routes.py`, re-exported by the package: the port does not follow the chain.
    files["flasky_shop/main/routes.py"] = (
        'from flask import Blueprint\n\nmain = Blueprint("main", __name__)\n'
    )
    files["flasky_shop/main/__init__.py"] = "from .routes import main\n\nfrom . import views\n"
    src = _tree(tmp_path, files)
    report = port_tree(src / "flasky_shop", tmp_path / "out" / "flasky_shop")
    assert report.blockers == ["main.route"]
    assert not report.conversions().total()
    assert [t.rule for t in report.todos] == ["app"]
    assert (
        "`main.route`" in report.todos[0].text and "/start/project-layout/" in report.todos[0].text
    )


def test_a_relative_endpoint_outside_a_blueprint_is_left_with_a_todo():
    out, _ = port_source(
        "from flask import Flask, redirect, url_for\n\napp = Flask(__name__)\n\n\n"
        '@app.get("/a")\ndef a():\n    return redirect(url_for(".b"))\n'
    )
    assert 'redirect(url_for(".b"))' in out
    assert todos(out) == [("redirect", "write the endpoint's blueprint before its dot, then rerun")]


def test_a_blueprint_made_in_another_module_is_the_same_in_workers(tmp_path, monkeypatch):
    src = _tree(tmp_path, FLASKY) / "flasky_shop"
    one = port_tree(src, tmp_path / "one")
    monkeypatch.setattr(driver, "PARALLEL_FROM", 2)
    monkeypatch.setattr(driver.os, "cpu_count", lambda: 2)
    many = port_tree(src, tmp_path / "many")
    assert [(f.path, f.after) for f in many.files] == [(f.path, f.after) for f in one.files]
    assert many.conversions() == one.conversions() and many.conversions()["routes"] == 3
