"""errors-and-abort: abort() vs raise HTTPException, and the default 404/405/500 bodies."""

import pytest

from tests.expect import (
    HTML,
    assert_default_error,
    assert_method_not_allowed,
    assert_not_found,
    assert_server_error,
    has,
    route_methods,
)


def test_found_item(client):
    r = client.get("/items/1")
    assert r.status_code == 200
    assert r.json() == {"id": 1, "name": "Widget"}


def test_abort_with_a_description(client, framework):
    r = client.get("/items/7")
    assert_default_error(
        r, framework, 404, flask_text="<p>Item 7 not found</p>", fastapi_detail="Item 7 not found"
    )


def test_abort_without_a_description(client, framework):
    r = client.get("/admin")
    flask_text = "You don&#39;t have the permission to access the requested resource."
    # FastAPI's detail defaults to the status code's phrase.
    assert_default_error(r, framework, 403, flask_text=flask_text, fastapi_detail="Forbidden")


@pytest.mark.change("www-authenticate-no-trailing-space")
def test_error_with_a_header(client, framework):
    r = client.get("/me")
    assert r.status_code == 401
    spaced = framework == "flask" and not has("www-authenticate-no-trailing-space")
    assert r.headers["www-authenticate"] == ("Bearer " if spaced else "Bearer")
    assert r.headers["content-type"] == {"flask": HTML, "fastapi": "application/json"}[framework]
    if framework == "fastapi":
        assert r.json() == {"detail": "Not authenticated"}


def test_the_header_route_works_when_authorised(client):
    r = client.get("/me", headers={"Authorization": "Bearer token"})
    assert r.status_code == 200
    assert r.json() == {"user": "ada"}


def test_unknown_route(client, framework):
    assert_not_found(client.get("/nope"), framework)


def test_wrong_method(client, framework):
    r = client.post("/items/1")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def test_unhandled_exception_is_a_500(client, framework):
    r = client.get("/boom")
    # FastAPI's comes from Starlette's ServerErrorMiddleware: plain text, no {"detail": ...}.
    assert_server_error(r, framework)
    assert "a bug" not in r.text  # the exception's message does not leak out


def test_a_path_parameter_of_the_wrong_type(client, framework):
    # Not an abort at all: Flask's <int:> converter does not match; FastAPI validates.
    r = client.get("/items/abc")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]


def test_returning_the_error_instead_of_raising_it(framework):
    """abort() and HTTPException are exceptions, but neither framework requires one: Flask
    views return `(body, status)`, FastAPI endpoints return a `JSONResponse` with its
    `status_code`. Same answer as the raised error, without leaving the function early."""
    from guidekit.harness import client_for

    if framework == "flask":
        from flask import Flask

        app = Flask(__name__)

        @app.get("/items/<name>")
        def item(name):
            if name != "hammer":
                return {"detail": f"no item {name}"}, 404
            return {"name": name}
    else:
        from fastapi import FastAPI
        from fastapi.responses import JSONResponse

        app = FastAPI()

        @app.get("/items/{name}")
        def item(name: str):
            if name != "hammer":
                return JSONResponse({"detail": f"no item {name}"}, status_code=404)
            return {"name": name}

    with client_for(framework, app) as client:
        r = client.get("/items/saw")
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/json"
        assert r.json() == {"detail": "no item saw"}
        assert client.get("/items/hammer").json() == {"name": "hammer"}
