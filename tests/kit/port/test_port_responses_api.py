"""Rule `response-api`: Flask's `Response(...)` and what is done to a response object."""

from __future__ import annotations

import textwrap

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source
from flask2fastapi.port.base import page_url
from flask2fastapi.port.response_api import starlette_content_type, werkzeug_content_type

from tests.kit.port.checks import check_noop, check_transformed, load_module, todos


def test_a_response_built_in_a_helper_and_changed_becomes_starlettes():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import Response, jsonify

        app = FastAPI()


        def page(status: int, headers=()) -> Response:
            if status >= 500:
                response = Response("<h1>down</h1>", status)
            else:
                response = jsonify(error="no")
                response.status_code = status
            response.headers.extend(headers)
            response.headers.add("X-Tag", "a")
            response.headers.set("X-One", "1")
            # a cache keys its copies on Accept
            response.vary.add("Accept")
            return response
        """,
        """\
        from fastapi import Response, FastAPI
        from fastapi.responses import JSONResponse
        from werkzeug.datastructures import iter_multi_items

        app = FastAPI()


        def page(status: int, headers=()) -> Response:
            if status >= 500:
                response = Response("<h1>down</h1>", status_code=status, media_type="text/html")
            else:
                response = JSONResponse({"error": "no"}, status_code=status)
            for header, value in iter_multi_items(headers):
                response.headers.append(header, value)
            response.headers.append("X-Tag", "a")
            response.headers["X-One"] = "1"
            # a cache keys its copies on Accept
            response.headers.add_vary_header("Accept")
            return response
        """,
        "response-api",
    )


def test_a_view_response_keeps_werkzeugs_content_type():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import Response

        app = FastAPI()


        @app.get("/x")
        def x():
            r = Response("a,b\\n", mimetype="text/csv", headers={"X-A": "1"})
            r.headers.extend({"X-B": "2"})
            kind = r.mimetype
            return r


        @app.get("/feed")
        def feed():
            return Response("<feed/>", mimetype="application/atom+xml")
        """,
        """\
        from fastapi import Response, FastAPI

        app = FastAPI()


        @app.get("/x")
        def x():
            r = Response("a,b\\n", headers={"X-A": "1"}, media_type="text/csv")
            for header, value in {"X-B": "2"}.items():
                r.headers.append(header, value)
            kind = r.media_type
            return r


        @app.get("/feed")
        def feed():
            return Response("<feed/>", media_type="application/atom+xml; charset=utf-8")
        """,
        "response-api",
    )


def test_content_types_as_werkzeug_and_starlette_write_them():
    """Werkzeug gives XML and JavaScript a charset, Starlette only `text/*`."""
    assert werkzeug_content_type("text/csv") == starlette_content_type("text/csv")
    assert werkzeug_content_type("application/xml") == "application/xml; charset=utf-8"
    assert starlette_content_type("application/xml") == "application/xml"
    assert werkzeug_content_type("image/png") == starlette_content_type("image/png")


def test_what_starlette_cannot_take_keeps_a_todo():
    source = textwrap.dedent(
        """\
        from fastapi import FastAPI
        from flask import Response

        app = FastAPI()


        @app.get("/a")
        def a():
            return Response("x", "201 CREATED")


        @app.get("/b")
        def b():
            return Response("ok", content_type="text/plain")


        @app.get("/c")
        def c():
            return Response("ok", headers=[("X-A", "1"), ("X-A", "2")])


        @app.get("/d")
        def d():
            r = Response("ok")
            r.set_data("other")
            r.headers.add("Content-Disposition", "attachment", filename="a.txt")
            return r
        """
    )
    out, _ = port_source(source, ("response-api",))
    assert todos(out) == [
        ("response-api", "Starlette takes the status as an int: `status_code=`"),
        (
            "response-api",
            "Starlette would send `text/plain; charset=utf-8`: set the Content-Type header "
            "`text/plain` by hand",
        ),
        (
            "response-api",
            "Starlette takes headers as a dict: pass one, and `response.headers.append(name, "
            "value)` for a repeated header",
        ),
        ("response-api", "Starlette's Response has no `set_data`: port this line by hand"),
        ("response-api", "Starlette has no `headers.add` like this: port it by hand"),
    ]
    assert port_source(out, ("response-api",))[0] == out


def test_starlettes_response_and_flasks_app_are_left_alone():
    check_noop(
        """\
        from fastapi import Response, FastAPI

        app = FastAPI()


        @app.get("/x")
        def x():
            r = Response("a", media_type="text/plain")
            r.headers.append("X-A", "1")
            return r
        """,
        "response-api",
    )
    check_noop(  # a Flask app that stays Flask: nothing is a FastAPI view
        """\
        from flask import Flask, Response

        app = Flask(__name__)
        app.extensions["cache"] = {}


        @app.get("/x")
        def x():
            r = Response("a", mimetype="text/plain")
            r.vary.add("Accept")
            return r
        """,
        "response-api",
    )


FLASK_APP = """\
from flask import Flask, Response, jsonify

app = Flask(__name__)


def answer(status, html, headers=()):
    if html:
        response = Response("<h1>hi</h1>", status)
    else:
        response = jsonify(ok=False)
        response.status_code = status
    response.headers.extend(headers)
    response.vary.add("Accept")
    response.vary.add("Cookie")
    return response


@app.get("/html")
def html():
    return answer(418, True, [("X-Tag", "a"), ("X-Tag", "b")])


@app.get("/json")
def json_view():
    return answer(409, False, {"X-One": "1"})


@app.get("/xml")
def xml():
    return Response("<a/>", mimetype="application/xml")
"""


def test_the_port_answers_with_the_same_status_headers_and_body(tmp_path):
    port, _ = port_source(FLASK_APP)
    assert "flask" not in port.split("app = ")[0], port  # no Flask import left
    apps = {
        "flask": load_module(tmp_path / "ra_flask.py", FLASK_APP, "ra_flask").app,
        "fastapi": load_module(tmp_path / "ra_port.py", port, "ra_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            html, data, xml = client.get("/html"), client.get("/json"), client.get("/xml")
            seen[framework] = [
                (html.status_code, html.headers["content-type"], html.text,
                 html.headers.get_list("x-tag"), html.headers["vary"]),
                (data.status_code, data.headers["content-type"], data.json(),
                 data.headers["x-one"], data.headers["vary"]),
                (xml.status_code, xml.headers["content-type"], xml.text),
            ]  # fmt: skip
    assert seen["flask"] == [
        (418, "text/html; charset=utf-8", "<h1>hi</h1>", ["a", "b"], "Accept, Cookie"),
        (409, "application/json", {"ok": False}, "1", "Accept, Cookie"),
        (200, "application/xml; charset=utf-8", "<a/>"),
    ]
    assert seen["fastapi"] == seen["flask"]


TODO_TYPE = (
    "TODO(flask2fastapi response-api): read the type from `response.headers.get('content-type')`"
    " (a middleware's response has no `media_type`) — " + page_url("responses/custom-responses.md")
)


def test_an_after_request_hooks_response_is_starlettes_too():
    """The `hooks` rule makes `after_request` an HTTP middleware; its response is the one
    `call_next` gives, Starlette's: a Flask `vary.add` on it would raise AttributeError."""
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.after_request
        def private(response):
            response.vary.add("Cookie")
            kind = response.mimetype
            return response
        """,
        f"""\
        from fastapi import FastAPI, Request

        app = FastAPI()


        @app.middleware("http")
        async def private(request: Request, call_next):
            response = await call_next(request)
            response.headers.add_vary_header("Cookie")
            kind = response.mimetype  # {TODO_TYPE}
            return response
        """,
        "hooks",
        "response-api",
        "app",
    )


def test_call_on_close_in_a_view_becomes_a_background_task():
    """Werkzeug calls it once the response is closed; Starlette runs a response's
    background tasks once it is sent, and FastAPI attaches the view's `BackgroundTasks`."""
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import jsonify

        app = FastAPI()
        SENT = []


        @app.post("/signup")
        def signup():
            response = jsonify(status="queued")
            response.status_code = 202
            response.call_on_close(lambda: SENT.append("mail"))
            return response
        """,
        """\
        from fastapi import BackgroundTasks, FastAPI
        from fastapi.responses import JSONResponse

        app = FastAPI()
        SENT = []


        @app.post("/signup")
        def signup(background_tasks: BackgroundTasks):
            response = JSONResponse({"status": "queued"}, status_code=202)
            background_tasks.add_task(lambda: SENT.append("mail"))
            return response
        """,
        "response-api",
    )
    out, _ = port_source(
        textwrap.dedent(
            """\
            from fastapi import FastAPI
            from flask import jsonify

            app = FastAPI()


            def queued(task):
                response = jsonify(status="queued")
                response.call_on_close(task)
                return response
            """
        ),
        ("response-api",),
    )
    assert todos(out) == [
        ("response-api", "run it after the answer with BackgroundTasks in the view")
    ]


def test_the_ported_background_task_runs_after_the_answer(tmp_path):
    source = textwrap.dedent(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)
        SENT = []


        @app.post("/signup")
        def signup():
            response = jsonify(status="queued")
            response.status_code = 202
            response.call_on_close(lambda: SENT.append("mail"))
            return response
        """
    )
    port, _ = port_source(source)
    for framework, code in (("flask", source), ("fastapi", port)):
        module = load_module(tmp_path / f"bg_{framework}.py", code, f"bg_{framework}")
        with client_for(framework, module.app) as client:
            answer = client.post("/signup")
            assert (answer.status_code, answer.json()) == (202, {"status": "queued"})
        assert module.SENT == ["mail"], framework


def test_a_response_returned_in_a_tuple_gets_its_status_and_headers_set():
    """Flask sets the tuple's status on the response and updates its headers."""
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import jsonify

        app = FastAPI()


        @app.post("/a")
        def a():
            body = jsonify(ok=True)
            return body, 201  # created


        @app.post("/b")
        def b():
            body = jsonify(ok=True)
            if True:
                return body, 202, {"X-A": "1"}
            return body, {"X-B": "2"}
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import JSONResponse

        app = FastAPI()


        @app.post("/a")
        def a():
            body = JSONResponse({"ok": True}, status_code=201)
            return body  # created


        @app.post("/b")
        def b():
            body = JSONResponse({"ok": True})
            if True:
                body.status_code = 202
                body.headers.update({"X-A": "1"})
                return body
            body.headers.update({"X-B": "2"})
            return body
        """,
        "response-api",
    )


def test_jsonify_and_make_response_outside_a_view():
    """Both need Flask's app context, which a FastAPI request does not push."""
    source = textwrap.dedent(
        """\
        from fastapi import FastAPI
        from flask import jsonify, make_response

        app = FastAPI()


        def ok(data):
            return jsonify(data)


        def err(message, code):
            return jsonify(error=message), code


        def page(html):
            return make_response(html)
        """
    )
    out, counts = port_source(source, ("response-api",))
    assert "def ok(data):\n    return JSONResponse(data)\n" in out
    assert counts == {"response-api": 1}
    assert (
        todos(out)
        == [
            (
                "response-api",
                "this needs Flask's app context outside a view: build a JSONResponse (or "
                "HTMLResponse) here",
            )
        ]
        * 2
    )


CONSTRUCTORS = """\
from http import HTTPStatus

from flask import Flask, Response

app = Flask(__name__)


def gen():
    yield "a"
    yield "b"


@app.get("/empty")
def empty():
    return Response(status=204)


@app.get("/created")
def created():
    return Response(b"x", status=HTTPStatus.CREATED, mimetype="application/json")


@app.get("/stream")
def stream():
    return Response(gen(), mimetype="text/plain")


@app.get("/js")
def js():
    r = Response("var a;", mimetype="application/javascript")
    r.headers.add("Link", "</a>")
    r.headers.add("Link", "</b>")
    r.headers.set("X-Only", "1")
    return r, {"X-Extra": "e"}
"""


def test_the_constructors_port_answers_alike(tmp_path):
    """No body (Werkzeug's text/html still sent), an HTTPStatus, a generator (streamed),
    a charset Werkzeug adds to JavaScript, repeated headers, a tuple's headers."""
    port, _ = port_source(CONSTRUCTORS)
    seen = {}
    for framework, code in (("flask", CONSTRUCTORS), ("fastapi", port)):
        app = load_module(tmp_path / f"rc_{framework}.py", code, f"rc_{framework}").app
        with client_for(framework, app) as client:
            seen[framework] = [
                (r.status_code, r.headers.get("content-type"), r.text,
                 r.headers.get_list("link"), r.headers.get("x-only"), r.headers.get("x-extra"))
                for r in map(client.get, ("/empty", "/created", "/stream", "/js"))
            ]  # fmt: skip
    assert seen["flask"] == [
        (204, "text/html; charset=utf-8", "", [], None, None),
        (201, "application/json", "x", [], None, None),
        (200, "text/plain; charset=utf-8", "ab", [], None, None),
        (200, "application/javascript; charset=utf-8", "var a;", ["</a>", "</b>"], "1", "e"),
    ]
    assert seen["fastapi"] == seen["flask"]
