"""Expectations several topics share: each framework's default error answer."""

from __future__ import annotations

import httpx2

HTML = "text/html; charset=utf-8"


def assert_default_error(
    r: httpx2.Response, framework: str, status: int, *, flask_text: str, fastapi_detail: object
) -> None:
    """Flask answers an HTTP error with an HTML page; FastAPI with JSON `{"detail": ...}`."""
    assert r.status_code == status
    if framework == "flask":
        assert r.headers["content-type"] == HTML
        assert flask_text in r.text
    else:
        assert r.headers["content-type"] == "application/json"
        assert r.json() == {"detail": fastapi_detail}
