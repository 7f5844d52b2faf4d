"""file-uploads: `request.files` / `FileStorage.save` vs `UploadFile`, safe names, size limits."""

import tempfile
from pathlib import Path

import pytest

from guidekit.harness import load_module
from guidekit.topics import snippet_path
from tests.expect import (
    assert_default_error,
    assert_method_not_allowed,
    has,
    route_methods,
)

ONE_MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    """Each test's uploads land in its own temp folder (read when the snippet is imported)."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("UPLOAD_DIR", str(folder))
    return folder


def test_upload_is_saved_and_described(client, upload_dir):
    r = client.post("/upload", files={"file": ("notes.txt", b"hello\n", "text/plain")})
    assert r.status_code == 200
    assert r.json() == {"filename": "notes.txt", "content_type": "text/plain", "size": 6}
    assert (upload_dir / "notes.txt").read_bytes() == b"hello\n"


def test_path_traversal_filename_is_sanitised(client, upload_dir, tmp_path):
    r = client.post("/upload", files={"file": ("../../etc/passwd", b"x", "text/plain")})
    assert r.status_code == 200
    assert r.json()["filename"] == "etc_passwd"
    # Only the sanitised file was written, inside the upload folder.
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == [
        Path("uploads"),
        Path("uploads/etc_passwd"),
    ]


def test_filename_with_nothing_safe_left_is_400_in_both(client, upload_dir):
    r = client.post("/upload", files={"file": ("../..", b"x", "text/plain")})
    assert r.status_code == 400
    assert r.json() == {"detail": "Invalid filename"}
    assert not upload_dir.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"files": {"other": ("a.txt", b"x", "text/plain")}},
        {"json": {"file": "x"}},
    ],
    ids=["wrong-field", "json"],
)
def test_missing_file_is_400_in_flask_422_in_fastapi(client, framework, body):
    r = client.post("/upload", **body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert_default_error(r, framework, 400)
    else:
        [error] = r.json()["detail"]
        assert error["loc"] == ["body", "file"]
        assert error["type"] == "missing"


def test_a_plain_field_is_not_a_file(client, framework):
    r = client.post("/upload", data={"file": "not a file"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        [error] = r.json()["detail"]
        assert error["msg"] == "Value error, Expected UploadFile, received: <class 'str'>"


@pytest.mark.change("max-body-size")
def test_too_large_upload_is_413(client, framework, upload_dir):
    big = b"x" * (ONE_MIB + 1)
    r = client.post("/upload", files={"file": ("big.bin", big, "application/octet-stream")})
    if framework == "fastapi" and not has("max-body-size"):  # the argument is ignored
        assert r.status_code == 200
        return
    assert_default_error(r, framework, 413, fastapi_text="Content Too Large")
    assert not upload_dir.exists()


@pytest.mark.change("max-body-size")
def test_limit_counts_the_whole_body_not_just_the_file(client, framework):
    """A file a little under the limit passes; multipart framing counts toward the limit too."""
    small_enough = b"x" * (ONE_MIB - 300)
    r = client.post("/upload", files={"file": ("ok.bin", small_enough, "application/octet-stream")})
    assert r.status_code == 200
    assert r.json()["size"] == ONE_MIB - 300
    just_the_limit = b"x" * ONE_MIB  # the file alone fits; the body with its framing does not
    r = client.post("/upload", files={"file": ("no.bin", just_the_limit, "text/plain")})
    limited = framework == "flask" or has("max-body-size")  # else the argument is ignored
    assert r.status_code == (413 if limited else 200)


def test_read_content_in_memory(client):
    r = client.post("/inspect", files={"file": ("notes.txt", b"hello\n", "text/plain")})
    assert r.status_code == 200
    assert r.json() == {"filename": "notes.txt", "size": 6, "text": "hello\n"}


def test_upload_dir_defaults_to_a_private_folder_beside_the_app(framework, monkeypatch):
    """Not the shared temp directory, where another local user could plant a symlink."""
    monkeypatch.delenv("UPLOAD_DIR")
    module = load_module("file-uploads", framework)
    # The app's own folder, wherever the checkout lives (CI's deploy check copies it under
    # /tmp): never the shared temp directory itself. The next tests pin its permissions.
    assert snippet_path("file-uploads", framework).parent / "instance/uploads" == module.UPLOAD_DIR
    assert Path(tempfile.gettempdir()) / "uploads" != module.UPLOAD_DIR  # the old default


def test_a_planted_symlink_is_refused_not_followed(client, upload_dir, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    upload_dir.mkdir()
    (upload_dir / "notes.txt").symlink_to(victim)
    r = client.post("/upload", files={"file": ("notes.txt", b"overwritten", "text/plain")})
    assert r.status_code == 400
    assert victim.read_text() == "precious"


def test_a_name_too_long_for_the_file_system_is_400(client, upload_dir):
    r = client.post("/upload", files={"file": ("x" * 300, b"x", "text/plain")})
    assert r.status_code == 400


def test_uploads_are_private_to_the_app_user(client, upload_dir):
    client.post("/upload", files={"file": ("notes.txt", b"hello\n", "text/plain")})
    assert upload_dir.stat().st_mode & 0o777 == 0o700
    assert (upload_dir / "notes.txt").stat().st_mode & 0o777 == 0o600


def test_get_is_405(client, framework):
    assert_method_not_allowed(client.get("/upload"), framework, route_methods("POST"))


@pytest.mark.change("max-body-size")
def test_neither_framework_limits_the_body_by_default(framework):
    # The snippets set a limit; without one, both accept a body of any size.
    if framework == "flask":
        from flask import Flask

        assert Flask.default_config["MAX_CONTENT_LENGTH"] is None
    else:
        import inspect

        from fastapi import FastAPI

        parameters = inspect.signature(FastAPI).parameters
        if not has("max-body-size"):  # no such parameter: **extra takes it
            assert "max_body_size" not in parameters
            return
        assert parameters["max_body_size"].default is None


@pytest.mark.change("max-body-size")
@pytest.mark.only("fastapi", reason="the two answers to an oversized body are Starlette's")
def test_an_oversized_chunked_body_is_413_json(client):
    """Without Content-Length the limit trips while reading: a JSON 413, not text/plain."""

    def chunks():
        for _ in range(20):
            yield b"x" * 100_000  # 2 MB in all, no Content-Length: chunked

    headers = {"content-type": "multipart/form-data; boundary=x"}
    r = client.post("/upload", content=chunks(), headers=headers)
    if not has("max-body-size"):  # the argument is ignored: the body is read, then refused
        assert r.status_code != 413
        return
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "Content Too Large"}


def test_every_uploaded_file_by_its_field_name(framework):
    """Flask's `request.files` holds every file part whatever its name; FastAPI declares
    each by name, or reads them all from `await request.form()` (field name → UploadFile),
    the way to take parts whose names are not known in advance. Those parts are Starlette's
    `UploadFile`, of which `fastapi.UploadFile` is a subclass: test against Starlette's."""
    from guidekit.harness import client_for

    if framework == "flask":
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/any")
        def any_files():
            return {name: f.filename for name, f in request.files.items(multi=True)}
    else:
        from fastapi import FastAPI, Request
        from starlette.datastructures import UploadFile  # fastapi.UploadFile is a subclass

        app = FastAPI()

        @app.post("/any")
        async def any_files(request: Request):
            async with request.form() as form:  # closes the spooled files afterwards
                return {
                    name: part.filename
                    for name, part in form.multi_items()
                    if isinstance(part, UploadFile)
                }

    files = [("file1", ("a.txt", b"a")), ("file2", ("b.txt", b"b"))]
    with client_for(framework, app) as client:
        r = client.post("/any", files=files, data={"note": "not a file"})
    assert r.status_code == 200
    assert r.json() == {"file1": "a.txt", "file2": "b.txt"}
