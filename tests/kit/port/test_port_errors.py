"""Rules `abort` and `errorhandler`."""

from __future__ import annotations

import io
import textwrap

from fastapi.testclient import TestClient
from flask2fastapi.apps import client_for, load_module_from_path
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.port.base import page_url
from flask2fastapi.port.errors import BLUEPRINT_TODO
from werkzeug.exceptions import InternalServerError

from tests.kit.port.checks import check_noop, check_transformed, load_module, todos


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


BLUEPRINT_HANDLER = """\
from flask import Blueprint, Flask

app = Flask(__name__)
shop = Blueprint("shop", __name__)


# The shop answers its own 404s.
@shop.errorhandler(404)  # JSON for the shop's clients
@shop.errorhandler(405)
def shop_missing(exc):
    return {"problem": "none here"}, exc.code


@shop.get("/things/<int:n>")
def thing(n):
    return {"n": n}


app.register_blueprint(shop, url_prefix="/shop")
"""


def test_a_blueprints_own_errorhandler_is_commented_out_not_widened(tmp_path):
    """The rest of the tree ports: a router has no handlers and the app's would answer for
    every route, so the decorators become comments carrying the blueprint-scope page's
    two recipes, and the function stays, registered nowhere (FastAPI's own 404 answers)."""
    out, counts = port_source(BLUEPRINT_HANDLER)
    assert counts["app"] == 3 and counts["routes"] == 1
    assert "# The shop answers its own 404s.\n# @shop.errorhandler(404)  # JSON for" in out
    assert "\n# @shop.errorhandler(405)  # TODO(flask2fastapi errorhandler): " in out
    assert "\ndef shop_missing(exc):\n" in out and "@shop.errorhandler" not in out.replace(
        "# @shop.errorhandler", ""
    )
    found = todos(out)
    assert [rule for rule, _ in found] == ["errorhandler", "errorhandler"]
    assert all(t.startswith("not registered: a router has no exception") for _, t in found)
    assert "request.url.path" in found[0][1] and page_url("structure/blueprint-scope.md") in out
    assert port_source(out)[0] == out
    (tmp_path / "shop_port.py").write_text(out, encoding="utf-8")
    client = TestClient(load_module_from_path(tmp_path / "shop_port.py", "shop_port").app)
    assert client.get("/shop/things/3").json() == {"n": 3}
    missing = client.get("/shop/nothing")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})


def test_a_blueprints_own_errorhandler_stays_while_the_tree_stays_on_flask():
    """Something else keeps the app on Flask (`url_map`): the decorator is left as it is,
    the TODO at its line."""
    source = BLUEPRINT_HANDLER + "app.url_map.strict_slashes = False\n"
    out, _ = port_source(source, ("errorhandler", "abort"))
    assert "\n@shop.errorhandler(405)  # TODO(flask2fastapi errorhandler): a router has" in out
    assert out.replace(todos_comment(out), "") == source
    assert port_source(out, ("errorhandler", "abort"))[0] == out


def todos_comment(code: str) -> str:
    """The TODO comment of `code`'s one TODO line, with its two spaces."""
    line = next(line for line in code.splitlines() if "# TODO(" in line)
    return line[line.index("  # TODO(") :]


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


def test_httpexception_handler_is_registered_on_starlettes_class():
    # Flask's documented recipe (get_response, JSON data) → the error-handlers page's.
    check_transformed(
        """\
        import json

        from flask import Flask
        from werkzeug.exceptions import HTTPException

        app = Flask(__name__)


        @app.errorhandler(HTTPException)
        def as_json(e):
            # every HTTP error as JSON
            response = e.get_response()
            response.data = json.dumps({"code": e.code, "name": e.name, "text": e.description})
            response.content_type = "application/json"
            return response


        @app.errorhandler(500)
        def crash(e):
            return {"error": type(e.original_exception).__name__}, 500
        """,
        """\
        import json

        from flask import Flask
        from starlette.exceptions import HTTPException as StarletteHTTPException
        from fastapi import Request
        from fastapi.responses import JSONResponse
        from http import HTTPStatus

        app = Flask(__name__)


        @app.exception_handler(StarletteHTTPException)
        def as_json(request: Request, e):
            # every HTTP error as JSON
            return JSONResponse({"code": e.status_code, "name": HTTPStatus(e.status_code).phrase, "text": e.detail}, status_code=e.status_code, headers=e.headers)


        @app.exception_handler(Exception)
        def crash(request: Request, e):
            return JSONResponse({"error": type(e).__name__}, status_code=500)
        """,  # noqa: E501 - the port writes one line
        "errorhandler",
    )


def test_werkzeug_classes_become_their_status_codes():
    out, counts = port_source(
        "from flask import Flask\nfrom werkzeug.exceptions import NotFound\n"
        "app = Flask(__name__)\n"
        "@app.errorhandler(NotFound)\ndef missing(e):\n    return {'error': e.code}, 404\n",
        ("errorhandler",),
    )
    assert "@app.exception_handler(404)" in out
    assert "{'error': e.status_code}" in out
    assert "NotFound" not in out
    assert counts == {"errorhandler": 1}


def test_what_starlette_lacks_is_left_with_a_todo():
    out, _ = port_source(
        "from flask import Flask\nfrom werkzeug.exceptions import HTTPException\n"
        "app = Flask(__name__)\n"
        "@app.errorhandler(HTTPException)\ndef h(e):\n    return e.get_response()\n",
        ("errorhandler",),
    )
    assert "return e.get_response()" in out
    assert [rule for rule, _ in todos(out)] == ["errorhandler"]
    assert "no `get_response`" in todos(out)[0][1]
    # Flask sent unhandled exceptions here too, as a 500: an Exception handler calls it.
    assert "    return h(request, StarletteHTTPException(500))\n" in out


def test_an_exception_handler_alone_is_told_about_http_errors():
    out, _ = port_source(
        "from flask import Flask\napp = Flask(__name__)\n"
        "@app.errorhandler(Exception)\ndef h(e):\n    return {'error': str(e)}, 500\n",
        ("errorhandler",),
    )
    assert "@app.exception_handler(Exception)" in out
    assert "Flask also sent HTTP errors" in todos(out)[0][1]


def test_an_app_with_an_httpexception_handler_is_ported():
    out, counts = port_source(
        "from flask import Flask\nfrom werkzeug.exceptions import HTTPException\n"
        "app = Flask(__name__)\n"
        "@app.errorhandler(HTTPException)\ndef h(e):\n    return {'error': e.name}, e.code\n"
        "@app.errorhandler(Exception)\ndef crash(e):\n    return {'error': 'crash'}, 500\n"
        "@app.get('/')\ndef index():\n    return {}\n"
    )
    assert "app = FastAPI()" in out
    assert counts["errorhandler"] == 2
    assert not todos(out)


def test_a_handler_reads_the_request_and_hands_back_fastapis_own_answer():
    # Shapes seen in public apps: an annotated handler that answers JSON under /api and
    # returns the exception (Werkzeug's own page) elsewhere.
    out, _ = port_source(
        "from flask import Flask, request\nfrom werkzeug.exceptions import HTTPException\n"
        "app = Flask(__name__)\n"
        "@app.errorhandler(HTTPException)\ndef h(exc: HTTPException):\n"
        "    if request.path.startswith('/api/'):\n"
        "        return {'error': exc.description}, exc.code\n"
        "    return exc\n"
        "@app.errorhandler(Exception)\ndef crash(exc):\n    return {'error': 'crash'}, 500\n"
    )
    assert "async def h(request: Request, exc: StarletteHTTPException):" in out
    assert "request.url.path.startswith('/api/')" in out
    assert "return await http_exception_handler(request, exc)" in out
    assert "werkzeug" not in out
    assert not todos(out)
    namespace: dict = {}
    code = out + "\n@app.get('/api/x')\ndef x():\n    return {}\n"
    exec(compile(code, "port", "exec"), namespace)  # noqa: S102 - the port under test
    client = TestClient(namespace["app"])
    assert client.get("/api/nope").json() == {"error": "Not Found"}
    assert client.get("/nope").json() == {"detail": "Not Found"}  # FastAPI's default
    assert client.delete("/api/x").headers.get("allow") is None  # as Flask's tuple did


def test_a_handler_reading_the_query_is_not_given_parameters():
    out, _ = port_source(
        "from flask import Flask, request\napp = Flask(__name__)\n"
        "@app.errorhandler(404)\ndef h(e):\n    return {'q': request.args.get('q')}, 404\n"
    )
    assert "def h(request: Request, e):" in out  # FastAPI passes (request, exc) only
    assert todos(out) and todos(out)[0][0] == "request-object"


def test_the_recipe_with_set_data_is_recognised_too():
    out, _ = port_source(
        "from flask import Flask\nfrom werkzeug.exceptions import HTTPException\n"
        "app = Flask(__name__)\n"
        "@app.errorhandler(HTTPException)\ndef h(error):\n"
        "    response = error.get_response()\n"
        "    response.set_data(app.json.dumps({'error': error.description}))\n"
        "    response.content_type = ('application/json')\n"
        "    return response\n"
        "@app.errorhandler(500)\ndef crash(error):\n    return {'error': 'crash'}, 500\n",
        ("errorhandler",),
    )
    assert (
        "    return JSONResponse({'error': error.detail}, status_code=error.status_code, "
        "headers=error.headers)\n" in out
    )
    assert "get_response" not in out and not todos(out)


#: A blueprint made in its package's `__init__` and given its handler in another module
#: (a layout larger Flask tutorials use; our own code).
SPLIT_BLUEPRINT = {
    "__init__.py": """\
        from flask import Flask


        def make_app():
            app = Flask(__name__)
            from .parts import parts

            app.register_blueprint(parts, url_prefix="/parts")
            return app
        """,
    "parts/__init__.py": """\
        from flask import Blueprint

        parts = Blueprint("parts", __name__)

        from . import handlers  # noqa: E402,F401
        """,
    "parts/handlers.py": """\
        from . import parts


        class OutOfStock(Exception):
            pass


        @parts.errorhandler(OutOfStock)
        def out_of_stock(exc):
            return {"error": "out of stock"}, 409
        """,
}


def _split(tmp_path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    src = tmp_path / "src" / "depot"
    for rel, code in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(textwrap.dedent(code), encoding="utf-8")
    report = port_tree(src, tmp_path / "out" / "depot")
    out = (tmp_path / "out" / "depot" / "parts" / "handlers.py").read_text(encoding="utf-8")
    line = next(line for line in out.splitlines() if "@parts.errorhandler" in line)
    return report, line


def test_a_handler_on_a_blueprint_imported_from_its_package_is_the_blueprints_own(tmp_path):
    """The port follows `from . import parts` to the blueprint (the flasky layout): its
    handler is that blueprint's own, left out with the blueprint-scope TODO as in the
    module that makes it, and the tree converts."""
    report, line = _split(tmp_path, SPLIT_BLUEPRINT)
    assert not report.blockers and report.conversions()["app"] == 3
    assert line.startswith("# @parts.errorhandler(OutOfStock)")
    ((rule, text),) = todos(line)
    assert rule == "errorhandler" and text == f"not registered: {BLUEPRINT_TODO}"
    assert "parts = APIRouter()" in (tmp_path / "out/depot/parts/__init__.py").read_text()


def test_a_handler_on_a_blueprint_the_port_cannot_trace_keeps_the_tree_on_flask(tmp_path):
    """No rule follows `parts` through a re-export: a FastAPI router would fail at
    `@parts.errorhandler` on import, so nothing converts, and the line says why."""
    files = dict(SPLIT_BLUEPRINT)
    files["parts/made.py"] = 'from flask import Blueprint\n\nparts = Blueprint("parts", __name__)\n'
    files["parts/__init__.py"] = "from .made import parts\n\nfrom . import handlers  # noqa\n"
    report, line = _split(tmp_path, files)
    assert report.blockers == ["parts.errorhandler"]
    assert not report.conversions()
    ((rule, text),) = todos(line)
    assert rule == "errorhandler" and text.startswith("registered on an app or blueprint made")
    assert "Blueprint(" in (tmp_path / "out" / "depot" / "parts" / "made.py").read_text()


#: A blueprint's handlers registered by call rather than by decorator (our own code).
REGISTERED = """\
from flask import Blueprint, Flask

app = Flask(__name__)
orders = Blueprint("orders", __name__)


class Refused(Exception):
    pass


def refused(exc):
    return {"error": "refused"}, 409


@orders.get("/orders")
def list_orders():
    raise Refused()


# Refusals answer 409 inside the orders API only.
orders.register_error_handler(Refused, refused)  # the API's own
app.register_blueprint(orders, url_prefix="/api")
orders.register_error_handler(KeyError, refused)
"""


def test_a_blueprints_register_error_handler_line_is_commented_out(tmp_path):
    """As with the decorator: the line becomes a comment carrying the TODO (its own comment
    kept), the last one too, and the rest of the module ports and imports."""
    out, counts = port_source(REGISTERED)
    assert counts["app"] == 3 and counts["routes"] == 1
    head = "# Refusals answer 409 inside the orders API only.\n"
    assert (
        head + "# orders.register_error_handler(Refused, refused)  # the API's own  # TODO(" in out
    )
    last = out.splitlines()[-1]
    assert last.startswith("# orders.register_error_handler(KeyError, refused)  # TODO(")
    assert [rule for rule, _ in todos(out)] == ["errorhandler", "errorhandler"]
    assert "\norders.register_error_handler" not in out
    assert port_source(out)[0] == out
    (tmp_path / "orders_port.py").write_text(out, encoding="utf-8")
    app = load_module_from_path(tmp_path / "orders_port.py", "orders_port").app
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/api/orders").status_code == 500  # not registered: no 409 yet


def test_a_register_error_handler_call_elsewhere_keeps_the_tree_on_flask():
    """In a function (or spread over lines) no comment line can hold it: the blueprint's
    `register_error_handler` still blocks, and a module-level line gets the TODO as it is."""
    source = (
        REGISTERED + "\n\ndef more():\n    orders.register_error_handler(ValueError, refused)\n"
    )
    out, counts = port_source(source)
    assert not counts.get("app") and "Flask(__name__)" in out
    assert "`orders.register_error_handler`" in out.split("Flask(__name__)", 1)[1].split("\n")[0]
    line = next(x for x in out.splitlines() if x.startswith("orders.register_error_handler(K"))
    assert todos(line) == [("errorhandler", todos(line)[0][1])]
    assert todos(line)[0][1].startswith("a router has no exception handlers")


#: An HTTP error handler and no handler for 500 or `Exception`: Flask hands it an
#: unhandled exception too, as an `InternalServerError` (the content-negotiation page).
ONLY_HTTP_HANDLER = """\
from flask import Flask
from werkzeug.exceptions import HTTPException

app = Flask(__name__)


@app.errorhandler(HTTPException)
def as_json(exc):
    return {"error": exc.name, "why": exc.description}, exc.code


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
"""


def test_an_http_handler_alone_also_answers_unhandled_exceptions():
    check_transformed(
        ONLY_HTTP_HANDLER,
        f"""\
from flask import Flask
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi import Request
from fastapi.responses import JSONResponse
from http import HTTPStatus

app = Flask(__name__)


@app.exception_handler(StarletteHTTPException)
def as_json(request: Request, exc):
    return JSONResponse({{"error": HTTPStatus(exc.status_code).phrase, "why": exc.detail}}, status_code=exc.status_code)


# Flask sent unhandled exceptions to `as_json` too, as a 500.
@app.exception_handler(Exception)
def server_error(request: Request, exc: Exception):
    return as_json(request, StarletteHTTPException(500, detail={InternalServerError.description!r}))


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
""",  # noqa: E501 - the port writes one line
        "errorhandler",
    )


def test_the_ported_crash_answers_as_flasks(tmp_path):
    port, _ = port_source(ONLY_HTTP_HANDLER)
    assert not todos(port), port
    apps = {
        "flask": load_module(tmp_path / "crash_flask.py", ONLY_HTTP_HANDLER, "crash_flask").app,
        "fastapi": load_module(tmp_path / "crash_port.py", port, "crash_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app, errors=io.StringIO()) as client:
            r = client.get("/boom")
            seen[framework] = (r.status_code, r.headers["content-type"], r.json())
    assert seen["fastapi"] == seen["flask"]
    assert seen["flask"] == (
        500,
        "application/json",
        {"error": "Internal Server Error", "why": InternalServerError.description},
    )


def test_an_app_that_handles_500_gets_no_second_handler():
    source = ONLY_HTTP_HANDLER.replace(
        "@app.get",
        '@app.errorhandler(500)\ndef crash(exc):\n    return {"error": "crash"}, 500\n\n\n@app.get',
        1,
    )
    out, _ = port_source(source, ("errorhandler",))
    assert out.count("exception_handler(Exception)") == 1, out
    assert "StarletteHTTPException(500" not in out


def test_abort_of_a_parameter_given_a_response_is_left_with_a_todo():
    # `abort(resp)` sends that response; `HTTPException(resp)` would answer a 500.
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask, abort, make_response

            app = Flask(__name__)


            def refuse(answer):
                abort(answer)


            @app.get("/")
            def index():
                refuse(make_response("no", 403))
            """
        )
    )
    assert "    abort(answer)  # TODO(flask2fastapi abort): FastAPI cannot raise" in out, out
    assert [rule for rule, _ in todos(out)] == ["abort"]


def test_abort_of_a_parameter_given_codes_is_converted():
    check_transformed(
        """\
        from flask import Flask, abort

        app = Flask(__name__)


        def refuse(code, why):
            abort(code, why)


        def check(item):
            if item is None:
                refuse(404, "no such item")
        """,
        """\
        from flask import Flask
        from fastapi import HTTPException

        app = Flask(__name__)


        def refuse(code, why):
            raise HTTPException(code, detail=why)


        def check(item):
            if item is None:
                refuse(404, "no such item")
        """,
        "abort",
    )


def test_raising_werkzeugs_http_errors_becomes_httpexception():
    # `raise NotFound(...)` is `abort(404, ...)` to Flask; left as it is, FastAPI answers 500.
    check_transformed(
        """\
        from flask import Flask
        from werkzeug.exceptions import BadRequest, NotFound

        app = Flask(__name__)


        def find(data):
            if not data:
                raise BadRequest("Missing JSON body")
            if data == "gone":
                raise NotFound
            try:
                return data["move"]
            except KeyError as exc:
                raise NotFound(description="no such move") from exc
        """,
        """\
        from flask import Flask
        from fastapi import HTTPException

        app = Flask(__name__)


        def find(data):
            if not data:
                raise HTTPException(400, detail="Missing JSON body")
            if data == "gone":
                raise HTTPException(404)
            try:
                return data["move"]
            except KeyError as exc:
                raise HTTPException(404, detail="no such move") from exc
        """,
        "abort",
    )


def test_raising_other_exceptions_is_left_alone():
    check_noop(
        """\
        from flask import Flask
        from werkzeug.exceptions import HTTPException, NotFound

        app = Flask(__name__)


        def find(data):
            if data:
                raise HTTPException("not one of Werkzeug's codes")
            raise ValueError(data)
        """,
        "abort",
    )


def test_catching_werkzeugs_errors_gets_a_todo():
    # abort(404) now raises FastAPI's HTTPException: `except NotFound` no longer catches it.
    source = textwrap.dedent(
        """\
        from flask import Flask, abort
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)


        def find(item):
            if item is None:
                abort(404)
            return item


        def find_or_none(item):
            try:
                return find(item)
            except (NotFound, KeyError):
                return None
        """
    )
    out, _ = port_source(source, ("abort",))
    assert "    except (NotFound, KeyError):  # TODO(flask2fastapi abort): the port raises" in out
    assert [rule for rule, _ in todos(out)] == ["abort"]
    assert port_source(out, ("abort",))[0] == out
    other = source.replace("(NotFound, KeyError)", "KeyError").replace("abort(404)", "pass")
    assert "TODO" not in port_source(other, ("abort",))[0]
