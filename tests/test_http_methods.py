"""http-methods: methods=[...] and MethodView vs one decorator per method; HEAD, OPTIONS, 405."""

import pytest

from tests.expect import (
    allowed,
    assert_default_error,
    assert_method_not_allowed,
    assert_not_found,
    assert_validation_error,
)


def test_get_collection(client):
    r = client.get("/items")
    assert r.status_code == 200
    assert r.json() == {"items": [{"id": 1, "name": "Hammer"}]}


def test_post_creates(client):
    r = client.post("/items", json={"name": "Saw"})
    assert r.status_code == 201
    assert r.json() == {"id": 2, "name": "Saw"}
    assert client.get("/items").json()["items"][-1] == {"id": 2, "name": "Saw"}


def test_unknown_keys_and_finite_numbers_are_ignored(client):
    r = client.post("/items", json={"name": "Saw", "price": 9.5})
    assert r.status_code == 201
    assert r.json() == {"id": 2, "name": "Saw"}


def test_get_put_delete_one_item(client):
    assert client.get("/items/1").json() == {"id": 1, "name": "Hammer"}
    r = client.put("/items/1", json={"name": "Mallet"})
    assert r.status_code == 200
    assert r.json() == {"id": 1, "name": "Mallet"}
    r = client.delete("/items/1")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/items/1").status_code == 404
    assert client.delete("/items/1").status_code == 404


def test_head_on_a_get_route_is_automatic_in_flask_405_in_fastapi(client, framework):
    r = client.head("/items")
    if framework == "flask":
        assert r.status_code == 200
        assert r.content == b""
        assert r.headers["content-length"] == client.get("/items").headers["content-length"]
    else:
        assert_method_not_allowed(r, framework, {"GET"})


def test_options_on_a_get_route_is_automatic_in_flask_405_in_fastapi(client, framework):
    r = client.options("/items")
    if framework == "flask":
        assert r.status_code == 200
        assert r.content == b""
        assert allowed(r) == {"GET", "HEAD", "POST", "OPTIONS"}
    else:
        assert_method_not_allowed(r, framework, {"GET"})


def test_head_when_asked_for(client):
    r = client.head("/ping")
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["content-type"] == "application/json"
    assert r.headers["content-length"] == client.get("/ping").headers["content-length"]


def test_options_on_ping(client, framework):
    r = client.options("/ping")
    if framework == "flask":
        assert r.status_code == 200
        assert allowed(r) == {"GET", "HEAD", "OPTIONS"}
    else:
        # Two routes for one path: Allow names the first one's method only (see above).
        assert_method_not_allowed(r, framework, {"GET"})


@pytest.mark.only("fastapi", reason="Flask has no OpenAPI schema")
def test_get_and_head_are_two_operations_with_their_own_ids(client):
    r = client.get("/openapi.json")  # warnings are errors here: a duplicate id would be a 500
    assert r.status_code == 200
    ping = r.json()["paths"]["/ping"]
    assert set(ping) == {"get", "head"}
    assert ping["get"]["operationId"] != ping["head"]["operationId"]


@pytest.mark.only("fastapi", reason="Flask has no OpenAPI schema")
def test_api_route_with_get_and_head_shares_one_operation_id(framework):
    """The pitfall: one function under api_route(methods=["GET", "HEAD"]) is two operations
    with one generated operationId (named after either method: they come from a set); FastAPI
    warns, and with warnings as errors (as in this suite) /openapi.json answers 500."""
    import warnings

    from fastapi import FastAPI

    from guidekit.harness import client_for

    app = FastAPI()

    @app.api_route("/ping", methods=["GET", "HEAD"])
    def ping():
        return {"pong": True}

    with client_for(framework, app) as client:
        assert client.head("/ping").status_code == 200
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert client.get("/openapi.json").status_code == 500
    with pytest.warns(UserWarning, match="Duplicate Operation ID ping_ping_"):
        FastAPI.openapi(app)


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT"])
def test_wrong_method_on_a_post_only_route(client, framework, method):
    r = client.request(method, "/webhook")
    assert_method_not_allowed(r, framework, {"flask": {"POST", "OPTIONS"}, "fastapi": {"POST"}})


def test_options_on_a_post_only_route(client, framework):
    r = client.options("/webhook")
    if framework == "flask":
        assert r.status_code == 200
        assert allowed(r) == {"POST", "OPTIONS"}
    else:
        assert_method_not_allowed(r, framework, {"POST"})


def test_post_only_route(client):
    r = client.post("/webhook")
    assert r.status_code == 200
    assert r.json() == {"received": True}


def test_405_allow_lists_every_method_in_flask_one_route_in_fastapi(client, framework):
    # FastAPI has one route object per decorator; Starlette's 405 comes from the first
    # route whose path matched, so Allow names only that route's methods.
    r = client.patch("/items")
    assert_method_not_allowed(
        r,
        framework,
        {
            "flask": {"GET", "HEAD", "POST", "OPTIONS"},
            "fastapi": {"GET"},
        },
    )
    r = client.patch("/items/1")
    assert_method_not_allowed(
        r,
        framework,
        {
            "flask": {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"},
            "fastapi": {"GET"},
        },
    )


def test_options_on_an_unknown_path_is_404(client, framework):
    assert_not_found(client.options("/nope"), framework)


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    ("body", "loc"),
    [({}, ["body", "name"]), ({"name": 1}, ["body", "name"]), ([], ["body"]), ("x", ["body"])],
    ids=["no-name", "number", "list", "string"],
)
def test_a_body_without_a_name_is_400_in_flask_422_in_fastapi(client, framework, method, body, loc):
    """`request.get_json()["name"]` raised KeyError or TypeError (a 500); the view checks."""
    r = client.request(method, "/items" if method == "POST" else "/items/1", json=body)
    if framework == "flask":
        assert_default_error(r, framework, 400, flask_text="name must be a string")
    else:
        assert_validation_error(r, loc)
    assert client.get("/items").json() == {"items": [{"id": 1, "name": "Hammer"}]}
