"""content-negotiation: one error handler answers HTML to browsers and JSON to API clients.

Both apps decide with Werkzeug's Accept parser (Flask's `request.accept_mimetypes`), so
every Accept header gets the same representation from both; the tests pin which one.
"""

import pytest

from tests.expect import HTML, JSON, allowed

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
PAGE_404 = "<!doctype html>\n<title>404 Not Found</title>\n<h1>404 Not Found</h1>\n"

# Accept header → the representation both apps choose for an error.
CHOICES = {
    "browser": (BROWSER, "html"),
    "html": ("text/html", "html"),
    "json": ("application/json", "json"),
    "any": ("*/*", "json"),  # a tie: the first type listed (JSON) wins
    "empty": ("", "json"),
    "html-preferred-by-q": ("application/json;q=0.5, text/html;q=0.9", "html"),
    "json-preferred-by-q": ("text/html;q=0.4, application/json", "json"),
    "equal-q": ("text/html;q=0.5, application/json;q=0.5", "json"),
    "html-refused": ("text/html;q=0, */*", "json"),
    "text-wildcard": ("text/*", "html"),
    "application-wildcard": ("application/*", "json"),
    "neither": ("image/png", "json"),  # an error is answered anyway, not with 406
    "uppercase": ("TEXT/HTML", "html"),
    "garbage": ("garbage", "json"),
    "garbage-then-html": ("garbage, text/html", "html"),  # the bad entry is skipped
    "bad-q": ("text/html;q=abc", "json"),  # the entry is dropped, not read as q=1
    "nan-q": ("text/html;q=nan", "json"),
    "out-of-range-q": ("text/html;q=7", "json"),
    "separators-only": (",,;;=,", "json"),
    "huge": ("text/html;q=0.1, " + "x/y, " * 5000 + "application/json", "json"),
}


def assert_error(r, status: int, kind: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["vary"] == "Accept"
    phrase = {404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}[status]
    if kind == "html":
        assert r.headers["content-type"] == HTML
        assert r.text == PAGE_404.replace("404 Not Found", f"{status} {phrase}")
    else:
        assert r.headers["content-type"] == JSON
        assert r.json() == {"error": phrase}


def test_found_item_is_json_whatever_the_accept_header(client):
    # Negotiation is the error handlers' business; the API route always answers JSON.
    for accept in ("application/json", "text/html"):
        r = client.get("/api/items/1", headers={"accept": accept})
        assert r.status_code == 200
        assert r.headers["content-type"] == JSON
        assert r.json() == {"id": 1, "name": "Widget"}


@pytest.mark.parametrize(("accept", "kind"), CHOICES.values(), ids=CHOICES)
def test_unknown_route_answers_in_the_preferred_type(client, accept, kind):
    r = client.get("/api/nope", headers={"accept": accept})
    assert_error(r, 404, kind)


def test_no_accept_header_gets_json(client):
    assert client.headers["accept"] == "*/*"  # httpx's default, like curl's
    del client.headers["accept"]
    r = client.get("/api/nope")
    assert "accept" not in r.request.headers
    assert_error(r, 404, "json")


@pytest.mark.parametrize("kind", ["html", "json"])
def test_abort_in_a_view_is_negotiated_too(client, kind):
    r = client.get("/api/items/7", headers={"accept": {"html": BROWSER, "json": JSON}[kind]})
    assert_error(r, 404, kind)


@pytest.mark.parametrize("kind", ["html", "json"])
def test_wrong_method_is_negotiated_and_keeps_allow(client, framework, kind):
    r = client.delete("/api/items/1", headers={"accept": {"html": BROWSER, "json": JSON}[kind]})
    assert_error(r, 405, kind)
    assert allowed(r) == {"flask": {"GET", "HEAD", "OPTIONS"}, "fastapi": {"GET"}}[framework]


@pytest.mark.parametrize("kind", ["html", "json"])
def test_unhandled_exception_is_negotiated(client, kind):
    # Flask: the HTTPException handler gets it as an InternalServerError.
    # FastAPI: the separate Exception handler does.
    r = client.get("/api/boom", headers={"accept": {"html": BROWSER, "json": JSON}[kind]})
    assert_error(r, 500, kind)


def test_a_bad_path_parameter_is_not_negotiated_in_fastapi(client, framework):
    # Flask's <int:> converter does not match: a 404 through the negotiating handler.
    # FastAPI validates the parameter: RequestValidationError has its own handler, and
    # the default one answers JSON even to a browser.
    r = client.get("/api/items/abc", headers={"accept": BROWSER})
    if framework == "flask":
        assert_error(r, 404, "html")
    else:
        assert r.status_code == 422
        assert r.headers["content-type"] == JSON
        assert "vary" not in r.headers


@pytest.mark.only("fastapi", reason="Starlette's debug page; Flask's debugger is not in play")
def test_starlettes_own_check_is_a_substring_test(framework, app):
    """Why not copy Starlette's test: its debug page looks for "text/html" in the header,
    so a client that refuses HTML (q=0) still gets the HTML traceback."""
    from guidekit.harness import client_for

    app.debug = True
    with client_for(framework, app) as client:
        r = client.get("/api/boom", headers={"accept": "application/json, text/html;q=0"})
    assert r.status_code == 500
    assert r.headers["content-type"] == HTML
    assert "Traceback" in r.text
