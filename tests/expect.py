"""Expectations many topics share: each framework's default answers, stated once.

Import what a test needs; never re-check Werkzeug's HTML error page or parse `Allow` by hand.

* `assert_default_error(r, framework, status, flask_text=..., fastapi_detail=...)`: the
  default answer to an HTTP error — Werkzeug's HTML page in Flask, `{"detail": ...}` in FastAPI.
* `assert_not_found`, `assert_method_not_allowed`: the two routing errors, with their bodies
  and (for 405) the `Allow` header.
* `assert_validation_error(r, loc, type_)`: FastAPI's 422 body names the failing field.
* `allowed(r)`: the `Allow` header as a set.
* `assert_redirect(r, status, location)`: a redirect and where it points.
* `has(change)`: whether the installed release has a behaviour that changed upstream
  (`guidekit.floors.CHANGES`); mark the test `@pytest.mark.change(name)` so that
  `nox -s floors` records it, and branch: `401 if has("bearer-401") else 403`.

Sources: Werkzeug's `HTTPException.get_body` (the HTML page) and FastAPI's
`http_exception_handler` / `request_validation_exception_handler` (the JSON bodies).
"""

from __future__ import annotations

from collections.abc import Iterable

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
    "assert_validation_error",
    "has",
]

HTML = "text/html; charset=utf-8"
JSON = "application/json"
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
) -> None:
    """Flask answers an HTTP error with an HTML page; FastAPI with JSON `{"detail": ...}`.

    `flask_text` must appear in the HTML body (HTML-escaped, as Werkzeug writes it); with
    `fastapi_detail` left out, FastAPI's detail is the status code's phrase ("Not Found").
    """
    assert r.status_code == status, r.text
    if framework == "flask":
        assert r.headers["content-type"] == HTML
        assert f"<title>{status} " in r.text
        if flask_text is not None:
            assert flask_text in r.text
    else:
        assert r.headers["content-type"] == JSON
        if fastapi_detail is None:
            from http import HTTPStatus

            fastapi_detail = HTTPStatus(status).phrase
        assert r.json() == {"detail": fastapi_detail}


def assert_not_found(r: httpx2.Response, framework: str) -> None:
    """The default 404 of an unknown URL (or, in Flask, a converter that does not match)."""
    assert_default_error(r, framework, 404, flask_text=FLASK_404_TEXT, fastapi_detail="Not Found")


def allowed(r: httpx2.Response) -> set[str]:
    """The `Allow` header as a set: both frameworks build it from a set, so order varies."""
    return {method.strip() for method in r.headers["allow"].split(",")}


def assert_method_not_allowed(
    r: httpx2.Response, framework: str, allow: dict[str, Iterable[str]] | Iterable[str]
) -> None:
    """The default 405, and its `Allow` header.

    `allow` is the set of methods, or a dict `{"flask": ..., "fastapi": ...}` where they
    differ (Flask adds HEAD and OPTIONS to every GET route; FastAPI does not).
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


def assert_redirect(r: httpx2.Response, status: int, location: str) -> None:
    """A redirect with this status, pointing at `location` (relative or absolute as sent)."""
    assert r.status_code == status, r.text
    assert r.headers["location"] == location
