"""middleware: code that wraps every request; its order, a timing header, compression."""

import io
import re
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from guidekit.harness import client_for
from tests.expect import assert_default_error, assert_server_error

# The request passes the layers in this order; each one names itself in x-layers.
LAYERS = "outer, inner, timing"


def test_last_added_layer_runs_first(client):
    r = client.get("/hello")
    assert r.status_code == 200
    assert r.json() == {"message": "Hello"}
    assert r.headers["x-layers"] == LAYERS


def test_timing_header_is_a_number_of_milliseconds(client):
    r = client.get("/hello")
    assert re.fullmatch(r"\d+\.\d{3}", r.headers["x-process-time-ms"])


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/nope", 404), ("POST", "/hello", 405)]
)
def test_error_responses_pass_through_every_layer(client, method, path, status):
    r = client.request(method, path)
    assert r.status_code == status
    assert r.headers["x-layers"] == LAYERS
    assert "x-process-time-ms" in r.headers


def test_unhandled_exception_skips_fastapi_middleware(client, framework):
    """Flask turns the exception into a 500 inside wsgi_app, so every layer sees it; in
    FastAPI the 500 comes from ServerErrorMiddleware, outside all of yours."""
    r = client.get("/boom")
    assert_server_error(r, framework)
    if framework == "flask":
        assert r.headers["x-layers"] == LAYERS
    else:
        assert "x-layers" not in r.headers
        assert "x-process-time-ms" not in r.headers


def test_large_response_is_gzipped_only_by_fastapi(client, framework):
    r = client.get("/report", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200
    assert len(r.json()["rows"]) == 100  # the client decompresses transparently
    assert r.headers.get("content-encoding") == {"flask": None, "fastapi": "gzip"}[framework]
    assert r.headers.get("vary") == {"flask": None, "fastapi": "Accept-Encoding"}[framework]


@pytest.mark.parametrize(
    ("path", "encoding"),
    [("/hello", "gzip"), ("/report", "identity")],
    ids=["small", "not-accepted"],
)
def test_no_gzip_for_small_bodies_or_clients_that_do_not_ask(client, path, encoding):
    r = client.get(path, headers={"accept-encoding": encoding})
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert int(r.headers["content-length"]) == len(r.content)


@pytest.mark.only("fastapi", reason="Flask has no compression middleware of its own")
def test_gzip_outside_function_middleware_ignores_minimum_size(framework):
    """The pitfall the snippet's order avoids: call_next streams the body, so a GZip layer
    outside @app.middleware cannot see its size and compresses even tiny responses."""
    app = FastAPI()

    @app.get("/hello")
    def hello():
        return {"message": "Hello"}

    @app.middleware("http")
    async def passthrough(request: Request, call_next):
        return await call_next(request)

    app.add_middleware(GZipMiddleware, minimum_size=1000)  # added last: outermost
    with TestClient(app) as client:
        r = client.get("/hello", headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.json() == {"message": "Hello"}


@pytest.mark.parametrize(("handled", "through_layers"), [(RuntimeError, True), (Exception, False)])
def test_an_error_handler_puts_the_500_back_inside_the_layers(
    framework, app, handled, through_layers
):
    """A handler for the exception's own class runs inside your middleware, so the layers
    see its response; a handler for Exception runs in ServerErrorMiddleware, outside them."""
    if framework == "flask":
        app.register_error_handler(handled, lambda e: ({"error": "boom"}, 500))
    else:

        async def handler(request, exc):
            return JSONResponse({"error": "boom"}, status_code=500)

        app.add_exception_handler(handled, handler)
    with client_for(framework, app) as client:
        r = client.get("/boom")
    assert r.status_code == 500
    assert r.json() == {"error": "boom"}
    # Flask handles both inside wsgi_app, so its layers always see the response.
    expected = through_layers or framework == "flask"
    assert ("x-layers" in r.headers) == expected


@pytest.mark.parametrize("agent", ["BadBot/1.0", "Mozilla/5.0 (compatible; BadBot)"])
def test_a_blocked_agent_is_refused_early(client, framework, agent):
    r = client.get("/hello", headers={"user-agent": agent})
    assert_default_error(r, framework, 403)
    # Refused inside the timing layer in both apps, so every layer still marks the answer.
    assert r.headers["x-layers"] == LAYERS
    ok = client.get("/hello", headers={"user-agent": "Mozilla/5.0"})
    assert (ok.status_code, ok.json()) == (200, {"message": "Hello"})
    assert client.get("/hello", headers={"user-agent": ""}).status_code == 200


@pytest.mark.only("fastapi", reason="Flask's abort() in before_request goes through its handlers")
def test_httpexception_raised_in_a_middleware_is_a_500(framework):
    """The pitfall: middleware runs outside FastAPI's exception handlers, so an
    HTTPException raised there is an unhandled error. A dependency may raise it."""

    def require_token(request: Request) -> None:
        if "authorization" not in request.headers:
            raise HTTPException(401, "Not authenticated")

    in_middleware = FastAPI()
    in_dependency = FastAPI(dependencies=[Depends(require_token)])

    @in_middleware.middleware("http")
    async def require_token_middleware(request: Request, call_next):
        require_token(request)
        return await call_next(request)  # never reached without the header

    for app in (in_middleware, in_dependency):
        app.get("/hello")(lambda: {"message": "Hello"})

    errors = io.StringIO()
    with client_for(framework, in_middleware, errors=errors) as client:
        r = client.get("/hello")
        assert (r.status_code, r.text) == (500, "Internal Server Error")
        assert "HTTPException" in errors.getvalue()
        assert client.get("/hello", headers={"authorization": "x"}).status_code == 200
    with client_for(framework, in_dependency) as client:
        r = client.get("/hello")
        assert (r.status_code, r.json()) == (401, {"detail": "Not authenticated"})


def test_the_request_body_is_read_around_the_route(client):
    """Flask's after_request reads the body after the view; FastAPI's middleware reads it
    before call_next, and the route still gets the same bytes."""
    r = client.post("/messages", content=b"hello")
    assert r.status_code == 200
    assert r.json() == {"bytes": 5}
    assert r.headers["x-body-bytes"] == "5"
    assert r.headers["x-layers"] == LAYERS


def add_form_route(framework: str, app) -> None:
    """POST /form-messages: a view that parses a urlencoded form and echoes its `text`."""
    if framework == "flask":
        from flask import request

        @app.post("/form-messages")
        def form_message():
            return {"text": request.form["text"]}

        return

    @app.post("/form-messages")
    async def form_message_fastapi(text: Annotated[str, Form()]):
        return {"text": text}


def test_after_a_view_that_parsed_a_form_flask_has_no_body_left(framework, app):
    """Werkzeug keeps the body for get_data() only when it was read with get_data() or
    get_json(): its form parser reads the stream without keeping it, so after a form view
    Flask's after_request sees b"". FastAPI's middleware read it before call_next, and the
    form route still parses it. `text=hello` is 10 bytes."""
    add_form_route(framework, app)
    with client_for(framework, app) as client:
        r = client.post("/form-messages", data={"text": "hello"})
    assert r.status_code == 200
    assert r.json() == {"text": "hello"}
    assert r.headers["x-body-bytes"] == {"flask": "0", "fastapi": "10"}[framework]


@pytest.mark.only("flask", reason="FastAPI's middleware already reads the body first")
def test_a_before_request_read_keeps_the_body_for_after_request(framework, app):
    """The Flask fix: read the body in before_request (the hook must return None, or its
    bytes become the response); the form is then parsed from the kept bytes."""
    from flask import request

    @app.before_request
    def keep_body():
        request.get_data()

    add_form_route(framework, app)
    with client_for(framework, app) as client:
        r = client.post("/form-messages", data={"text": "hello"})
    assert r.status_code == 200
    assert r.json() == {"text": "hello"}
    assert r.headers["x-body-bytes"] == "10"


@pytest.mark.only("fastapi", reason="Flask's after_request can still call request.get_data()")
def test_reading_the_body_after_call_next_is_stream_consumed(framework, snippet):
    """The trap (issue 19): the route has read the body, so the middleware's request.body()
    after call_next raises RuntimeError and the client gets a 500."""
    app = FastAPI()

    @app.middleware("http")
    async def record_body_size_too_late(request: Request, call_next):
        response = await call_next(request)
        response.headers["x-body-bytes"] = str(len(await request.body()))
        return response

    app.post("/messages")(snippet.receive_message)
    errors = io.StringIO()
    with client_for(framework, app, errors=errors) as client:
        r = client.post("/messages", content=b"hello")
    assert_server_error(r, framework)
    assert "RuntimeError: Stream consumed" in errors.getvalue()
