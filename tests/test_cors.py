"""cors: Flask-CORS → Starlette's CORSMiddleware, preflights and simple requests."""

import pytest

from guidekit.harness import client_for, load_module
from tests.expect import allowed, assert_server_error, has, route_methods

ALLOWED = "https://app.example.com"
OTHER = "https://evil.example"
STARLETTE_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
    "Access-Control-Request-Private-Network"
)
CORS_HEADERS = (
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-max-age",
    "access-control-expose-headers",
)


def preflight(client, origin=ALLOWED, method="POST", headers="content-type", path="/items"):
    request_headers = {"origin": origin, "access-control-request-method": method}
    if headers:
        request_headers["access-control-request-headers"] = headers
    return client.options(path, headers=request_headers)


def cors_headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k in CORS_HEADERS}


@pytest.mark.change("cors-preflight-vary")
def test_preflight_from_an_allowed_origin(client, framework):
    r = preflight(client)
    assert r.status_code == 200
    assert cors_headers(r) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "GET, POST",
        # Flask-CORS echoes the allowed part of the request; Starlette lists all it allows.
        "access-control-allow-headers": {
            "flask": "content-type",
            "fastapi": "Accept, Accept-Language, Authorization, Content-Language, Content-Type",
        }[framework],
        "access-control-allow-credentials": "true",
        "access-control-max-age": "600",
    }
    vary = STARLETTE_VARY if has("cors-preflight-vary") else "Origin"
    assert r.headers.get("vary") == {"flask": None, "fastapi": vary}[framework]
    # Flask's automatic OPTIONS answers an empty page; Starlette's middleware answers "OK".
    assert (r.headers["content-type"], r.text) == {
        "flask": ("text/html; charset=utf-8", ""),
        "fastapi": ("text/plain; charset=utf-8", "OK"),
    }[framework]


def test_preflight_from_another_origin(client, framework):
    r = preflight(client, origin=OTHER)
    assert "access-control-allow-origin" not in r.headers
    if framework == "flask":
        # A 200 with no CORS header at all: the browser refuses by their absence.
        assert r.status_code == 200
        assert cors_headers(r) == {}
    else:
        assert r.status_code == 400
        assert r.text == "Disallowed CORS origin"
        assert r.headers["access-control-allow-methods"] == "GET, POST"


def test_preflight_for_a_method_not_allowed(client, framework):
    r = preflight(client, method="DELETE", headers=None)
    if framework == "flask":
        assert r.status_code == 200
        assert cors_headers(r) == {
            "access-control-allow-origin": ALLOWED,
            "access-control-allow-credentials": "true",
        }
    else:
        assert r.status_code == 400
        assert r.text == "Disallowed CORS method"


def test_preflight_for_a_header_not_allowed(client, framework):
    r = preflight(client, headers="x-custom")
    if framework == "flask":
        assert r.status_code == 200
        assert "access-control-allow-headers" not in r.headers
        assert r.headers["access-control-allow-methods"] == "GET, POST"
    else:
        assert r.status_code == 400
        assert r.text == "Disallowed CORS headers"


def test_preflight_for_an_unknown_route(client, framework):
    """The middleware answers before routing; Flask-CORS decorates Flask's own answer."""
    r = preflight(client, path="/nope")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    assert r.headers["access-control-allow-origin"] == ALLOWED


def test_options_without_preflight_headers(client, framework):
    r = client.options("/items")
    assert r.status_code == {"flask": 200, "fastapi": 405}[framework]
    # FastAPI: the first route matched by path answers (see http-methods).
    assert (
        allowed(r)
        == {"flask": route_methods("GET", "POST")["flask"], "fastapi": {"GET"}}[framework]
    )


def test_simple_get_from_an_allowed_origin(client, framework):
    r = client.get("/items", headers={"origin": ALLOWED})
    assert r.status_code == 200
    assert r.json() == [{"id": 1, "name": "hammer"}]
    assert cors_headers(r) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-credentials": "true",
    }
    assert r.headers.get("vary") == {"flask": None, "fastapi": "Origin"}[framework]


def test_simple_get_from_another_origin_is_still_served(client, framework):
    """CORS is enforced by the browser: the server answers, without the allow-origin header."""
    r = client.get("/items", headers={"origin": OTHER})
    assert r.status_code == 200
    assert r.json() == [{"id": 1, "name": "hammer"}]
    assert (
        cors_headers(r)
        == {
            "flask": {},
            "fastapi": {"access-control-allow-credentials": "true"},
        }[framework]
    )


def test_request_without_origin(client, framework):
    """Flask-CORS sends its one configured origin anyway (always_send); Starlette sends none."""
    r = client.get("/items")
    assert r.status_code == 200
    assert (
        cors_headers(r)
        == {
            "flask": {
                "access-control-allow-origin": ALLOWED,
                "access-control-allow-credentials": "true",
            },
            "fastapi": {},
        }[framework]
    )


@pytest.mark.parametrize("origin", ["https://APP.example.com", "http://app.example.com"])
def test_origin_matching(client, framework, origin):
    """Flask-CORS compares case-insensitively; Starlette compares exactly. Schemes count in both."""
    r = client.get("/items", headers={"origin": origin})
    case_only = origin == "https://APP.example.com"
    expected = origin if framework == "flask" and case_only else None
    assert r.headers.get("access-control-allow-origin") == expected


def test_post_with_credentials_from_an_allowed_origin(client):
    r = client.post(
        "/items",
        json={"name": "saw"},
        headers={"origin": ALLOWED, "cookie": "session=abc"},
    )
    assert r.status_code == 201
    assert r.json() == {"id": 2, "name": "saw"}
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert r.headers["access-control-allow-credentials"] == "true"


def test_error_responses_carry_cors_headers_too(client, framework):
    r = client.post(
        "/items", content=b"{", headers={"origin": ALLOWED, "content-type": "application/json"}
    )
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert r.headers["access-control-allow-origin"] == ALLOWED


def test_an_unhandled_exception_carries_cors_headers(client, framework):
    """Flask-CORS's hook runs on Flask's 500; in FastAPI only because the snippet's
    middleware answers inside CORSMiddleware (see test_an_exception_handler_does_not)."""
    r = client.get("/boom", headers={"origin": ALLOWED})
    assert_server_error(r, framework)
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert r.headers["access-control-allow-credentials"] == "true"


@pytest.mark.only("fastapi", reason="Flask-CORS's hook runs on every Flask 500")
@pytest.mark.parametrize("with_handler", [False, True], ids=["default", "exception-handler"])
def test_an_exception_handler_does_not(framework, monkeypatch, with_handler):
    """Without the middleware the 500 comes from ServerErrorMiddleware, outside CORS, and
    a handler for Exception runs there too: no CORS header either way."""
    from fastapi.responses import PlainTextResponse

    snippet = load_module("cors", framework)
    snippet.app.user_middleware = [
        m for m in snippet.app.user_middleware if "server_error_inside_cors" not in repr(m)
    ]
    if with_handler:

        @snippet.app.exception_handler(Exception)
        async def server_error(request, exc):
            return PlainTextResponse("Internal Server Error", status_code=500)

    with client_for(framework, snippet.app) as client:
        r = client.get("/boom", headers={"origin": ALLOWED})
    assert_server_error(r, framework)
    assert "access-control-allow-origin" not in r.headers


def test_library_defaults(framework):
    """What each library allows when given no options: Flask-CORS open, Starlette closed."""
    if framework == "flask":
        from flask_cors.core import DEFAULT_OPTIONS

        defaults = {k: DEFAULT_OPTIONS[k] for k in ("origins", "allow_headers", "max_age")}
        assert defaults == {"origins": "*", "allow_headers": "*", "max_age": None}
        assert DEFAULT_OPTIONS["methods"] == [
            "GET",
            "HEAD",
            "POST",
            "OPTIONS",
            "PUT",
            "PATCH",
            "DELETE",
        ]
    else:
        import inspect

        from fastapi.middleware.cors import CORSMiddleware

        params = inspect.signature(CORSMiddleware).parameters
        defaults = {
            k: params[k].default
            for k in ("allow_origins", "allow_methods", "allow_headers", "max_age")
        }
        assert defaults == {
            "allow_origins": (),
            "allow_methods": ("GET",),
            "allow_headers": (),
            "max_age": 600,
        }
