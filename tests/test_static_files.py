"""static-files: Flask's built-in static/ route → a StaticFiles mount."""

import pytest
from fastapi.staticfiles import StaticFiles
from flask import Flask

from tests.expect import assert_method_not_allowed, assert_not_found, has

CSS = b"body { font-family: sans-serif; }\n"


def test_serves_a_file_with_its_content_type(client):
    r = client.get("/static/style.css")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/css; charset=utf-8"
    assert r.content == CSS
    assert r.headers["content-length"] == str(len(CSS))
    js = client.get("/static/app.js")
    assert js.headers["content-type"] == "text/javascript; charset=utf-8"


@pytest.mark.change("send-file-accept-ranges")
def test_caching_headers_are_present(client, framework):
    r = client.get("/static/style.css")
    assert r.headers["etag"]
    assert r.headers["last-modified"]
    ranges = framework == "fastapi" or has("send-file-accept-ranges")
    assert r.headers.get("accept-ranges") == ("bytes" if ranges else None)
    # Flask adds these two; Starlette sends neither.
    assert r.headers.get("cache-control") == {"flask": "no-cache", "fastapi": None}[framework]
    assert (
        r.headers.get("content-disposition")
        == {
            "flask": "inline; filename=style.css",
            "fastapi": None,
        }[framework]
    )


def test_conditional_get_is_304(client):
    first = client.get("/static/style.css")
    by_etag = client.get("/static/style.css", headers={"if-none-match": first.headers["etag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(
        "/static/style.css", headers={"if-modified-since": first.headers["last-modified"]}
    )
    assert by_date.status_code == 304


def test_head_sends_headers_without_a_body(client):
    r = client.head("/static/style.css")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/css; charset=utf-8"
    assert r.headers["content-length"] == str(len(CSS))
    assert r.content == b""


def test_missing_file_is_404(client, framework):
    assert_not_found(client.get("/static/missing.css"), framework)


def test_path_traversal_is_refused(client, framework):
    # flask_app.py sits next to static/, so "static/../flask_app.py" names a real file.
    # Encoded dots reach the server as "..", and both refuse to leave the folder.
    for path in ("/static/%2e%2e/flask_app.py", "/static/..%2fflask_app.py"):
        r = client.get(path)
        assert_not_found(r, framework)
        assert b"Flask" not in r.content
    # Literal dots never leave the client: httpx (like browsers) resolves them first.
    r = client.get("/static/../flask_app.py")
    assert r.request.url.path == "/flask_app.py"
    assert r.status_code == 404


def test_the_folder_itself_is_not_listed(client, framework):
    assert client.get("/static/").status_code == 404
    r = client.get("/static")
    # A Starlette mount redirects the bare prefix to the prefix with a slash.
    assert r.status_code == {"flask": 404, "fastapi": 307}[framework]
    if framework == "fastapi":
        assert r.headers["location"] == "http://testserver/static/"


@pytest.mark.change("staticfiles-405-allow")
def test_post_to_a_static_file_is_405(client, framework):
    r = client.post("/static/style.css")
    if framework == "fastapi" and not has("staticfiles-405-allow"):  # the old answer
        assert (r.status_code, r.headers.get("allow")) == (405, None)
        return
    # StaticFiles serves HEAD too, and names it.
    allow = {"flask": {"GET", "HEAD", "OPTIONS"}, "fastapi": {"GET", "HEAD"}}
    assert_method_not_allowed(r, framework, allow)


def test_a_missing_folder_fails_at_start_only_in_fastapi(framework, tmp_path):
    missing = tmp_path / "no-such-folder"
    if framework == "flask":
        # Flask does not look at the folder until a file is requested.
        Flask("demo", static_folder=missing)
    else:
        with pytest.raises(RuntimeError, match="does not exist"):
            StaticFiles(directory=missing)
        StaticFiles(directory=missing, check_dir=False)  # the check can be turned off
