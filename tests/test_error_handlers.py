"""error-handlers: @app.errorhandler vs @app.exception_handler, and keeping an old error body."""

import pytest

from guidekit.harness import client_for
from tests.expect import allowed, assert_not_found, route_methods

JSON_TYPE = "application/json"


def test_happy_paths(client):
    assert client.get("/items/1").json() == {"id": 1, "name": "Widget", "price": 9.5}
    r = client.post("/items", json={"name": "Gadget", "price": 3})
    assert r.status_code == 201
    assert r.json() == {"name": "Gadget", "price": 3.0}


def test_custom_exception_class(client):
    r = client.get("/items/7")
    assert r.status_code == 404
    assert r.headers["content-type"] == JSON_TYPE
    assert r.json() == {"error": "Not Found", "message": "Item 7 does not exist"}


def test_unknown_route_gets_the_custom_body(client):
    r = client.get("/nope")
    assert r.status_code == 404
    assert r.headers["content-type"] == JSON_TYPE
    assert r.json() == {"error": "Not Found"}


def test_wrong_method_keeps_its_allow_header(client, framework):
    r = client.delete("/items/1")
    assert r.status_code == 405
    assert r.headers["content-type"] == JSON_TYPE
    assert r.json() == {"error": "Method Not Allowed"}
    assert allowed(r) == route_methods("GET")[framework]


def test_unhandled_exception_gets_a_json_500(client):
    r = client.get("/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == JSON_TYPE
    assert r.json() == {"error": "Internal Server Error"}


# Bad requests that must get byte-for-byte the same answer from both apps.
SAME_ANSWER = {
    "missing-field": ({"json": {"name": "Gadget"}}, {"price": "required"}),
    "wrong-type": ({"json": {"name": "Gadget", "price": "cheap"}}, {"price": "invalid"}),
    "both-fields": ({"json": {"price": []}}, {"name": "required", "price": "invalid"}),
    "not-an-object": ({"json": ["Gadget", 3]}, {"body": "invalid"}),
    "malformed": (
        {"content": b'{"name": ', "headers": {"content-type": "application/json"}},
        {"body": "invalid"},
    ),
    "text-plain": (
        {"content": b'{"name": "Gadget", "price": 3}', "headers": {"content-type": "text/plain"}},
        {"body": "invalid"},
    ),
    "empty": ({}, {"body": "invalid"}),
}


@pytest.mark.parametrize(("request_kwargs", "fields"), SAME_ANSWER.values(), ids=SAME_ANSWER)
def test_bad_body_gets_the_old_flask_answer(client, request_kwargs, fields):
    r = client.post("/items", **request_kwargs)
    assert r.status_code == 400  # not FastAPI's 422: the handler chose the status
    assert r.headers["content-type"] == JSON_TYPE
    assert r.json() == {"error": "invalid request", "fields": fields}
    # The same bytes too, apart from the newline Flask's JSON provider appends.
    fields_json = ",".join(f'"{k}":"{v}"' for k, v in fields.items())
    assert r.text.rstrip("\n") == '{"error":"invalid request","fields":{' + fields_json + "}}"


def test_the_override_also_covers_path_parameters(client, framework):
    # Flask's <int:> converter does not match "abc" (a 404); FastAPI validates it, so the
    # RequestValidationError handler answers, with a field named after the parameter.
    r = client.get("/items/abc")
    if framework == "flask":
        assert r.status_code == 404
        assert r.json() == {"error": "Not Found"}
    else:
        assert r.status_code == 400
        assert r.json() == {"error": "invalid request", "fields": {"item_id": "invalid"}}


def test_openapi_schema_still_documents_422(client, framework):
    r = client.get("/openapi.json")
    if framework == "flask":
        assert r.status_code == 404  # Flask has no schema; our 404 handler answers
        assert r.json() == {"error": "Not Found"}
    else:
        responses = r.json()["paths"]["/items"]["post"]["responses"]
        assert sorted(responses) == ["201", "422"]  # not the 400 the handler sends


@pytest.mark.only("fastapi", reason="Flask has one HTTPException class, Werkzeug's")
def test_a_handler_for_fastapis_own_httpexception_misses_the_router_errors(framework):
    """The pitfall: the router raises Starlette's HTTPException, which a handler registered
    for FastAPI's subclass never sees."""
    from fastapi import FastAPI, HTTPException
    from fastapi.responses import JSONResponse

    app = FastAPI()

    @app.exception_handler(HTTPException)
    async def handler(request, exc):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.get("/raised")
    def raised():
        raise HTTPException(status_code=404, detail="Not Found")

    with client_for(framework, app) as client:
        assert client.get("/raised").json() == {"error": "Not Found"}
        assert_not_found(client.get("/unknown"), framework)  # the default body


@pytest.mark.only(
    "fastapi", reason="Flask's debug mode re-raises into the server's debugger instead"
)
def test_debug_mode_replaces_the_exception_handler_with_a_traceback(framework, app):
    """The debug pitfall: with debug on, Starlette answers with a traceback page."""
    app.debug = True
    with client_for(framework, app) as client:
        r = client.get("/boom")
        page = client.get("/boom", headers={"accept": "text/html"})
    # Not the handler's JSON: a plain-text traceback, or an HTML one for a browser.
    assert (r.status_code, page.status_code) == (500, 500)
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Traceback" in r.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
