"""template-helpers: Flask-Bootstrap, Flask-Moment and Flask-PageDown → a base template,
a `<time>` element and Markdown rendered (and sanitised) on the server.

Both apps serve one post (`/posts/1`) and a Markdown preview (`POST /preview`).
"""

import re

import pytest

from tests.expect import assert_validation_error

ISO = "2015-10-21T07:28:00Z"
BOOTSTRAP_CSS = "/static/bootstrap/css/bootstrap.min.css"
HOSTILE = (
    "**bold** <script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
)


def test_the_post_page(client, framework):
    r = client.get("/posts/1")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Hello</h1>" in r.text
    assert "<p>Some <strong>Markdown</strong>.</p>" in r.text  # rendered on the server


def test_the_time_travels_as_iso_8601(client, framework):
    """Flask-Moment: a hidden span that moment.js fills in; here a <time> element that
    shows UTC without script and the reader's local time with it."""
    r = client.get("/posts/1")
    if framework == "flask":
        spans = re.findall(r'<span class="flask-moment" data-timestamp="([^"]+)"', r.text)
        assert spans == [ISO, ISO]
        assert 'style="display: none"' in r.text  # nothing readable without script
    else:
        assert f'<time datetime="{ISO}">2015-10-21 07:28 UTC</time>' in r.text


def test_bootstraps_css_is_served_by_the_app(client, framework):
    page = client.get("/posts/1").text
    link = re.search(r'<link href="([^"]+)" rel="stylesheet">', page).group(1)
    assert link.split("?")[0].removeprefix("http://testserver") == BOOTSTRAP_CSS
    r = client.get(link)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/css")
    assert b"Bootstrap v3.3.7" in r.content[:200]


def test_only_flask_loads_scripts_from_another_host(client, framework):
    """Flask-Moment and Flask-PageDown load moment.js and PageDown from cdnjs (with SRI
    for moment.js); the FastAPI page's script is its own."""
    sources = re.findall(r'<script[^>]* src="([^"]+)"', client.get("/posts/1").text)
    remote = [s for s in sources if s.startswith("https://")]
    if framework == "flask":
        assert remote and all(s.startswith("https://cdnjs.cloudflare.com/") for s in remote)
    else:
        assert remote == []


def test_markdown_is_rendered_and_sanitised(client):
    r = client.post("/preview", data={"body": HOSTILE})
    assert r.status_code == 200
    html = r.json()["html"]
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


@pytest.mark.parametrize("body", ["", "plain"])
def test_plain_and_empty_bodies(client, body):
    r = client.post("/preview", data={"body": body})
    assert r.json() == {"html": f"<p>{body}</p>" if body else ""}


def test_a_body_over_the_limit_is_refused(client, framework):
    r = client.post("/preview", data={"body": "x" * 10_001})
    if framework == "flask":
        assert (r.status_code, r.json()) == (400, {"error": "body is longer than 10000 characters"})
    else:
        assert_validation_error(r, ["body", "body"], "string_too_long")
