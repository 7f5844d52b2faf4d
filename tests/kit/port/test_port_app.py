"""Rules `app`, `g` and `extensions`."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos


def test_factory_app_and_blueprints():
    check_transformed(
        """\
        from flask import Blueprint, Flask

        api = Blueprint("api", __name__, url_prefix="/v1")


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api, url_prefix="/api")
            return app
        """,
        """\
        from fastapi import APIRouter, FastAPI

        api = APIRouter(prefix="/v1")


        def create_app():
            app = FastAPI()
            app.include_router(api, prefix="/api")
            return app
        """,
        "app",
    )


def test_not_a_flask_app_is_left_alone():
    check_noop(
        """\
        from fastapi import FastAPI

        app = FastAPI()
        """,
        "app",
    )


def test_g_and_extensions_get_todos():
    out, counts = port_source(
        "from flask import g\nfrom flask_login import current_user\n"
        "def who():\n    return g.user\n",
        ("g", "extensions"),
    )
    found = todos(out)
    assert found[0][0] == "extensions" and "Flask-Login" in found[0][1]
    assert found[1] == ("g", "`g.user`: a dependency's value, or request.state")
    assert counts == {}


def test_trusted_hosts_becomes_trustedhostmiddleware():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        app.config["TRUSTED_HOSTS"] = ["example.org"]  # others: 400
        """,
        """\
        from fastapi import FastAPI
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app = FastAPI()
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.org"])  # others: 400
        """,
        "app",
    )


def test_other_config_keeps_the_app_in_flask():
    out, counts = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        'app.config["TRUSTED_HOSTS"] = ["a"]\napp.config["SECRET_KEY"] = "x"\n',
        ("app",),
    )
    assert "app = Flask(__name__)" in out and 'app.config["TRUSTED_HOSTS"]' in out
    assert todos(out)[0][0] == "app" and not counts
