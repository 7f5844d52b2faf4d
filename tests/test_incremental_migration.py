"""incremental-migration: the legacy Flask app mounted inside FastAPI (strangler fig).

`[flask]` runs the legacy app alone; `[fastapi]` runs the combined app, in which one
route has moved to FastAPI and everything else falls through to Flask via a2wsgi.
"""

import importlib
import sys

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from guidekit.harness import client_for
from tests.expect import (
    assert_method_not_allowed,
    assert_not_found,
    assert_validation_error,
    route_methods,
)


def test_moved_route_is_served_by_fastapi_in_the_combined_app(client, framework):
    r = client.get("/users/1")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"id": 1, "name": "Ada", "served_by": framework}


def test_legacy_route_is_still_served_by_flask(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"status": "ok", "served_by": "flask"}


def test_one_app_serves_both_kinds_of_route(client, framework):
    served_by = {client.get(path).json()["served_by"] for path in ("/users/2", "/health")}
    assert served_by == {"flask": {"flask"}, "fastapi": {"fastapi", "flask"}}[framework]


def test_unknown_route_falls_through_to_flasks_404(client):
    # Flask's HTML page in both, not FastAPI's JSON: the mounted Flask app answers.
    assert_not_found(client.get("/nope"), "flask")


def test_bad_id_on_a_moved_route_is_validated_by_fastapi(client, framework):
    r = client.get("/users/abc")
    # FastAPI's route matches the path whatever the type, then validates: 422 JSON.
    # Flask's <int:> converter does not match, so the URL is unknown: 404 HTML.
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert_validation_error(r, ["path", "user_id"])
    else:
        assert_not_found(r, framework)


def test_other_methods_on_a_moved_route_reach_the_legacy_twin(client):
    # FastAPI's GET route does not match POST or HEAD, so the request falls through to
    # the mount, where Flask's old route still answers: delete it once it has moved.
    r = client.post("/users/1")
    # Flask's answer and Allow list in both (FastAPI's would be JSON and "GET").
    assert_method_not_allowed(r, "flask", route_methods("GET"))
    head = client.head("/users/1")
    assert head.status_code == 200
    assert head.content == b""


def test_openapi_schema_lists_only_the_moved_routes(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        assert list(r.json()["paths"]) == ["/users/{user_id}"]


def test_starlettes_own_wsgi_middleware_is_deprecated_for_a2wsgi(framework, monkeypatch):
    """Why the FastAPI variant uses a2wsgi: importing Starlette's adapter warns."""
    # Import it afresh (another test may have imported it already), then restore.
    monkeypatch.delitem(sys.modules, "starlette.middleware.wsgi", raising=False)
    with pytest.warns(StarletteDeprecationWarning, match="deprecated.*a2wsgi"):
        importlib.import_module("starlette.middleware.wsgi")
    assert framework in {"flask", "fastapi"}  # nothing framework-specific: runs once per id


def test_a_route_declared_after_the_mount_is_never_reached(framework, app):
    """The mount at "/" matches every path, so FastAPI routes must come before it."""
    if framework == "fastapi":

        @app.get("/late")
        def late():
            return {"served_by": "fastapi"}  # never called

    with client_for(framework, app) as client:
        r = client.get("/late")
    # In the combined app the request falls into the mount: Flask's 404 page.
    assert_not_found(r, "flask")


def test_a2wsgi_runs_flask_in_a_pool_of_ten_threads(framework):
    import inspect

    from a2wsgi import WSGIMiddleware

    assert inspect.signature(WSGIMiddleware).parameters["workers"].default == 10
    assert framework in {"flask", "fastapi"}  # library default: the same for both ids
