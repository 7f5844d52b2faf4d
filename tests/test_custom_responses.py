"""custom-responses: HTML, plain text, other media types, `send_file` vs `FileResponse`."""

from pathlib import Path

import pytest

from guidekit.harness import client_for
from guidekit.topics import SNIPPETS
from tests.expect import assert_default_error, has

REPORT = (SNIPPETS / "custom-responses" / "files" / "report.txt").read_bytes()


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/page", "text/html; charset=utf-8", b"<h1>Hello</h1>"),
        ("/ping", "text/plain; charset=utf-8", b"pong"),
        ("/export.csv", "text/csv; charset=utf-8", b"id,name\n1,apple\n"),
    ],
)
def test_media_types(client, path, content_type, body):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert r.content == body


def test_download_as_attachment(client, framework):
    r = client.get("/report")
    assert r.status_code == 200
    assert r.content == REPORT
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-length"] == str(len(REPORT))
    # Same meaning; Starlette quotes the filename, Werkzeug does not when it needs no quoting.
    assert (
        r.headers["content-disposition"]
        == {
            "flask": "attachment; filename=report.txt",
            "fastapi": 'attachment; filename="report.txt"',
        }[framework]
    )


def test_file_without_a_download_name(client, framework):
    r = client.get("/files/report.txt")
    assert r.status_code == 200
    assert r.content == REPORT
    # send_from_directory says "inline"; FileResponse without filename= sends no header.
    expected = {"flask": "inline; filename=report.txt", "fastapi": None}[framework]
    assert r.headers.get("content-disposition") == expected


@pytest.mark.change("send-file-accept-ranges")
@pytest.mark.parametrize("path", ["/report", "/files/report.txt"])
def test_both_send_etag_and_last_modified(client, framework, path):
    r = client.get(path)
    # Values depend on the file's mtime (and, in FastAPI, on a hash of it): check presence.
    assert r.headers["etag"].startswith('"')
    assert r.headers["last-modified"].endswith(" GMT")
    ranges = framework == "fastapi" or has("send-file-accept-ranges")
    assert r.headers.get("accept-ranges") == ("bytes" if ranges else None)


@pytest.mark.parametrize(
    ("request_header", "from_response"),
    [("If-None-Match", "etag"), ("If-Modified-Since", "last-modified")],
)
def test_only_flask_answers_a_conditional_request_with_304(
    client, framework, request_header, from_response
):
    validator = client.get("/report").headers[from_response]
    r = client.get("/report", headers={request_header: validator})
    assert r.status_code == {"flask": 304, "fastapi": 200}[framework]
    assert r.content == {"flask": b"", "fastapi": REPORT}[framework]


def test_only_flask_adds_cache_control(client, framework):
    r = client.get("/report")
    assert r.headers.get("cache-control") == {"flask": "no-cache", "fastapi": None}[framework]


def test_range_request_is_206_in_both(client):
    r = client.get("/report", headers={"Range": "bytes=0-9"})
    assert r.status_code == 206
    assert r.content == REPORT[:10]
    assert r.headers["content-range"] == f"bytes 0-9/{len(REPORT)}"


@pytest.mark.parametrize("path", ["/files/nope.txt", "/files/%2E%2E"], ids=["missing", "dot-dot"])
def test_missing_or_outside_file_is_404(client, framework, path):
    r = client.get(path)
    assert_default_error(r, framework, 404, fastapi_detail="File not found")


def test_the_served_file_is_in_the_snippet_folder(snippet):
    """Files are found relative to the snippet, whatever the working directory."""
    assert Path(snippet.__file__).parent / "files" == snippet.FILES


def test_only_response_class_documents_the_media_type(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        paths = r.json()["paths"]
        # response_class=HTMLResponse on the route is in the schema...
        assert list(paths["/page"]["get"]["responses"]["200"]["content"]) == ["text/html"]
        # ...a PlainTextResponse returned from the function is not: JSON is assumed.
        ping = paths["/ping"]["get"]["responses"]["200"]["content"]
        assert list(ping) == ["application/json"]


def test_an_unchecked_missing_file_is_a_500(framework, app, snippet):
    """FileResponse (like Flask's send_file) does not check the path when it is built: a
    missing file fails while sending. Hence the check in the snippet's /files route."""
    missing = snippet.FILES / "nope.txt"
    if framework == "flask":
        from flask import send_file

        app.add_url_rule("/unchecked", "unchecked", lambda: send_file(missing))
    else:
        from fastapi.responses import FileResponse

        app.get("/unchecked")(lambda: FileResponse(missing))  # built without complaint
    with client_for(framework, app) as client:
        assert client.get("/unchecked").status_code == 500


@pytest.mark.parametrize("name", ["a%00b.txt", "x" * 300], ids=["nul-byte", "too-long"])
def test_a_file_name_the_os_refuses_is_a_404(client, framework, name):
    """Path.is_file() raises on a NUL byte or an over-long name: a 404, not a 500."""
    r = client.get(f"/files/{name}")
    assert r.status_code == 404


@pytest.mark.only("flask", reason="the note is about Werkzeug's send_file")
@pytest.mark.change("send-file-accept-ranges")
@pytest.mark.parametrize(
    ("method", "conditional", "sent"),
    [("GET", True, True), ("HEAD", True, True), ("POST", True, False), ("GET", False, False)],
)
def test_send_file_offers_ranges_to_conditional_get_and_head_only(
    snippet, framework, method, conditional, sent
):
    """The Werkzeug 3.1.7 note's scope: `make_conditional` runs for GET and HEAD only."""
    from flask import send_file

    with snippet.app.test_request_context("/report", method=method):
        r = send_file(snippet.FILES / "report.txt", conditional=conditional)
        r.close()
    ranges = sent and has("send-file-accept-ranges")
    assert r.headers.get("accept-ranges") == ("bytes" if ranges else None)
