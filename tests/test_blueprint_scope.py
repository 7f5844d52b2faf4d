"""blueprint-scope: which requests a blueprint's (or router's) hooks and handlers see.

Each response of the apps lists the hooks that ran ("hooks"): "app" for the app-wide hook
(`bp.before_app_request` / middleware), "api" for the blueprint's (`bp.before_request` /
router dependency).
"""

import pytest

from guidekit.harness import client_for
from tests.expect import JSON, allowed, assert_method_not_allowed, assert_not_found


def test_app_wide_hook_runs_outside_the_blueprint(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.json() == {"hooks": ["app"]}


def test_both_hooks_run_for_the_blueprints_views(client):
    r = client.get("/api/items/1")
    assert r.status_code == 200
    assert r.json() == {"id": 1, "name": "Widget", "hooks": ["app", "api"]}


def test_an_error_raised_in_a_view_gets_the_api_body(client):
    r = client.get("/api/items/7")
    assert r.status_code == 404
    assert r.headers["content-type"] == JSON
    assert r.json() == {"error": "Not Found", "hooks": ["app", "api"]}


def test_unknown_api_url_runs_only_the_app_wide_hook(client):
    # No view matched, so no blueprint (router) was chosen: its hook did not run, and
    # only the app-wide handler, choosing by path, gives the API body.
    for path in ("/api/nope", "/api/"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.headers["content-type"] == JSON
        assert r.json() == {"error": "Not Found", "hooks": ["app"]}


def test_wrong_method_on_a_blueprint_url_skips_the_blueprint(client, framework):
    r = client.delete("/api/items/1")
    assert r.status_code == 405
    assert r.headers["content-type"] == JSON
    assert r.json() == {"error": "Method Not Allowed", "hooks": ["app"]}  # no "api"
    assert allowed(r) == {"flask": {"GET", "HEAD", "OPTIONS"}, "fastapi": {"GET"}}[framework]


def test_the_rest_of_the_site_keeps_the_default_error(client, framework):
    # Outside /api/ the app-wide handlers hand the error back to the default answer
    # (including /api without the slash: the prefix check is on "/api/").
    for path in ("/nope", "/api"):
        assert_not_found(client.get(path), framework)


def test_a_bad_path_parameter(client, framework):
    # Flask: the converter does not match, a routing 404 (app-wide handler, no "api" hook).
    # FastAPI: validation's 422, which the HTTPException handler does not see.
    r = client.get("/api/items/abc")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]
    assert r.headers["content-type"] == JSON
    if framework == "flask":
        assert r.json() == {"error": "Not Found", "hooks": ["app"]}
    else:
        assert r.json()["detail"][0]["loc"] == ["path", "item_id"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_hostile_methods_and_bodies_get_the_api_405(client, method):
    r = client.request(method, "/api/items/1", content=b"\x00{not json")
    assert r.status_code == 405
    assert r.json() == {"error": "Method Not Allowed", "hooks": ["app"]}


@pytest.mark.only("flask", reason="Flask blueprints have their own error handlers")
def test_a_blueprint_handler_never_sees_routing_errors(framework):
    """The trap: with only `bp.errorhandler(HTTPException)`, a 405 or 404 under the
    blueprint's prefix gets Werkzeug's HTML page, not the blueprint's JSON."""
    from flask import Blueprint, Flask, abort
    from werkzeug.exceptions import HTTPException

    bp = Blueprint("api", __name__, url_prefix="/api")

    @bp.errorhandler(HTTPException)
    def api_error(exc):
        return {"error": exc.name}, exc.code

    @bp.get("/items/<int:item_id>")
    def read_item(item_id):
        abort(404)

    app = Flask(__name__)
    app.register_blueprint(bp)
    with client_for(framework, app) as client:
        assert client.get("/api/items/7").json() == {"error": "Not Found"}  # from a view
        r = client.delete("/api/items/7")
        assert_method_not_allowed(r, framework, {"GET", "HEAD", "OPTIONS"})  # HTML page
        assert_not_found(client.get("/api/nope"), framework)


@pytest.mark.only("fastapi", reason="APIRouter's signature; Flask blueprints have handlers")
def test_a_router_has_no_exception_handlers(framework):
    import inspect

    from fastapi import APIRouter, FastAPI

    assert not any("exception" in name for name in dir(APIRouter()))
    assert "exception_handlers" not in inspect.signature(APIRouter).parameters
    assert "exception_handlers" in inspect.signature(FastAPI).parameters


@pytest.mark.only("fastapi", reason="measures FastAPI's app-wide dependencies")
def test_app_wide_dependencies_skip_unmatched_urls(framework):
    """Why the app-wide hook is middleware: `FastAPI(dependencies=[...])` runs only when
    a route matched, so it misses unknown URLs and 405s (Flask's before_app_request
    runs for them)."""
    from fastapi import Depends, FastAPI

    calls = []
    app = FastAPI(dependencies=[Depends(lambda: calls.append("app"))])

    @app.get("/items/{item_id}")
    def read_item(item_id: int):
        return {"id": item_id}

    with client_for(framework, app) as client:
        assert client.get("/items/1").status_code == 200
        assert client.get("/nope").status_code == 404
        assert client.delete("/items/1").status_code == 405
    assert calls == ["app"]  # once: for the matched route only


@pytest.mark.only("fastapi", reason="measures a mounted FastAPI sub-application")
def test_a_mounted_sub_application_has_its_own_handlers(framework):
    """The other FastAPI way: mount the API as its own app. Its handlers then see its
    routing errors; the parent's handlers, dependencies and OpenAPI schema do not
    reach into it, while the parent's middleware does."""
    from fastapi import Depends, FastAPI, Request
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    seen = []
    parent = FastAPI(dependencies=[Depends(lambda: seen.append("parent dependency"))])
    api = FastAPI()

    @parent.middleware("http")
    async def trace(request: Request, call_next):
        seen.append("parent middleware")
        return await call_next(request)

    @parent.exception_handler(StarletteHTTPException)
    async def parent_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"handler": "parent"}, status_code=exc.status_code)

    @api.exception_handler(StarletteHTTPException)
    async def api_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"handler": "api"}, exc.status_code, headers=exc.headers)

    @api.get("/items/{item_id}")
    def read_item(item_id: int):
        return {"id": item_id}

    parent.mount("/api", api)
    with client_for(framework, parent) as client:
        assert client.get("/api/items/1").json() == {"id": 1}
        assert seen == ["parent middleware"]  # no parent dependency
        r = client.delete("/api/items/1")
        assert (r.status_code, r.json(), r.headers["allow"]) == (405, {"handler": "api"}, "GET")
        assert client.get("/api/nope").json() == {"handler": "api"}
        assert client.get("/nope").json() == {"handler": "parent"}
        assert client.get("/openapi.json").json()["paths"] == {}
        assert list(client.get("/api/openapi.json").json()["paths"]) == ["/items/{item_id}"]
