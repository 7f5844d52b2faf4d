"""templates: render_template → Jinja2Templates.TemplateResponse; url_for; autoescaping."""

import re

import pytest

from tests.expect import assert_not_found

HTML = "text/html; charset=utf-8"


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_renders_the_template_as_html(client):
    r = client.get("/hello/Ada")
    assert r.status_code == 200
    assert r.headers["content-type"] == HTML
    assert "<h1>Hello, Ada!</h1>" in r.text


def test_user_input_is_autoescaped(client):
    r = client.get("/hello/<script>alert(1)")
    assert r.status_code == 200
    assert "<h1>Hello, &lt;script&gt;alert(1)!</h1>" in r.text
    assert "<script>" not in r.text


def test_url_for_gives_a_path_in_flask_and_a_full_url_in_fastapi(client, framework):
    r = client.get("/hello/Ada")
    base = {"flask": "", "fastapi": "http://testserver"}[framework]
    assert _hrefs(r.text) == [f"{base}/static/style.css", f"{base}/hello/world"]


def test_fastapis_url_for_takes_the_host_from_the_request(client, framework):
    r = client.get("/hello/Ada", headers={"host": "example.org"})
    base = {"flask": "", "fastapi": "http://example.org"}[framework]
    assert _hrefs(r.text) == [f"{base}/static/style.css", f"{base}/hello/world"]


def test_the_linked_stylesheet_is_served(client):
    href = _hrefs(client.get("/hello/Ada").text)[0]
    r = client.get(href)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/css; charset=utf-8"


def test_missing_path_parameter_is_404(client, framework):
    assert_not_found(client.get("/hello/"), framework)


def test_how_the_render_call_is_made(snippet, framework):
    """Flask's render_template takes no request; Starlette's TemplateResponse wants it first."""
    if framework == "flask":
        with snippet.app.test_request_context("/"):
            html = snippet.render_template("hello.html", name="Ada")
        assert "<h1>Hello, Ada!</h1>" in html
    else:
        # The name-first form of older tutorials fails in Starlette 1.x.
        with pytest.raises(TypeError, match="unhashable type: 'dict'"):
            snippet.templates.TemplateResponse("hello.html", {"request": None, "name": "Ada"})


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("page.html", {"flask": True, "fastapi": True}),
        ("page.htm", {"flask": True, "fastapi": True}),
        ("page.xml", {"flask": True, "fastapi": True}),
        ("page.xhtml", {"flask": True, "fastapi": False}),
        ("page.svg", {"flask": True, "fastapi": False}),
        ("page.txt", {"flask": False, "fastapi": False}),
        ("page.j2", {"flask": False, "fastapi": False}),
    ],
)
def test_autoescaping_follows_the_file_name(snippet, framework, name, escaped):
    if framework == "flask":
        assert snippet.app.select_jinja_autoescape(name) is escaped[framework]
    else:
        assert snippet.templates.env.autoescape(name) is escaped[framework]
