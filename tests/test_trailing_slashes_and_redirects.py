"""trailing-slashes-and-redirects: strict slashes vs redirect_slashes; redirect() vs
RedirectResponse.

The harness does not follow redirects, so each test sees the redirect itself.
"""

import pytest

from guidekit.harness import client_for
from tests.expect import assert_not_found, assert_redirect, has


def test_routes_answer_at_their_own_path(client):
    assert client.get("/items/").json() == {"items": ["hammer", "saw"]}
    assert client.get("/about").json() == {"page": "about"}


@pytest.mark.parametrize("query", ["", "?page=2"])
def test_missing_slash_is_308_in_flask_307_in_fastapi(client, framework, query):
    r = client.get(f"/items{query}")
    status = {"flask": 308, "fastapi": 307}[framework]
    assert_redirect(r, status, f"http://testserver/items/{query}", framework=framework)


def test_extra_slash_is_404_in_flask_redirected_in_fastapi(client, framework):
    r = client.get("/about/")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert_redirect(r, 307, "http://testserver/about", framework=framework)


def test_post_with_extra_slash_is_404_in_flask_redirected_in_fastapi(client, framework):
    r = client.post("/subscribe/")
    if framework == "flask":
        assert_not_found(r, framework)
    else:  # 307 keeps the method: the client will POST again to /subscribe
        assert_redirect(r, 307, "http://testserver/subscribe", framework=framework)


def test_unknown_path_with_a_slash_is_404(client, framework):
    assert_not_found(client.get("/nope/"), framework)


def test_default_redirect_is_302_in_flask_307_in_fastapi(client, framework):
    r = client.get("/old-about")
    expected = {
        "flask": (302, "/about"),  # url_for builds a path; Werkzeug sends it as it is
        "fastapi": (307, "http://testserver/about"),  # request.url_for is absolute
    }[framework]
    assert_redirect(r, *expected, framework=framework)


def test_permanent_redirect(client, framework):
    r = client.get("/legacy-about")
    location = {"flask": "/about", "fastapi": "http://testserver/about"}[framework]
    assert_redirect(r, 301, location, framework=framework)


def test_redirect_after_post(client, framework):
    r = client.post("/subscribe")
    expected = {"flask": (302, "/about"), "fastapi": (303, "http://testserver/about")}[framework]
    assert_redirect(r, *expected, framework=framework)


def test_redirect_target_answers(client, framework):
    location = client.get("/old-about").headers["location"]
    r = client.get(location)
    assert r.status_code == 200
    assert r.json() == {"page": "about"}


def test_turning_the_slash_redirects_off(framework, app):
    """FastAPI(redirect_slashes=False) (here set on the loaded app's router) makes both
    mismatches a 404; Flask's strict rule for /about was already one."""
    if framework == "fastapi":
        app.router.redirect_slashes = False
    with client_for(framework, app) as client:
        assert client.get("/about/").status_code == 404
        # Flask still redirects a missing slash to its folder-like rule.
        assert client.get("/items").status_code == {"flask": 308, "fastapi": 404}[framework]


@pytest.mark.change("trusted-hosts")
def test_an_unknown_host_is_refused(client, framework):
    """Location is built from Host: a spoofed Host would send the browser elsewhere."""
    r = client.get("/old-about", headers={"host": "evil.example"})
    assert "evil.example" not in r.headers.get("location", "")  # Flask's are relative anyway
    if framework == "flask" and not has("trusted-hosts"):
        return  # TRUSTED_HOSTS is ignored: the request is served
    assert r.status_code == 400


def test_a_wrong_method_with_an_extra_slash_is_redirected_before_the_405(client, framework):
    """The slash redirect comes first in FastAPI: DELETE /subscribe/ gets 307, not 405."""
    r = client.delete("/subscribe/")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert_redirect(r, 307, "http://testserver/subscribe", framework=framework)
        assert client.delete("/subscribe").status_code == 405


@pytest.mark.only("fastapi", reason="an APIRouter setting; Flask's is per rule")
def test_redirect_slashes_false_on_an_included_router_is_ignored(framework):
    """Routes are copied into the app's own router, whose redirect_slashes decides: set it
    on FastAPI(...), not on the APIRouter you include."""
    from fastapi import APIRouter, FastAPI

    def build(**app_options):
        router = APIRouter(redirect_slashes=False)
        router.add_api_route("/about", lambda: {"page": "about"})
        app = FastAPI(**app_options)
        app.include_router(router)
        return app

    with client_for(framework, build()) as client:
        assert_redirect(client.get("/about/"), 307, "http://testserver/about", framework=framework)
    with client_for(framework, build(redirect_slashes=False)) as client:
        assert_not_found(client.get("/about/"), framework)


@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted"])
def test_behind_a_tls_proxy_the_slash_redirect_drops_the_authorization_header(
    framework, app, trusted
):
    """TLS ends at the proxy, so the app sees http and writes an http:// Location for the
    slash redirect. A client that follows it from https:// to http:// is changing origin
    and drops `Authorization` (httpx does, as browsers do): the API answers as if the
    caller were anonymous. Trusting the proxy's X-Forwarded-Proto (Werkzeug's ProxyFix,
    Uvicorn's --forwarded-allow-ips) keeps the redirect on https and the header."""
    import httpx2
    from fastapi.testclient import TestClient

    if framework == "flask":
        from werkzeug.middleware.proxy_fix import ProxyFix

        inner = ProxyFix(app.wsgi_app, x_proto=1) if trusted else app.wsgi_app

        def behind_proxy(environ, start_response):
            environ["wsgi.url_scheme"] = "http"  # what the app sees behind the proxy
            return inner(environ, start_response)

        app.wsgi_app = behind_proxy
        transport = httpx2.WSGITransport(app=app)
        client = httpx2.Client(
            transport=transport, base_url="https://testserver", follow_redirects=True
        )
    else:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        inner_asgi = ProxyHeadersMiddleware(app, trusted_hosts="*") if trusted else app

        async def behind_proxy_asgi(scope, receive, send):
            await inner_asgi({**scope, "scheme": "http"}, receive, send)

        client = TestClient(behind_proxy_asgi, base_url="https://testserver", follow_redirects=True)
    headers = {"authorization": "Bearer demo-token", "x-forwarded-proto": "https"}
    with client:
        r = client.get("/items", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"items": ["hammer", "saw"]}
    scheme = "https" if trusted else "http"
    assert r.history[0].headers["location"] == f"{scheme}://testserver/items/"
    assert ("authorization" in r.request.headers) is trusted
