"""templates: render_template → Jinja2Templates.TemplateResponse; url_for; autoescaping."""

import re

import pytest

from tests.expect import assert_not_found, has

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


@pytest.mark.change("templateresponse-request-first")
def test_how_the_render_call_is_made(snippet, framework):
    """Flask's render_template takes no request; Starlette's TemplateResponse wants it first."""
    if framework == "flask":
        with snippet.app.test_request_context("/"):
            html = snippet.render_template("hello.html", name="Ada")
        assert "<h1>Hello, Ada!</h1>" in html
    else:
        # The name-first form of older tutorials fails.
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
@pytest.mark.change("templates-autoescape-by-extension")
def test_autoescaping_follows_the_file_name(snippet, framework, name, escaped):
    if framework == "flask":
        assert snippet.app.select_jinja_autoescape(name) is escaped[framework]
    elif not has("templates-autoescape-by-extension"):  # the old answer: every file
        assert snippet.templates.env.autoescape is True
    else:
        assert snippet.templates.env.autoescape(name) is escaped[framework]


def _field_values(html: str) -> tuple[str, str]:
    """The title input's value and the textarea's text of note.html."""
    title = re.search(r'<input name="title" value="([^"]*)">', html)[1]
    body = re.search(r'<textarea name="body">(.*?)</textarea>', html, re.S)[1]
    return title, body


def test_the_note_form_starts_empty(client):
    r = client.get("/notes/new")
    assert r.status_code == 200
    assert r.headers["content-type"] == HTML
    assert _field_values(r.text) == ("", "")
    assert 'role="alert"' not in r.text


def test_a_refused_form_is_rendered_again_with_what_was_posted(client):
    posted = {"title": "  ", "body": "Dear </textarea><script>alert(1)</script>"}
    r = client.post("/notes/new", data=posted)
    assert r.status_code == 400
    assert '<p role="alert">A title is required.</p>' in r.text
    escaped = "Dear &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert _field_values(r.text) == ("  ", escaped)


def test_an_empty_post_is_refused_too(client):
    r = client.post("/notes/new")
    assert r.status_code == 400
    assert _field_values(r.text) == ("", "")


def test_a_valid_note_redirects_with_303(client, framework):
    r = client.post("/notes/new", data={"title": "Shopping", "body": "milk"})
    base = {"flask": "", "fastapi": "http://testserver"}[framework]
    assert r.status_code == 303
    assert r.headers["location"] == f"{base}/hello/note"


@pytest.mark.only("fastapi", reason="Flask's request.form is a MultiDict the template can read")
def test_request_form_in_a_starlette_template_renders_nothing(framework):
    """The literal port: Flask's note.html under Starlette. `request.form` is a coroutine
    method there, so `request.form['body']` is undefined and renders as "" without an error."""
    from fastapi import FastAPI, Request
    from fastapi.templating import Jinja2Templates

    from guidekit.harness import client_for
    from guidekit.topics import SNIPPETS

    templates = Jinja2Templates(directory=SNIPPETS / "templates" / "templates" / "flask")
    app = FastAPI()

    @app.post("/notes/new")
    def new_note(request: Request):
        return templates.TemplateResponse(request, "note.html", {"error": "x"})

    with client_for(framework, app) as client:
        r = client.post("/notes/new", data={"title": "kept?", "body": "lost"})
    assert r.status_code == 200
    assert _field_values(r.text) == ("", "")


@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted"])
def test_behind_a_tls_proxy_links_follow_the_forwarded_scheme_only_once_trusted(
    framework, app, trusted
):
    """A proxy that ends TLS forwards plain HTTP with X-Forwarded-Proto: https. Flask's
    links are paths and follow the page; Starlette's are absolute and say http:// (mixed
    content on an https page) until the server trusts the proxy: what Uvicorn's
    --forwarded-allow-ips turns on, its ProxyHeadersMiddleware here."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from guidekit.harness import client_for

    if framework == "fastapi" and trusted:
        app = ProxyHeadersMiddleware(app, trusted_hosts="*")  # the test client's address
    with client_for(framework, app) as client:
        r = client.get("/hello/Ada", headers={"x-forwarded-proto": "https"})
    assert r.status_code == 200
    scheme = "https" if trusted else "http"
    base = {"flask": "", "fastapi": f"{scheme}://testserver"}[framework]
    assert _hrefs(r.text) == [f"{base}/static/style.css", f"{base}/hello/world"]
