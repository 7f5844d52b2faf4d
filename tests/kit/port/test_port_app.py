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


def test_config_no_rule_converts_keeps_the_app_in_flask():
    out, counts = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        'app.config["TRUSTED_HOSTS"] = ["a"]\napp.config.from_pyfile("settings.cfg")\n',
        ("app",),
    )
    assert "app = Flask(__name__)" in out and 'app.config["TRUSTED_HOSTS"]' in out
    assert todos(out)[0][0] == "app" and not counts


KEEP_SOURCE = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/users/<int:user_id>")
def user(user_id):
    return {"user_id": user_id}


@app.post("/items")
def create(limit: int = 1):
    data = request.get_json()
    return {"name": data["name"]}, 201
"""


def _keep_port(source: str) -> str:
    """`source` ported as `port --keep-flask-answers` ports a one-module app."""
    import libcst as cst
    from flask2fastapi.port.analysis import ModuleInfo
    from flask2fastapi.port.base import PortOptions

    blockers = tuple(ModuleInfo(cst.parse_module(source)).blockers.items())
    options = PortOptions(not blockers, blockers, keep_flask_answers=True)
    out, _ = port_source(source, options=options)
    return out


def test_keep_flask_answers_adds_the_handler_after_the_app():
    out = _keep_port(KEEP_SOURCE)
    assert out.count("@app.exception_handler(RequestValidationError)") == 1
    assert out.index("app = FastAPI()") < out.index("async def keep_flask_answers")
    assert "from fastapi.exceptions import RequestValidationError" in out
    assert _keep_port(out) == out  # a rerun adds nothing
    plain, _ = port_source(KEEP_SOURCE)
    assert "keep_flask_answers" not in plain and "RequestValidationError" not in plain


def test_keep_flask_answers_leaves_a_blocked_app_alone():
    source = KEEP_SOURCE.replace(
        "app = Flask(__name__)\n", "app = Flask(__name__)\napp.config.from_pyfile('x.cfg')\n"
    )
    out = _keep_port(source)
    assert "app = Flask(__name__)" in out and "RequestValidationError" not in out


def test_keep_flask_answers_port_answers_as_flask_did(tmp_path):
    """Run the port: a bad path value is a 404, a malformed JSON body a 400, both with
    FastAPI's default error body; other validation errors and good requests are unchanged."""
    from flask2fastapi.apps import client_for, load_module_from_path

    # A module of its own: Pydantic resolves the body model's annotations in it.
    (tmp_path / "keep_port.py").write_text(_keep_port(KEEP_SOURCE))
    module = load_module_from_path(tmp_path / "keep_port.py", "keep_port")
    with client_for("fastapi", module.app) as client:
        assert client.get("/users/7").json() == {"user_id": 7}
        for bad in ("/users/abc", "/users/-1"):
            r = client.get(bad)
            assert (r.status_code, r.json()) == (404, {"detail": "Not Found"})
        r = client.post(
            "/items", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert (r.status_code, r.json()) == (400, {"detail": "Bad Request"})
        r = client.post("/items", json={"name": "a"})
        assert (r.status_code, r.json()) == (201, {"name": "a"})
        r = client.post("/items", json=[1])  # valid JSON, wrong shape: still FastAPI's 422
        assert r.status_code == 422


def test_app_run_under_the_main_guard_gets_a_todo_and_the_app_converts():
    """The tutorial shape (seen in public apps): `app.run()` in the script's main block.
    It no longer keeps the whole app in Flask; that one line gets a TODO."""
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n"
        'if __name__ == "__main__":\n    app.run(port=3245, debug=True)\n'
    )
    out, counts = port_source(source, ("app",))
    assert out.startswith("from fastapi import FastAPI\n\napp = FastAPI()\n")
    assert todos(out) == [
        (
            "app",
            "FastAPI has no `app.run`: start it with `fastapi dev`, or call "
            '`uvicorn.run("module:app")` here',
        )
    ]
    assert "start/running-the-app/" in out
    assert counts == {"app": 1}
    assert port_source(out, ("app",))[0] == out  # a rerun changes nothing


def test_app_run_outside_the_main_guard_keeps_the_app_in_flask():
    out, counts = port_source(
        "from flask import Flask\napp = Flask(__name__)\napp.run()\n", ("app",)
    )
    assert "app = Flask(__name__)  # TODO(flask2fastapi app): port `app.run` first" in out
    assert counts == {}


def test_a_blueprint_is_named_by_its_first_argument_a_router_by_its_variable():
    """`APIRouter(prefix=...)` has no name: reading its first argument as one (the prefix)
    renamed endpoints to `/api/visits.show` when port ran on its own output."""
    import libcst as cst
    from flask2fastapi.port.analysis import ModuleInfo

    source = (
        "from flask import Blueprint\nfrom fastapi import APIRouter\n"
        'a = Blueprint("shop", __name__, url_prefix="/shop")\n'
        'b = Blueprint(name="cart", import_name=__name__)\n'
        'c = APIRouter(prefix="/api/visits")\n'
    )
    owners = ModuleInfo(cst.parse_module(source)).owners
    assert owners.blueprints == {"a": "shop", "b": "cart", "c": "c"}
