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


@pytest.mark.only("fastapi", reason="measures a mounted FastAPI sub-application")
def test_a_mounted_sub_applications_lifespan_never_runs(framework):
    """Starlette sends the lifespan events to the top app only: a mounted app's own
    `lifespan` never starts (its state stays unset) unless the parent's runs it."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI, Request

    events = []

    @asynccontextmanager
    async def api_lifespan(api_app):
        events.append("api startup")
        yield {"pool": "ready"}
        events.append("api shutdown")

    api = FastAPI(lifespan=api_lifespan)

    @api.get("/pool")
    def pool(request: Request):
        return {"pool": getattr(request.state, "pool", None)}

    parent = FastAPI()
    parent.mount("/api", api)
    with client_for(framework, parent) as client:
        assert client.get("/api/pool").json() == {"pool": None}
    assert events == []

    # --8<-- [start:sub-app-lifespan]
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Run the mounted app's lifespan inside the parent's; hand its state on, since
        # requests carry the parent's state.
        async with api.router.lifespan_context(api) as state:
            yield state

    parent = FastAPI(lifespan=lifespan)
    parent.mount("/api", api)
    # --8<-- [end:sub-app-lifespan]
    with client_for(framework, parent) as client:
        assert events == ["api startup"]
        assert client.get("/api/pool").json() == {"pool": "ready"}
    assert events == ["api startup", "api shutdown"]


def _confirmation_gate(framework, port="dependency"):
    """Flasky's pattern: the `auth` blueprint's `before_app_request` sends a user who has
    not confirmed their address to /auth/unconfirmed from any view but the blueprint's own.
    It reads `request.endpoint` and `request.blueprint`, which routing sets: an unknown URL
    (no endpoint) stays a 404. Every user is unconfirmed here."""
    if framework == "flask":
        from flask import Blueprint, Flask, redirect, request

        auth = Blueprint("auth", __name__, url_prefix="/auth")

        @auth.before_app_request
        def confirmation_gate():
            if request.endpoint and request.blueprint != "auth":
                return redirect("/auth/unconfirmed")
            return None

        @auth.get("/unconfirmed")
        def unconfirmed():
            return {"page": "unconfirmed"}

        app = Flask(__name__)
        app.register_blueprint(auth)

        @app.get("/posts")
        def posts():
            return []

        return app

    from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
    from fastapi.responses import RedirectResponse

    if port == "dependency":
        # --8<-- [start:endpoint-gate]
        def confirmation_gate(request: Request):
            # Runs after routing, for matched routes only: an unknown URL is a 404, as in
            # Flask. scope["route"] stands for request.endpoint; a tag for the blueprint.
            if "auth" not in request.scope["route"].tags:
                raise HTTPException(302, headers={"Location": "/auth/unconfirmed"})

        app = FastAPI(dependencies=[Depends(confirmation_gate)])
        # --8<-- [end:endpoint-gate]
    else:
        app = FastAPI()

        @app.middleware("http")
        async def confirmation_gate(request: Request, call_next):
            # Before routing: no route, no endpoint. Only the path is left to test.
            assert "route" not in request.scope and "endpoint" not in request.scope
            if not request.url.path.startswith("/auth/"):
                return RedirectResponse("/auth/unconfirmed", 302)
            return await call_next(request)

    auth = APIRouter(prefix="/auth", tags=["auth"])

    @auth.get("/unconfirmed")
    def unconfirmed():
        return {"page": "unconfirmed"}

    app.include_router(auth)

    @app.get("/posts")
    def posts():
        return []

    return app


def test_a_hook_that_reads_the_endpoint_is_an_app_wide_dependency(framework):
    with client_for(framework, _confirmation_gate(framework)) as client:
        r = client.get("/posts")
        assert (r.status_code, r.headers["location"]) == (302, "/auth/unconfirmed")
        r = client.get("/auth/unconfirmed")
        assert (r.status_code, r.json()) == (200, {"page": "unconfirmed"})
        assert_not_found(client.get("/nope"), framework)  # no endpoint: not redirected


@pytest.mark.only("fastapi", reason="the trap is the FastAPI port as middleware")
def test_the_same_hook_as_middleware_redirects_unknown_urls(framework):
    with client_for(framework, _confirmation_gate(framework, port="middleware")) as client:
        assert client.get("/posts").status_code == 302
        assert client.get("/auth/unconfirmed").status_code == 200
        r = client.get("/nope")  # Flask: 404; here the hook cannot tell it from a view
        assert (r.status_code, r.headers["location"]) == (302, "/auth/unconfirmed")
