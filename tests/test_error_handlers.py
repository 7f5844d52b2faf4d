"""error-handlers: @app.errorhandler vs @app.exception_handler, and keeping an old error body."""

import io

import pytest
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError, field_validator

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


# --8<-- [start:detail-400]
class Tag(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("must not be blank")  # kept in the error's ctx, as an object
        return name


# --8<-- [end:detail-400]


# --8<-- [start:fastapi-400]
async def fastapi_detail_400(request: Request, exc: RequestValidationError) -> JSONResponse:
    # JSONResponse cannot encode the ValueError in ctx (a 500); jsonable_encoder can,
    # as FastAPI's own 422 handler does.
    return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=400)


# --8<-- [end:fastapi-400]


# --8<-- [start:flask-400]
def flask_detail_400(exc: ValidationError):
    # The same trap in Flask (its JSON provider cannot encode it either): leave ctx out.
    return {"detail": exc.errors(include_url=False, include_context=False)}, 400


# --8<-- [end:flask-400]


async def fastapi_detail_400_unencoded(request: Request, exc: RequestValidationError):
    return JSONResponse({"detail": exc.errors()}, status_code=400)


def flask_detail_400_unencoded(exc: ValidationError):
    return {"detail": exc.errors()}, 400


def tag_app(framework: str, handler):
    """An app whose `POST /tags` validates a `Tag` and answers errors through `handler`."""
    if framework == "flask":
        from flask import Flask, request

        app = Flask(__name__)
        app.register_error_handler(ValidationError, handler)

        @app.post("/tags")
        def create_tag():
            return Tag.model_validate(request.get_json(silent=True)).model_dump(), 201

        return app
    from fastapi import FastAPI

    app = FastAPI()
    app.add_exception_handler(RequestValidationError, handler)

    @app.post("/tags", status_code=201)
    def create_tag(tag: Tag):
        return tag

    return app


HANDLERS = {
    "encoded": {"flask": flask_detail_400, "fastapi": fastapi_detail_400},
    "unencoded": {"flask": flask_detail_400_unencoded, "fastapi": fastapi_detail_400_unencoded},
}


@pytest.mark.parametrize("handler", HANDLERS)
def test_pydantic_errors_in_a_400_body(framework, handler, caplog):
    """errors() may hold the exception a field validator raised: sent as it is, the error
    answer is itself a 500; encoded (FastAPI) or without ctx (Flask), it is the 400."""
    errors = io.StringIO()  # the 500's traceback: FastAPI's here, Flask's in its logger
    app = tag_app(framework, HANDLERS[handler][framework])
    with client_for(framework, app, errors=errors) as client:
        assert client.post("/tags", json={"name": "news"}).status_code == 201
        missing = client.post("/tags", json={})  # no exception object in this error
        blank = client.post("/tags", json={"name": " "})
    assert missing.status_code == 400
    assert [e["type"] for e in missing.json()["detail"]] == ["missing"]
    if handler == "unencoded":
        assert blank.status_code == 500
        logged = errors.getvalue() + caplog.text
        assert "TypeError: Object of type ValueError is not JSON serializable" in logged
        return
    assert blank.status_code == 400
    assert blank.headers["content-type"] == JSON_TYPE
    [error] = blank.json()["detail"]
    prefix = {"flask": [], "fastapi": ["body"]}[framework]
    assert (error["type"], error["loc"], error["msg"]) == (
        "value_error",
        [*prefix, "name"],
        "Value error, must not be blank",
    )
    # jsonable_encoder turns the ValueError into {} (FastAPI's 422 shows the same).
    assert error.get("ctx") == {"flask": None, "fastapi": {"error": {}}}[framework]


@pytest.mark.parametrize("price", [b"NaN", b"1e999", b"-Infinity"])
def test_a_price_json_cannot_carry_back_is_a_400(client, framework, price):
    """Not a 500: accepted, NaN or infinity made writing the 201 fail (see hostile-input).

    Flask's orjson provider refuses the whole body; the model refuses the field.
    """
    body = b'{"name": "Gadget", "price": ' + price + b"}"
    r = client.post("/items", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    fields = {"flask": {"body": "invalid"}, "fastapi": {"price": "invalid"}}[framework]
    assert r.json() == {"error": "invalid request", "fields": fields}
