"""path-parameters: Flask converters vs FastAPI type annotations on path parameters."""

import pytest
from flask2fastapi.apps import load_module_from_path

from guidekit.harness import client_for
from guidekit.topics import SNIPPETS
from tests.expect import assert_not_found, assert_validation_error

ORDER_ID = "0e9f4f8c-6b0a-4b8e-9d0a-2c1f1d1c3b7a"


def test_string_is_the_default(client):
    r = client.get("/tags/python")
    assert r.status_code == 200
    assert r.json() == {"name": "python"}


def test_string_does_not_match_an_encoded_slash(client, framework):
    # Both routers match on the decoded path, where %2F is a "/" again.
    assert_not_found(client.get("/tags/a%2Fb"), framework)


def test_int_is_converted(client):
    r = client.get("/users/42")
    assert r.status_code == 200
    assert r.json() == {"user_id": 42}


def test_static_route_beside_a_parameter(client):
    r = client.get("/users/me")
    assert r.status_code == 200
    assert r.json() == {"user_id": "me"}


def test_leading_zeros_are_accepted(client):
    assert client.get("/users/007").json() == {"user_id": 7}


@pytest.mark.parametrize("raw", ["abc", "1.5"])
def test_non_integer_is_404_in_flask_422_in_fastapi(client, framework, raw):
    r = client.get(f"/users/{raw}")
    if framework == "flask":
        assert_not_found(r, framework)  # the converter's regex does not match: no route
    else:
        assert r.status_code == 422  # the route matches; validation fails
        assert r.json() == {
            "detail": [
                {
                    "type": "int_parsing",
                    "loc": ["path", "user_id"],
                    "msg": "Input should be a valid integer, unable to parse string as an integer",
                    "input": raw,
                }
            ]
        }


def test_negative_int_is_404_in_flask_but_accepted_by_fastapi(client, framework):
    r = client.get("/users/-1")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 200
        assert r.json() == {"user_id": -1}


def test_signed_int(client):
    r = client.get("/offsets/-5")
    assert r.status_code == 200
    assert r.json() == {"offset": -5}


def test_minimum_is_404_in_flask_422_in_fastapi(client, framework):
    assert client.get("/pages/1").json() == {"number": 1}
    r = client.get("/pages/0")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 422
        assert r.json() == {
            "detail": [
                {
                    "type": "greater_than_equal",
                    "loc": ["path", "number"],
                    "msg": "Input should be greater than or equal to 1",
                    "input": "0",
                    "ctx": {"ge": 1},
                }
            ]
        }


def test_path_matches_slashes(client):
    r = client.get("/files/docs/guide/index.md")
    assert r.status_code == 200
    assert r.json() == {"filepath": "docs/guide/index.md"}


def test_empty_path_is_404_in_flask_but_empty_string_in_fastapi(client, framework):
    r = client.get("/files/")
    if framework == "flask":
        assert_not_found(r, framework)  # `path` needs at least one character
    else:
        assert r.status_code == 200  # `:path` is `.*`: it matches nothing at all
        assert r.json() == {"filepath": ""}


def test_leading_slash_is_redirected_in_flask_but_passed_on_by_fastapi(client, framework):
    r = client.get("/files//etc/passwd")
    if framework == "flask":
        # Werkzeug merges repeated slashes (merge_slashes) with a permanent redirect.
        assert r.status_code == 308
        assert r.headers["location"] == "http://testserver/files/etc/passwd"
    else:
        # The parameter starts with "/": an absolute path if joined to a directory.
        assert r.status_code == 200
        assert r.json() == {"filepath": "/etc/passwd"}


def test_uuid_is_converted(client):
    r = client.get(f"/orders/{ORDER_ID}")
    assert r.status_code == 200
    assert r.json() == {"order_id": ORDER_ID, "version": 4}


def test_uppercase_uuid_is_accepted(client):
    r = client.get(f"/orders/{ORDER_ID.upper()}")
    assert r.json() == {"order_id": ORDER_ID, "version": 4}


def test_uuid_without_hyphens_is_404_in_flask_but_accepted_by_fastapi(client, framework):
    r = client.get(f"/orders/{ORDER_ID.replace('-', '')}")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 200
        assert r.json() == {"order_id": ORDER_ID, "version": 4}


def test_bad_uuid_is_404_in_flask_422_in_fastapi(client, framework):
    r = client.get("/orders/not-a-uuid")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 422
        [error] = r.json()["detail"]
        assert error["type"] == "uuid_parsing"
        assert error["loc"] == ["path", "order_id"]
        assert error["input"] == "not-a-uuid"
        assert error["msg"].startswith("Input should be a valid UUID")


def test_a_static_route_declared_after_a_parameter(framework):
    """The order pitfall, with the routes the wrong way round: Werkzeug still prefers the
    static rule; FastAPI tries routes in order, so "me" reaches the int parameter: 422."""
    if framework == "flask":
        from flask import Flask

        app = Flask("order")
        app.add_url_rule("/users/<int:user_id>", "user", lambda user_id: {"user_id": user_id})
        app.add_url_rule("/users/<name>", "by_name", lambda name: {"name": name})
        app.add_url_rule("/users/me", "me", lambda: {"user": "me"})
    else:
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/users/{user_id}")
        def user(user_id: int):
            return {"user_id": user_id}

        @app.get("/users/me")
        def me():
            return {"user": "me"}  # never reached: declared too late

    with client_for(framework, app) as client:
        r = client.get("/users/me")
    assert r.status_code == {"flask": 200, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"user": "me"}  # even a `string` rule declared first loses


@pytest.mark.parametrize("path", ["/users/abc", "/users/1.5", "/pages/0", "/orders/not-a-uuid"])
def test_a_bad_path_value_can_be_a_404_in_fastapi_too(framework, app, path):
    """The keep-Flask's-404 recipe (`keep_flask_404.py`; `port --keep-flask-answers` emits
    it): a request whose only errors are in the path gets FastAPI's own 404, the answer to
    a URL no route matches. Flask answers 404 there with no recipe."""
    if framework == "fastapi":
        from fastapi.exceptions import RequestValidationError

        recipe = load_module_from_path(
            SNIPPETS / "path-parameters" / "keep_flask_404.py", "keep_404"
        )
        app.add_exception_handler(RequestValidationError, recipe.not_found_for_bad_path)
    with client_for(framework, app) as client:
        assert_not_found(client.get(path), framework)
        r = client.get("/users/42")  # a good value still reaches the view
        assert (r.status_code, r.json()) == (200, {"user_id": 42})


@pytest.mark.only("fastapi", reason="the recipe is FastAPI's; Flask has no 422 to keep")
def test_the_404_recipe_keeps_the_422_for_other_errors(framework, app):
    """Only path errors become a 404: a bad query value on the same app is still a 422."""
    from fastapi import Query
    from fastapi.exceptions import RequestValidationError

    recipe = load_module_from_path(SNIPPETS / "path-parameters" / "keep_flask_404.py", "keep_404")
    app.add_exception_handler(RequestValidationError, recipe.not_found_for_bad_path)

    @app.get("/search/{user_id}")
    def search(user_id: int, limit: int = Query(10)):
        return {"user_id": user_id, "limit": limit}

    with client_for(framework, app) as client:
        r = client.get("/search/1?limit=x")
        assert r.status_code == 422
        assert_validation_error(r, ["query", "limit"], "int_parsing")
        r = client.get("/search/abc?limit=x")  # a query error too: not only the path
        assert_validation_error(r, ["path", "user_id"], "int_parsing")
        assert client.get("/search/abc").status_code == 404
