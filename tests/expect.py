"""Expectations many topics share: each framework's default answers, stated once.

Import what a test needs; never re-check Werkzeug's HTML error page or parse `Allow` by hand.

* `assert_default_error(r, framework, status, flask_text=..., fastapi_detail=...)`: the
  default answer to an HTTP error — Werkzeug's HTML page in Flask, `{"detail": ...}` in FastAPI
  (or, with `fastapi_text=...`, Starlette's plain-text answer from outside FastAPI's handlers).
* `assert_not_found`, `assert_method_not_allowed`: the two routing errors, with their bodies
  and (for 405) the `Allow` header.
* `assert_server_error(r, framework)`: an unhandled exception's 500, with nothing leaked.
* `assert_validation_error(r, loc, type_)`: FastAPI's 422 body names the failing field.
* `documented_operations(document)`: `{path: {method: {status codes}}}` of an OpenAPI 3 or
  Swagger 2.0 document, to compare an extension's document with FastAPI's.
* `allowed(r)`: the `Allow` header as a set; `route_methods("GET")`: what each framework
  puts in it for a route declared with those methods.
* `assert_redirect(r, status, location, framework=...)`: a redirect, where it points and
  (with `framework`) the body each framework sends with its own redirects.
* `assert_swagger_ui_page(r)`: a docs page that loads Swagger UI at one major release.
* `set_cookies(r)`: each `Set-Cookie` of a response, parsed, by cookie name (flags included).
* `has(change)`: whether the installed release has a behaviour that changed upstream
  (`guidekit.floors.CHANGES`; its first release is measured by `nox -s bisect`, never
  typed); mark the test `@pytest.mark.change(name)` so that the bisect selects it and
  `nox -s floors` records it, and branch: `401 if has("bearer-401") else 403`.

Sources: Werkzeug's `HTTPException.get_body` (the HTML page), FastAPI's
`http_exception_handler` / `request_validation_exception_handler` (the JSON bodies) and
Starlette's `ServerErrorMiddleware` / `ExceptionMiddleware` (the plain-text bodies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from http import HTTPStatus
from http.cookies import Morsel, SimpleCookie

import httpx2

from guidekit.floors import has

__all__ = [
    "HTML",
    "JSON",
    "allowed",
    "assert_default_error",
    "assert_method_not_allowed",
    "assert_not_found",
    "assert_redirect",
    "assert_swagger_ui_page",
    "assert_validation_error",
    "documented_operations",
    "has",
    "set_cookies",
]

HTML = "text/html; charset=utf-8"
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
#: Werkzeug's description of a 404 and a 405 (first line of its HTML body).
FLASK_404_TEXT = "The requested URL was not found on the server."
FLASK_405_TEXT = "The method is not allowed for the requested URL."


def assert_default_error(
    r: httpx2.Response,
    framework: str,
    status: int,
    *,
    flask_text: str | None = None,
    fastapi_detail: object = None,
    fastapi_text: str | None = None,
) -> None:
    """Flask answers an HTTP error with an HTML page; FastAPI with JSON `{"detail": ...}`.

    `flask_text` must appear in the HTML body (HTML-escaped, as Werkzeug writes it); with
    `fastapi_detail` left out, FastAPI's detail is the status code's phrase ("Not Found").
    `fastapi_text`: the error is answered by Starlette outside FastAPI's exception handlers
    (a 500, a body over a limit), as plain text with exactly this body.
    The answer to a HEAD request has the same headers and no body.
    """
    assert r.status_code == status, r.text
    head = r.request.method == "HEAD"
    if framework == "flask":
        assert r.headers["content-type"] == HTML
        assert head or f"<title>{status} " in r.text
        if flask_text is not None:
            assert head or flask_text in r.text
    elif fastapi_text is not None:
        assert r.headers["content-type"] == TEXT
        assert head or r.text == fastapi_text
    else:
        assert r.headers["content-type"] == JSON
        if fastapi_detail is None:
            fastapi_detail = HTTPStatus(status).phrase
        assert head or r.json() == {"detail": fastapi_detail}
    if head:
        assert r.content == b""


def assert_not_found(r: httpx2.Response, framework: str) -> None:
    """The default 404 of an unknown URL (or, in Flask, a converter that does not match)."""
    assert_default_error(r, framework, 404, flask_text=FLASK_404_TEXT, fastapi_detail="Not Found")


def assert_server_error(r: httpx2.Response, framework: str) -> None:
    """An unhandled exception's 500: Werkzeug's HTML page; Starlette's plain text in FastAPI.

    Neither shows the exception: its message and traceback go to the log only.
    """
    assert_default_error(r, framework, 500, fastapi_text="Internal Server Error")
    assert "Traceback" not in r.text


def allowed(r: httpx2.Response) -> set[str]:
    """The `Allow` header as a set: both frameworks build it from a set, so order varies."""
    return {method.strip() for method in r.headers["allow"].split(",")}


def route_methods(*methods: str) -> dict[str, set[str]]:
    """The `Allow` of a route declared with `methods`, per framework.

    Flask adds OPTIONS to every rule, and HEAD to every rule with GET; FastAPI adds neither.
    `route_methods("GET")` == `{"flask": {"GET", "HEAD", "OPTIONS"}, "fastapi": {"GET"}}`.
    """
    flask = {*methods, "OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    return {"flask": flask, "fastapi": set(methods)}


def assert_method_not_allowed(
    r: httpx2.Response, framework: str, allow: dict[str, Iterable[str]] | Iterable[str]
) -> None:
    """The default 405, and its `Allow` header.

    `allow` is the set of methods, or a dict `{"flask": ..., "fastapi": ...}` where they
    differ (Flask adds HEAD and OPTIONS to every GET route; FastAPI does not): see
    `route_methods`.
    """
    assert_default_error(
        r, framework, 405, flask_text=FLASK_405_TEXT, fastapi_detail="Method Not Allowed"
    )
    expected = allow[framework] if isinstance(allow, dict) else allow
    assert allowed(r) == set(expected)


def assert_validation_error(
    r: httpx2.Response, loc: list[str | int], type_: str | None = None
) -> dict:
    """FastAPI's 422: one of the errors is at `loc` (and of `type_`); returns that error."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == JSON
    errors = r.json()["detail"]
    for error in errors:
        if error["loc"] == loc and (type_ is None or error["type"] == type_):
            return error
    raise AssertionError(f"no error at {loc} ({type_}) in {errors}")


def documented_operations(document: dict) -> dict[str, dict[str, set[str]]]:
    """`{path: {method: {status codes}}}` of a Swagger 2.0 or OpenAPI 3 document.

    Keys are as the document writes them: paths with `{name}` parameters, lowercase methods,
    status codes as strings (`"200"`, `"default"`). A path item's shared `parameters` is
    not an operation and is left out.
    """
    return {
        path: {
            method: set(op["responses"]) for method, op in item.items() if method != "parameters"
        }
        for path, item in document["paths"].items()
    }


def assert_redirect(
    r: httpx2.Response, status: int, location: str, *, framework: str | None = None
) -> None:
    """A redirect with this status, pointing at `location` (relative or absolute as sent).

    With `framework`, also the body of a framework's own redirect (`redirect()`, the
    trailing-slash redirects): Werkzeug's small HTML page with a link, for clients that do
    not follow; no body and no content-type from Starlette's `RedirectResponse`.
    """
    assert r.status_code == status, r.text
    assert r.headers["location"] == location
    if framework == "flask":
        assert r.headers["content-type"] == HTML
        assert "<title>Redirecting...</title>" in r.text
    elif framework == "fastapi":
        assert "content-type" not in r.headers
        assert r.content == b""


#: Where FastAPI's `/docs` loads Swagger UI from (`fastapi.openapi.docs.get_swagger_ui_html`).
SWAGGER_UI_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"


def assert_swagger_ui_page(r: httpx2.Response) -> None:
    """`r` is a 200 HTML page of Swagger UI that loads every jsDelivr asset from
    `SWAGGER_UI_CDN`: one major release, as FastAPI does, never the unpinned newest
    (`swagger-ui-dist/`), whose next major would run, unreviewed, in the API's own origin."""
    assert (r.status_code, r.headers["content-type"]) == (200, HTML), r.text
    assert "swagger-ui" in r.text
    assets = re.findall(r'(?:src|href)="(https://cdn\.jsdelivr\.net/[^"]+)"', r.text)
    assert assets, r.text
    assert [a for a in assets if not a.startswith(SWAGGER_UI_CDN)] == []


def set_cookies(r: httpx2.Response) -> dict[str, Morsel]:
    """Each `Set-Cookie` header of `r`, parsed by the standard library, by cookie name:
    `set_cookies(r)["session"]["httponly"]`. A name set twice keeps its last header."""
    out = {}
    for header in r.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        out.update(cookie)
    return out
