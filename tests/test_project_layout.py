"""project-layout: blueprints with url_prefix vs APIRouter with prefix, tags and dependencies."""

import pytest
from flask import url_for

from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

TOKEN = {"X-Token": "demo-api-token"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/users/", [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]),
        ("/users/2", {"id": 2, "name": "Grace"}),
    ],
)
def test_routes_are_mounted_under_their_prefix(client, path, body):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == body


def test_routes_are_not_mounted_without_the_prefix(client):
    assert client.get("/2").status_code == 404


def test_missing_record_is_404_with_the_same_body(client):
    r = client.get("/users/99")
    assert r.status_code == 404
    assert r.json() == {"detail": "User not found"}


def test_prefix_without_trailing_slash_redirects(client, framework):
    """A route "/" under a prefix is "/users/"; each framework redirects "/users" to it."""
    r = client.get("/users")
    assert r.status_code == {"flask": 308, "fastapi": 307}[framework]
    assert r.headers["location"] == "http://testserver/users/"


@pytest.mark.parametrize("path", ["/nope/", "/nope/1", "/userz/1"])
def test_unknown_prefix_is_404(client, framework, path):
    assert_not_found(client.get(path), framework)


@pytest.mark.parametrize("path", ["/items/", "/items/1"])
def test_the_token_check_covers_every_route_of_the_router(client, path):
    r = client.get(path, headers=TOKEN)
    assert r.status_code == 200
    r = client.get(path, headers={"X-Token": "wrong"})
    assert r.status_code == 403
    assert r.json() == {"detail": "Invalid X-Token header"}


def test_missing_token_is_403_in_flask_but_422_in_fastapi(client, framework):
    """Flask's hook reads an optional header; FastAPI's dependency declares a required one."""
    r = client.get("/items/")
    assert r.status_code == {"flask": 403, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"detail": "Invalid X-Token header"}
    else:
        [error] = r.json()["detail"]
        assert (error["type"], error["loc"]) == ("missing", ["header", "x-token"])


def test_the_token_check_does_not_cover_other_routers(client):
    assert client.get("/users/1").status_code == 200  # no X-Token sent


def test_the_token_check_runs_before_the_view(client):
    r = client.get("/items/99", headers={"X-Token": "wrong"})
    assert r.status_code == 403  # not the view's 404
    r = client.get("/items/99", headers=TOKEN)
    assert r.status_code == 404
    assert r.json() == {"detail": "Item not found"}


def test_unmatched_path_under_the_prefix_is_404_without_the_check(client):
    """No route matched, so neither the blueprint hook nor the router dependency runs."""
    assert client.get("/items/1/parts").status_code == 404


def test_wrong_method_under_a_prefix_is_405(client, framework):
    assert_method_not_allowed(client.post("/users/"), framework, route_methods("GET"))


def test_tags_and_the_router_dependency_reach_the_openapi_schema(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        paths = r.json()["paths"]
        assert paths["/users/{user_id}"]["get"]["tags"] == ["users"]
        for path in ("/items/", "/items/{item_id}"):
            operation = paths[path]["get"]
            assert operation["tags"] == ["items"]
            params = {(p["in"], p["name"], p["required"]) for p in operation["parameters"]}
            assert ("header", "x-token", True) in params
        assert "parameters" not in paths["/users/"]["get"]


def test_endpoint_names_are_namespaced_by_blueprint_but_not_by_router(app, framework):
    """Flask prefixes endpoint names with the blueprint's name; FastAPI route names are global."""
    if framework == "flask":
        assert "users.get_user" in app.view_functions
        with app.test_request_context():
            assert url_for("users.get_user", user_id=1) == "/users/1"
    else:
        assert app.url_path_for("get_user", user_id=1) == "/users/1"


def test_each_call_of_the_builder_gives_a_new_app(snippet):
    """The factory pattern: tests can build as many independent apps as they need."""
    first, second = snippet.create_app(), snippet.create_app()
    assert first is not second
    assert first is not snippet.app


@pytest.mark.only("fastapi", reason="include_router's check; Flask joins url_prefix and rule")
def test_an_empty_route_path_needs_a_prefix(framework):
    """The page's advice, `""` instead of `"/"` so that /users is the URL, holds under a
    prefix: without one, include_router refuses the empty path when the app is built."""
    from fastapi import APIRouter, FastAPI
    from fastapi.exceptions import FastAPIError

    from guidekit.harness import client_for

    def users_router(**options):
        router = APIRouter(**options)
        router.add_api_route("", lambda: [{"id": 1, "name": "Ada"}])
        return router

    with pytest.raises(FastAPIError, match="Prefix and path cannot be both empty"):
        FastAPI().include_router(users_router())
    app = FastAPI()
    app.include_router(users_router(prefix="/users"))
    with client_for(framework, app) as client:
        r = client.get("/users")
    assert r.status_code == 200  # no redirect: "" under the prefix is /users itself
    assert r.json() == [{"id": 1, "name": "Ada"}]
