"""Rules `abort` and `errorhandler`."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos


def test_abort_becomes_raise_httpexception():
    check_transformed(
        """\
        from flask import Flask, abort

        app = Flask(__name__)


        def find(item_id):
            abort(404, description="no such item")
        """,
        """\
        from flask import Flask
        from fastapi import HTTPException

        app = Flask(__name__)


        def find(item_id):
            raise HTTPException(404, detail="no such item")
        """,
        "abort",
    )


def test_abort_with_werkzeug_arguments_is_left_with_a_todo():
    out, _ = port_source(
        "from flask import Flask, abort\napp = Flask(__name__)\n"
        "def f():\n    abort(401, www_authenticate='x')\n",
        ("abort",),
    )
    assert "abort(401, www_authenticate='x')" in out
    assert todos(out)[0][0] == "abort"


def test_errorhandler_becomes_exception_handler():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.errorhandler(ValueError)
        def bad_value(exc):
            return {"error": str(exc)}, 400
        """,
        """\
        from flask import Flask
        from fastapi import Request
        from fastapi.responses import JSONResponse

        app = Flask(__name__)


        @app.exception_handler(ValueError)
        def bad_value(request: Request, exc):
            return JSONResponse({"error": str(exc)}, status_code=400)
        """,
        "errorhandler",
    )


def test_a_blueprints_own_errorhandler_is_never_widened():
    check_noop(
        """\
        from flask import Blueprint

        bp = Blueprint("api", __name__)


        @bp.errorhandler(404)
        def missing(exc):
            return {"error": "not found"}, 404
        """,
        "errorhandler",
        "abort",
    )


def test_abort_with_a_bare_challenge_sets_the_header():
    check_transformed(
        """\
        from flask import Flask, abort
        from werkzeug.datastructures import WWWAuthenticate

        app = Flask(__name__)


        def f():
            abort(401, www_authenticate=WWWAuthenticate("bearer"))
        """,
        """\
        from flask import Flask
        from fastapi import HTTPException

        app = Flask(__name__)


        def f():
            raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"})
        """,
        "abort",
    )


def test_abort_with_challenge_parameters_is_left_with_a_todo():
    out, _ = port_source(
        "from flask import Flask, abort\nfrom werkzeug.datastructures import WWWAuthenticate\n"
        "app = Flask(__name__)\n"
        "def f():\n    abort(401, www_authenticate=WWWAuthenticate('basic', {'realm': 'x'}))\n",
        ("abort",),
    )
    assert "abort(401, www_authenticate=" in out
    assert todos(out)[0][0] == "abort"
