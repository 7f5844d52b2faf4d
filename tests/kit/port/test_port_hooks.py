"""Rule `hooks`: request hooks → dependencies and middleware (the request-hooks page)."""

from __future__ import annotations

import textwrap

from fastapi.testclient import TestClient
from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos


def test_hooks_become_dependencies_and_middleware():
    check_transformed(
        """\
        from flask import Flask, request

        # the app
        app = Flask(__name__)
        log = []


        # refuse early
        @app.before_request
        def check_key():
            if request.headers.get("X-Key") != "k":
                return {"detail": "no key"}, 401


        @app.after_request
        def stamp(resp):
            resp.headers["X-Stamp"] = "1"
            return resp


        @app.teardown_request
        def done(exc):
            log.append(exc)


        @app.teardown_request
        def close(_):
            log.append("closed")
        """,
        """\
        from fastapi import Depends, FastAPI, HTTPException, Request


        # refuse early
        def check_key(request: Request):
            if request.headers.get("X-Key") != "k":
                raise HTTPException(status_code=401, detail="no key")


        def done():
            exc = None
            try:
                yield  # the view runs here
            except Exception as error:
                exc = error  # Flask's teardown got the unhandled exception
                raise  # re-raised, or FastAPI has no 500 to send
            finally:
                log.append(exc)


        def close():
            try:
                yield  # the view runs here
            finally:
                log.append("closed")


        # the app
        app = FastAPI(dependencies=[Depends(check_key), Depends(done), Depends(close)])
        log = []


        @app.middleware("http")
        async def stamp(request: Request, call_next):
            resp = await call_next(request)
            resp.headers["X-Stamp"] = "1"
            return resp
        """,
        "routes",
        "hooks",
        "request-object",
        "app",
    )


def test_the_port_answers_as_the_hooks_did():
    out, _ = port_source(
        "from flask import Flask, request\napp = Flask(__name__)\nlog = []\n"
        "@app.before_request\ndef check_key():\n"
        "    if request.headers.get('X-Key') != 'k':\n"
        "        return {'detail': 'no key'}, 401\n"
        "@app.after_request\ndef stamp(r):\n    r.headers['X-Stamp'] = '1'\n    return r\n"
        "@app.teardown_request\ndef done(exc):\n    log.append(type(exc).__name__)\n"
        "@app.get('/')\ndef index():\n    return {'ok': True}\n"
        "@app.get('/boom')\ndef boom():\n    raise KeyError('x')\n"
    )
    namespace: dict = {}
    exec(compile(out, "port", "exec"), namespace)  # noqa: S102 - the port under test
    client = TestClient(namespace["app"], raise_server_exceptions=False)
    refused = client.get("/")
    assert (refused.status_code, refused.json()) == (401, {"detail": "no key"})
    assert refused.headers["x-stamp"] == "1"  # the middleware wraps the dependency's 401
    ok = client.get("/", headers={"X-Key": "k"})
    assert (ok.status_code, ok.json(), ok.headers["x-stamp"]) == (200, {"ok": True}, "1")
    assert client.get("/boom", headers={"X-Key": "k"}).status_code == 500
    assert namespace["log"] == ["NoneType", "KeyError"]  # the teardown saw the exception


def test_a_blueprints_before_request_becomes_a_router_dependency():
    out, _ = port_source(
        "from flask import Blueprint, Flask\n"
        "bp = Blueprint('api', __name__, url_prefix='/api')\n"
        "@bp.before_request\ndef trace():\n    pass\n"
        "@bp.get('/x')\ndef x():\n    return {}\n"
        "app = Flask(__name__)\napp.register_blueprint(bp)\n"
    )
    assert "bp = APIRouter(prefix='/api', dependencies=[Depends(trace)])" in out
    assert "app = FastAPI()" in out


def test_a_hook_answering_otherwise_is_left_with_a_todo():
    out, _ = port_source(
        "from flask import Flask, redirect\napp = Flask(__name__)\n"
        "@app.before_request\ndef gate():\n    return redirect('/login')\n",
        ("hooks", "app"),
    )
    assert "return redirect('/login')" in out
    assert todos(out)[0] == (
        "hooks",
        'a dependency cannot answer: raise HTTPException (its body is {"detail": ...}) or '
        "answer from a middleware",
    )


def test_an_after_hook_reads_the_body_before_call_next():
    # After call_next the body is spent (the middleware page's trap): read it first.
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.after_request
        def size(r):
            r.headers["X-Bytes"] = str(len(request.get_data()))
            return r
        """,
        """\
        from fastapi import FastAPI, Request

        app = FastAPI()


        @app.middleware("http")
        async def size(request: Request, call_next):
            body = await request.body()
            r = await call_next(request)
            r.headers["X-Bytes"] = str(len(body))
            return r
        """,
        "hooks",
        "request-object",
        "app",
    )


def test_an_after_hook_reading_the_form_keeps_the_app_in_flask():
    # A middleware gets no Form parameters: not ported.
    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n"
        "@app.after_request\ndef size(r):\n"
        "    r.headers['X-Name'] = request.form.get('name', '')\n    return r\n"
    )
    out, _ = port_source(source)
    assert "@app.after_request" in out
    assert todos(out)[0][0] == "app" and "`app.after_request`" in todos(out)[0][1]


def test_hooks_of_an_app_left_in_flask_are_left_alone():
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)
        app.config.from_pyfile("settings.cfg")


        @app.before_request
        def first():
            pass
        """,
        "hooks",
    )


def test_g_set_in_a_hook_becomes_request_state():
    out, counts = port_source(
        textwrap.dedent(
            """\
            import time

            from flask import Flask, g

            app = Flask(__name__)


            @app.before_request
            def start():
                g.started = time.time()


            @app.after_request
            def took(response):
                response.headers["X-Took"] = str(time.time() - g.started)
                return response


            @app.get("/")
            def index():
                return {"since": g.started, "user": g.user}
            """
        )
    )
    assert "def start(request: Request):\n    request.state.started = time.time()" in out
    assert "def index(request: Request):" in out
    assert '{"since": request.state.started, "user": g.user}' in out
    assert "str(time.time() - request.state.started)" in out
    assert counts["g"] == 3
    found = todos(out)
    assert [rule for rule, _ in found] == ["g", "g"]
    assert "unknown URL" in found[0][1]  # the middleware runs where the dependency did not
    assert found[1] == ("g", "`g.user`: a dependency's value, or request.state")


def test_an_after_hooks_docstring_stays_its_docstring():
    out, _ = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        "@app.after_request\ndef h(r):\n    '''Security headers.'''\n"
        "    r.headers['X-Frame-Options'] = 'DENY'\n    return r\n",
        ("hooks", "app"),
    )
    assert "async def h(request: Request, call_next):\n    '''Security headers.'''\n" in out
    assert "    r = await call_next(request)\n    r.headers" in out


def test_hooks_in_an_app_factory_move_inside_it():
    check_transformed(
        """\
        from flask import Flask, abort, request


        def create_app():
            app = Flask(__name__)

            @app.before_request
            def need_token():
                if "Authorization" not in request.headers:
                    abort(401)

            return app
        """,
        """\
        from fastapi import Depends, FastAPI, HTTPException, Request


        def create_app():
            def need_token(request: Request):
                if "Authorization" not in request.headers:
                    raise HTTPException(401)

            app = FastAPI(dependencies=[Depends(need_token)])

            return app
        """,
        "hooks",
        "request-object",
        "abort",
        "app",
    )


def test_a_connection_opened_in_a_hook_and_closed_in_teardown():
    # The shape of many small public apps: g.db opened before, closed at teardown.
    check_transformed(
        """\
        import sqlite3

        from flask import Flask, g

        app = Flask(__name__)


        @app.before_request
        def open_db():
            g.db = sqlite3.connect(":memory:")


        @app.teardown_request
        def close_db(exc):
            db = getattr(g, "db", None)
            if db is not None:
                db.close()


        @app.get("/")
        def index():
            return {"rows": g.db.execute("select 1").fetchall()}
        """,
        """\
        import sqlite3
        from fastapi import Depends, FastAPI, Request


        def open_db(request: Request):
            request.state.db = sqlite3.connect(":memory:")


        def close_db(request: Request):
            try:
                yield  # the view runs here
            finally:
                db = getattr(request.state, "db", None)
                if db is not None:
                    db.close()


        app = FastAPI(dependencies=[Depends(open_db), Depends(close_db)])


        @app.get("/")
        def index(request: Request):
            return {"rows": request.state.db.execute("select 1").fetchall()}
        """,
        "routes",
        "hooks",
        "g",
        "app",
    )


def test_g_used_bare_gets_a_todo():
    out, _ = port_source(
        "from flask import Flask, g\napp = Flask(__name__)\n"
        "@app.get('/')\ndef index():\n    return {'has': 'user' in g}\n",
        ("routes", "g"),
    )
    assert todos(out) == [
        ("g", "`g` has no FastAPI counterpart: use request.state or a dependency")
    ]
