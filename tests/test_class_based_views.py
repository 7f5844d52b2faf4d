"""class-based-views: MethodView classes registered per resource vs an APIRouter per
resource built by a function; method dispatch, decorators and 405s with `Allow`."""

import pytest

from guidekit.harness import client_for
from tests.expect import JSON, assert_default_error, assert_method_not_allowed, assert_not_found

RESOURCES = ["users", "stories"]
FIRST = {"users": "Ada", "stories": "Notes on the Analytical Engine"}
#: Flask adds HEAD and OPTIONS to every rule that has GET; FastAPI adds nothing.
ITEM_ALLOW = {
    "flask": {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"},
    "fastapi": {"GET", "PUT", "DELETE"},
}
GROUP_ALLOW = {"flask": {"GET", "POST", "HEAD", "OPTIONS"}, "fastapi": {"GET", "POST"}}


@pytest.mark.parametrize("name", RESOURCES)
def test_each_method_dispatches_to_its_handler(client, framework, name):
    assert client.get(f"/{name}").json() == {"items": [{"id": 1, "name": FIRST[name]}]}
    r = client.post(f"/{name}", json={"name": "New"})
    assert (r.status_code, r.json()) == (201, {"id": 2, "name": "New"})
    assert client.get(f"/{name}/2").json() == {"id": 2, "name": "New"}
    r = client.put(f"/{name}/2", json={"name": "Renamed"})
    assert (r.status_code, r.json()) == (200, {"id": 2, "name": "Renamed"})
    r = client.delete(f"/{name}/2")
    assert (r.status_code, r.content) == (204, b"")
    assert_not_found(client.get(f"/{name}/2"), framework)


def test_the_same_code_serves_each_resource_with_its_own_store(client):
    client.post("/users", json={"name": "Grace"})
    assert [u["name"] for u in client.get("/users").json()["items"]] == ["Ada", "Grace"]
    assert [s["name"] for s in client.get("/stories").json()["items"]] == [FIRST["stories"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/users"), ("POST", "/users"), ("GET", "/users/1"), ("PUT", "/users/1"),
     ("DELETE", "/users/1")],
)  # fmt: skip
def test_the_class_wide_decorator_applies_to_every_method(client, method, path):
    r = client.request(method, path, json={"name": "Ada"})
    assert r.status_code < 300
    assert r.headers["cache-control"] == "no-store"


def test_the_decorator_does_not_touch_errors(client, framework):
    # abort() / HTTPException leave the view before the decorator (dependency) sets it.
    r = client.get("/users/99")
    assert_not_found(r, framework)
    assert "cache-control" not in r.headers


@pytest.mark.parametrize("method", ["PATCH", "POST"])
def test_a_method_the_class_lacks_is_a_405_listing_the_others(client, framework, method):
    r = client.request(method, "/users/1", json={"name": "x"})
    assert_method_not_allowed(r, framework, ITEM_ALLOW)
    assert client.get("/users/1").json() == {"id": 1, "name": "Ada"}  # unchanged


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_405_on_the_collection_lists_its_methods(client, framework, method):
    assert_method_not_allowed(client.request(method, "/users"), framework, GROUP_ALLOW)


def test_head_and_options(client, framework):
    # Flask answers both for every MethodView with get(); FastAPI refuses them (see HTTP
    # methods), here with the URL's full Allow list.
    head, options = client.head("/users"), client.options("/users/1")
    if framework == "flask":
        assert (head.status_code, head.content) == (200, b"")
        assert options.status_code == 200
        assert set(options.headers["allow"].split(", ")) == ITEM_ALLOW["flask"]
    else:
        assert head.status_code == 405
        assert set(head.headers["allow"].split(", ")) == GROUP_ALLOW["fastapi"]
        assert_method_not_allowed(options, framework, ITEM_ALLOW)


BAD_BODIES = {
    "empty-name": {"json": {"name": ""}},
    "too-long": {"json": {"name": "x" * 101}},
    "missing": {"json": {}},
    "number": {"json": {"name": 7}},
    "float": {"json": {"name": 7.5}},
    "null": {"json": {"name": None}},
    "list": {"json": ["Ada"]},
    "malformed": {"content": b'{"name": ', "headers": {"content-type": "application/json"}},
    # FastAPI's own 422 would echo NaN and fail to encode it: the app's handler writes its repr
    "nan": {"content": b'{"name": NaN}', "headers": {"content-type": "application/json"}},
    "no-body": {},
}


@pytest.mark.parametrize("method_path", [("POST", "/users"), ("PUT", "/users/1")])
@pytest.mark.parametrize("kwargs", BAD_BODIES.values(), ids=BAD_BODIES)
def test_bad_bodies(client, framework, method_path, kwargs):
    r = client.request(*method_path, **kwargs)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert r.headers["content-type"] == JSON
    if framework == "flask":
        assert r.json() == {"error": "name must be a string of 1 to 100 characters"}
    assert client.get("/users").json() == {"items": [{"id": 1, "name": "Ada"}]}


def test_deeply_nested_json_is_refused(client, framework):
    """json.loads raises RecursionError, not ValueError: Flask needs the app's JSON provider."""
    body = b"[" * 5000 + b"]" * 5000
    r = client.post("/users", content=body, headers={"content-type": "application/json"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "name must be a string of 1 to 100 characters"}
    else:
        assert_default_error(
            r, framework, 400, fastapi_detail="There was an error parsing the body"
        )


def test_unknown_item_comes_before_a_bad_body(client, framework):
    # Flask's put() looks the item up first; FastAPI runs the get_item dependency first.
    assert_not_found(client.put("/users/99", json={}), framework)


@pytest.mark.parametrize("item_id", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_odd_ids(client, framework, item_id):
    r = client.get(f"/users/{item_id}")
    if framework == "fastapi" and item_id in {"abc", "1.5"}:
        assert r.status_code == 422  # the converter does not match in Flask: a 404
    else:
        assert_not_found(r, framework)


@pytest.mark.only("flask", reason="MethodView's own attributes")
def test_methodview_routes_only_the_methods_it_defines(framework, snippet):
    assert snippet.ItemAPI.methods == {"GET", "PUT", "DELETE"}
    assert snippet.GroupAPI.methods == {"GET", "POST"}
    view = snippet.app.view_functions["users-item"]
    assert view.view_class is snippet.ItemAPI
    assert view.__wrapped__.__name__ == "users-item"  # as_view()'s function, decorated


@pytest.mark.only("fastapi", reason="Starlette's own 405, without the refuse() routes")
def test_without_the_extra_routes_allow_names_only_the_first_route(framework, snippet):
    from fastapi import FastAPI

    router = snippet.resource_router("users", {1: {"id": 1, "name": "Ada"}})
    router.routes = [r for r in router.routes if r.include_in_schema]  # drop refuse()
    app = FastAPI()
    app.include_router(router)
    with client_for(framework, app) as client:
        r = client.patch("/users/1")
    assert_method_not_allowed(r, framework, {"GET"})  # not GET, PUT, DELETE
