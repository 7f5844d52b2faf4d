"""file-uploads: `request.files` / `FileStorage.save` vs `UploadFile`, safe names, size limits."""

import tempfile
from pathlib import Path

import pytest

from guidekit.harness import load_module
from tests.expect import assert_default_error, assert_method_not_allowed, route_methods

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


def test_too_large_upload_is_413(client, framework, upload_dir):
    big = b"x" * (ONE_MIB + 1)
    r = client.post("/upload", files={"file": ("big.bin", big, "application/octet-stream")})
    assert_default_error(r, framework, 413, fastapi_text="Content Too Large")
    assert not upload_dir.exists()


def test_limit_counts_the_whole_body_not_just_the_file(client):
    """A file a little under the limit passes; multipart framing counts toward the limit too."""
    small_enough = b"x" * (ONE_MIB - 300)
    r = client.post("/upload", files={"file": ("ok.bin", small_enough, "application/octet-stream")})
    assert r.status_code == 200
    assert r.json()["size"] == ONE_MIB - 300
    just_the_limit = b"x" * ONE_MIB  # the file alone fits; the body with its framing does not
    r = client.post("/upload", files={"file": ("no.bin", just_the_limit, "text/plain")})
    assert r.status_code == 413


def test_read_content_in_memory(client):
    r = client.post("/inspect", files={"file": ("notes.txt", b"hello\n", "text/plain")})
    assert r.status_code == 200
    assert r.json() == {"filename": "notes.txt", "size": 6, "text": "hello\n"}


def test_upload_dir_defaults_to_the_temp_directory(framework, monkeypatch):
    monkeypatch.delenv("UPLOAD_DIR")
    module = load_module("file-uploads", framework)
    assert Path(tempfile.gettempdir()) / "uploads" == module.UPLOAD_DIR


def test_get_is_405(client, framework):
    assert_method_not_allowed(client.get("/upload"), framework, route_methods("POST"))


def test_neither_framework_limits_the_body_by_default(framework):
    # The snippets set a limit; without one, both accept a body of any size.
    if framework == "flask":
        from flask import Flask

        assert Flask.default_config["MAX_CONTENT_LENGTH"] is None
    else:
        import inspect

        from fastapi import FastAPI

        assert inspect.signature(FastAPI).parameters["max_body_size"].default is None
