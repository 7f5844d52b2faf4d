"""request-object: the raw request (`request.get_data()` vs `await request.body()`)."""

import hashlib
import hmac

import pytest

from guidekit.harness import client_for, load_app
from tests.expect import assert_method_not_allowed, route_methods

DEMO_SECRET = b"dev-only-webhook-secret"  # the snippets' fake default
BODY = b'{"type":"invoice.paid","id":"evt_1"}'


def sign(body: bytes, secret: bytes = DEMO_SECRET) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def test_signed_webhook_is_accepted(client):
    r = client.post("/webhook", content=BODY, headers={"X-Signature": sign(BODY)})
    assert r.status_code == 200
    assert r.json() == {"received": "invoice.paid"}


@pytest.mark.parametrize(
    "headers", [{"X-Signature": "0" * 64}, {}], ids=["wrong-signature", "no-signature"]
)
def test_bad_or_missing_signature_is_401(client, headers):
    r = client.post("/webhook", content=BODY, headers=headers)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid signature"}


def test_signature_covers_the_exact_bytes(client):
    """Same JSON, different whitespace: re-serialising a parsed body would break signatures."""
    reformatted = b'{"type": "invoice.paid", "id": "evt_1"}'
    r = client.post("/webhook", content=reformatted, headers={"X-Signature": sign(BODY)})
    assert r.status_code == 401


def test_signed_but_malformed_json_is_400(client):
    body = b"{not json"
    r = client.post("/webhook", content=body, headers={"X-Signature": sign(body)})
    assert r.status_code == 400
    assert r.json() == {"detail": "Malformed JSON"}


def test_secret_comes_from_the_environment(framework, monkeypatch):
    monkeypatch.setenv("WEBHOOK_SECRET", "another-fake-secret")
    with client_for(framework, load_app("request-object", framework)) as client:
        old = client.post("/webhook", content=BODY, headers={"X-Signature": sign(BODY)})
        new_sig = sign(BODY, b"another-fake-secret")
        new = client.post("/webhook", content=BODY, headers={"X-Signature": new_sig})
    assert (old.status_code, new.status_code) == (401, 200)


def test_request_attributes(client, framework):
    r = client.get("/inspect?tag=a&tag=b")
    assert r.status_code == 200
    assert r.json() == {
        "method": "GET",
        "url": "http://testserver/inspect?tag=a&tag=b",
        "path": "/inspect",
        "tags": ["a", "b"],
        # What each test client reports as the peer; a real server gives the socket's.
        "client": {"flask": "127.0.0.1", "fastapi": "testclient"}[framework],
    }


def test_get_on_the_webhook_is_405(client, framework):
    assert_method_not_allowed(client.get("/webhook"), framework, route_methods("POST"))


def test_the_body_is_cached_and_bad_json_is_left_to_you(framework, app):
    """Both cache the raw body, so the JSON helper still works after it. On malformed JSON,
    Flask's get_json() answers 400 itself; Starlette's json() raises, which is a 500."""
    if framework == "flask":
        from flask import request

        def both():
            return {"raw": request.get_data(as_text=True), "json": request.get_json()}

        app.add_url_rule("/both", "both", both, methods=["POST"])
    else:
        from fastapi import Request

        @app.post("/both")
        async def both(request: Request):
            return {"raw": (await request.body()).decode(), "json": await request.json()}

    with client_for(framework, app) as client:
        r = client.post("/both", content=BODY, headers={"content-type": "application/json"})
        assert r.json() == {"raw": BODY.decode(), "json": {"type": "invoice.paid", "id": "evt_1"}}
        bad = client.post("/both", content=b"{oops", headers={"content-type": "application/json"})
        # Flask's get_json() raises BadRequest (400); Starlette's json() a plain ValueError.
        assert bad.status_code == {"flask": 400, "fastapi": 500}[framework]
