"""The recording middleware: real traffic to a file, secrets redacted, replayable."""

from __future__ import annotations

import json

import httpx2
from flask import Flask, request
from flask2fastapi import parity
from flask2fastapi.apps import client_for, import_app
from flask2fastapi.record import REDACTED, RecordingMiddleware
from flask2fastapi.traffic import load_requests

from .conftest import SAMPLE


def _echo_app(path, **options):
    app = Flask(__name__)

    @app.post("/echo")
    def echo():
        return {"json": request.get_json(silent=True), "form": request.form.to_dict()}

    app.wsgi_app = RecordingMiddleware(app.wsgi_app, path, **options)
    return app


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_secrets_are_redacted_and_the_app_still_gets_the_body(tmp_path):
    path = tmp_path / "traffic.jsonl"
    app = _echo_app(path)
    body = {"user": "ada", "password": "s3cret", "nested": [{"token": "t", "ok": 1}]}
    with client_for("flask", app) as client:
        r = client.post(
            "/echo?x=1", json=body, headers={"authorization": "Bearer abc", "cookie": "session=1"}
        )
        assert r.json()["json"] == body  # the middleware put the body back
        r = client.post("/echo", data={"username": "ada", "Password": "s3cret"})
        assert r.json()["form"] == {"username": "ada", "Password": "s3cret"}
    first, second = _lines(path)
    assert first == {
        "id": "rec-1",
        "method": "POST",
        "path": "/echo?x=1",
        "json": {"user": "ada", "password": REDACTED, "nested": [{"token": REDACTED, "ok": 1}]},
        "headers": {"accept": "*/*", "authorization": REDACTED, "cookie": REDACTED},
    }
    assert second["data"] == {"username": "ada", "Password": REDACTED}
    assert "s3cret" not in path.read_text() and "abc" not in path.read_text()


def test_a_restarted_app_appends_with_new_ids(tmp_path):
    path = tmp_path / "traffic.jsonl"
    for _ in range(2):
        with client_for("flask", _echo_app(path)) as client:
            client.post("/echo", json={})
    assert [item.id for item in load_requests(path)] == ["rec-1", "rec-2"]


def test_redaction_is_configurable(tmp_path):
    path = tmp_path / "traffic.jsonl"
    app = _echo_app(path, redact_fields=["user"], redact_headers=[])
    with client_for("flask", app) as client:
        client.post("/echo", json={"user": "ada", "password": "p"}, headers={"cookie": "a=1"})
    (entry,) = _lines(path)
    assert entry["json"] == {"user": REDACTED, "password": "p"}
    assert entry["headers"] == {"accept": "*/*", "cookie": "a=1"}


def test_uploads_and_large_bodies_are_not_recorded(tmp_path):
    path = tmp_path / "traffic.jsonl"
    app = _echo_app(path, max_body=10)
    with client_for("flask", app) as client:
        assert client.post("/echo", files={"f": ("a.txt", b"x")}).status_code == 200
        assert client.post("/echo", json={"long": "x" * 20}).status_code == 200
    assert [e["content"] for e in _lines(path)] == ["[body not recorded]"] * 2


def test_bodies_that_are_not_utf8_text_are_not_recorded(tmp_path):
    path = tmp_path / "traffic.jsonl"
    app = _echo_app(path)
    octets = {"content-type": "application/octet-stream"}
    latin = {"content-type": "text/plain; charset=latin-1"}
    with client_for("flask", app) as client:
        client.post("/echo", content=b"\x00\xff\xfe binary", headers=octets)
        client.post("/echo", content="café".encode("latin-1"), headers=latin)
        client.post("/echo", content="café".encode(), headers=latin)  # UTF-8 after all
    assert [e["content"] for e in _lines(path)] == ["[body not recorded]"] * 2 + ["café"]


def test_a_recording_replays_with_parity(sample_env, tmp_path):
    path = tmp_path / "traffic.jsonl"
    flask_app = import_app("flask_app:create_app", SAMPLE)
    recorded = import_app("flask_app:create_app", SAMPLE)
    recorded.wsgi_app = RecordingMiddleware(recorded.wsgi_app, path)
    transport = httpx2.WSGITransport(app=recorded)
    with httpx2.Client(transport=transport, base_url="http://testserver") as client:
        client.get("/api/items?page=2")
        client.get("/api/items/7")
        client.post("/login", data={"username": "ada", "password": "demo-password"})
    items = load_requests(path)
    assert [i.path for i in items] == ["/api/items?page=2", "/api/items/7", "/login"]
    assert items[2].request["data"]["password"] == REDACTED
    fastapi_app = import_app("fastapi_app:create_app", SAMPLE)
    report = parity.run(flask_app, fastapi_app, items, accept_known=True)
    assert report.ok
    # The redacted password signs in on neither side: both answer 401 alike.
    assert report.results[2].flask_status == report.results[2].fastapi_status == 401
