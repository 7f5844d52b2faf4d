"""Rule `routes`: Flask route decorators → FastAPI's, converters → typed path parameters."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos


def test_route_with_converters_becomes_typed_get():
    counts = check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/users/<int:user_id>")  # the user's page
        def user(user_id):
            return {"id": user_id}
        """,
        """\
        from flask import Flask
        from fastapi import Path
        from typing import Annotated

        app = Flask(__name__)


        @app.get("/users/{user_id}")  # the user's page
        def user(user_id: Annotated[int, Path(ge=0)]):
            return {"id": user_id}
        """,
        "routes",
    )
    assert counts == {"routes": 1}


def test_several_methods_become_api_route_and_blueprint_endpoint_is_kept():
    check_transformed(
        """\
        from flask import Blueprint

        bp = Blueprint("auth", __name__)


        @bp.route("/login", methods=["GET", "POST"])
        def login():
            return "form"
        """,
        """\
        from flask import Blueprint

        bp = Blueprint("auth", __name__)


        @bp.api_route("/login", methods=["GET", "POST"], name="auth.login")
        def login():
            return "form"
        """,
        "routes",
    )


def test_converters_uuid_path_signed_and_length():
    out, _ = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        '@app.get("/o/<uuid:o>/<path:p>/<int(signed=True):n>/<string(length=2):c>")\n'
        "def v(o, p, n, c): ...\n",
        ("routes",),
    )
    assert '@app.get("/o/{o}/{p:path}/{n}/{c}")' in out
    assert (
        "def v(o: UUID, p: str, n: int, c: Annotated[str, Path(min_length=2, max_length=2)])" in out
    )
    assert "from uuid import UUID" in out


def test_add_url_rule_with_a_function():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        def ping():
            return {"pong": True}


        app.add_url_rule("/ping", "health", ping)
        """,
        """\
        from flask import Flask

        app = Flask(__name__)


        def ping():
            return {"pong": True}


        app.add_api_route("/ping", ping, methods=["GET"], name="health")
        """,
        "routes",
    )


def test_unsupported_option_is_left_with_a_todo():
    out, counts = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        '@app.route("/a", strict_slashes=False)\ndef a(): ...\n',
        ("routes",),
    )
    assert '@app.route("/a", strict_slashes=False)' in out
    assert todos(out) == [("routes", "FastAPI has no `strict_slashes`: port it by hand")]
    assert not counts


def test_routes_of_something_else_are_left_alone():
    check_noop(
        """\
        import click

        cli = click.Group()


        @cli.route("/x")
        def x():
            pass
        """,
        "routes",
    )


def test_a_blocked_app_keeps_its_routes():
    # app.config.from_pyfile has no rule: the whole structure stays Flask.
    out, counts = port_source(
        "from flask import Flask\napp = Flask(__name__)\napp.config.from_pyfile('x.cfg')\n"
        '@app.route("/a")\ndef a(): ...\n'
    )
    assert '@app.route("/a")' in out and "app = Flask(__name__)" in out
    assert todos(out)[0] == ("app", "port `app.config` first (FastAPI has none), then rerun")
    assert counts == {}


def test_keep_flask_answers_adds_head():
    from flask2fastapi.port.base import PortOptions

    out, _ = port_source(
        'from flask import Flask\napp = Flask(__name__)\n@app.get("/a")\ndef a(): ...\n',
        ("routes",),
        PortOptions(keep_flask_answers=True),
    )
    assert '@app.api_route("/a", methods=["GET", "HEAD"])' in out
