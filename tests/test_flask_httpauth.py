"""flask-httpauth: Flask-HTTPAuth → HTTPBasic / HTTPBearer dependencies, with the same realm.

Non-ASCII credentials travel as UTF-8 inside Base64, so the header itself stays ASCII.
"""

import base64

import pytest

from guidekit.harness import load_module
from tests.expect import has

# snippets/flask-httpauth/env.toml
ALICE = ("alice", "correct horse battery staple")
BOB = ("bob", "pässwörd-ünïcode")
TOKEN = "test-only-token-of-alice"
BASIC_REALM = 'Basic realm="Authentication Required"'
BEARER_REALM = 'Bearer realm="Authentication Required"'


def basic(username: str, password: str, encoding: str = "utf-8") -> dict[str, str]:
    raw = f"{username}:{password}".encode(encoding)
    return {"authorization": "Basic " + base64.b64encode(raw).decode()}


def assert_refused(r, status: int, challenge: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"error": {401: "Unauthorized", 403: "Forbidden"}[status]}
    assert r.headers["www-authenticate"] == challenge


@pytest.mark.parametrize("missing", ["ALICE_PASSWORD", "BOB_PASSWORD", "ALICE_TOKEN"])
def test_refuses_to_start_without_its_secrets(framework, topic, missing, monkeypatch):
    monkeypatch.delenv(missing, raising=False)
    env = {"ALICE_PASSWORD": "a", "BOB_PASSWORD": "b", "ALICE_TOKEN": "t"}
    del env[missing]
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


@pytest.mark.parametrize(("credentials", "name"), [(ALICE, "alice"), (BOB, "bob")])
def test_basic_auth_succeeds(client, credentials, name):
    r = client.get("/me", headers=basic(*credentials))
    assert r.status_code == 200
    assert r.json() == {"user": name}


def test_a_password_sent_as_latin_1_is_accepted_too(client):
    # Flask-HTTPAuth decodes UTF-8 and falls back to Latin-1; the FastAPI app does the same.
    r = client.get("/me", headers=basic(*BOB, "latin-1"))
    assert r.status_code == 200
    assert r.json() == {"user": "bob"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("alice", "wrong"),
        basic("mallory", ALICE[1]),
        basic("", ""),
        basic("alïce\x00", "😀"),
        {"authorization": "Basic"},
        {"authorization": "Basic !!!not-base64"},
        {"authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
        {"authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()},
        {"authorization": f"Bearer {TOKEN}"},
        {"authorization": "garbage"},
    ],
    ids=[
        "none", "wrong", "unknown", "empty", "non-ascii", "no-credentials", "not-base64",
        "no-colon", "invalid-utf8", "other-scheme", "garbage",
    ],
)  # fmt: skip
def test_basic_auth_refusals_are_401_with_the_realm(client, headers):
    assert_refused(client.get("/me", headers=headers), 401, BASIC_REALM)


def test_role_allows_the_admin(client):
    r = client.get("/admin", headers=basic(*ALICE))
    assert r.status_code == 200
    assert r.json() == {"admin": "alice"}


def test_role_refuses_another_user_with_403_and_still_the_challenge(client):
    assert_refused(client.get("/admin", headers=basic(*BOB)), 403, BASIC_REALM)


def test_role_route_without_credentials_is_401(client):
    assert_refused(client.get("/admin"), 401, BASIC_REALM)


def test_token_auth_succeeds(client):
    r = client.get("/api/me", headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert r.json() == {"user": "alice"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer"},
        {"authorization": "Bearer wrong"},
        {"authorization": f"Bearer {TOKEN}x"},
        {"authorization": f"Bearer {TOKEN[:-1]}"},
        basic(*ALICE),
    ],
    ids=["none", "no-token", "wrong", "longer", "prefix", "basic"],
)
def test_token_auth_refusals_are_401_with_the_realm(client, headers):
    assert_refused(client.get("/api/me", headers=headers), 401, BEARER_REALM)


def test_a_non_ascii_token_is_refused_not_500(client, framework, app):
    if framework == "flask":
        # httpx2's WSGI transport refuses non-ASCII header values; Werkzeug's client sends them.
        r = app.test_client().get("/api/me", headers={"Authorization": "Bearer t\u00e9st"})
        status, body, challenge = r.status_code, r.get_json(), r.headers["WWW-Authenticate"]
    else:
        r = client.get("/api/me", headers={"authorization": "Bearer t\u00e9st".encode("latin-1")})
        status, body, challenge = r.status_code, r.json(), r.headers["www-authenticate"]
    assert (status, body, challenge) == (401, {"error": "Unauthorized"}, BEARER_REALM)


@pytest.mark.parametrize(("path", "challenge"), [("/me", BASIC_REALM), ("/api/me", BEARER_REALM)])
def test_a_non_ascii_basic_header_is_refused_not_500(client, framework, app, path, challenge):
    """Not Base64 and not even ASCII: Werkzeug's parser and b64decode raise ValueError."""
    if framework == "flask":
        r = app.test_client().get(path, headers={"Authorization": "Basic \u00ff"})
        status, body, header = r.status_code, r.get_json(), r.headers["WWW-Authenticate"]
    else:
        r = client.get(path, headers={"authorization": b"Basic \xff"})
        status, body, header = r.status_code, r.json(), r.headers["www-authenticate"]
    assert (status, body, header) == (401, {"error": "Unauthorized"}, challenge)


@pytest.mark.change("bearer-401")
@pytest.mark.only("fastapi", reason="pins FastAPI's own HTTPBasic, which the app replaces")
def test_fastapi_httpbasic_defaults(framework):
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from fastapi.security import HTTPBasic, HTTPBasicCredentials, HTTPBearer
    from fastapi.testclient import TestClient

    app = FastAPI()
    plain, with_realm = HTTPBasic(), HTTPBasic(realm="Authentication Required")

    @app.get("/plain")
    def plain_route(c: Annotated[HTTPBasicCredentials, Depends(plain)]):
        return {"user": c.username}

    @app.get("/realm")
    def realm_route(c: Annotated[HTTPBasicCredentials, Depends(with_realm)]):
        return {"user": c.username}

    @app.get("/bearer")
    def bearer_route(c: Annotated[object, Depends(HTTPBearer())]):
        return {}

    with TestClient(app) as client:
        r = client.get("/bearer")
        bearer = (401, "Bearer") if has("bearer-401") else (403, None)  # the old answer
        assert (r.status_code, r.headers.get("www-authenticate")) == bearer
        assert r.json() == {"detail": "Not authenticated"}
        r = client.get("/plain")
        assert r.status_code == 401
        assert r.json() == {"detail": "Not authenticated"}
        assert r.headers["www-authenticate"] == "Basic"  # no realm unless given one
        assert client.get("/realm").headers["www-authenticate"] == BASIC_REALM
        # ASCII only: a UTF-8 password is refused before your code sees it.
        r = client.get("/plain", headers=basic(*BOB))
        assert r.status_code == 401
        assert client.get("/plain", headers=basic("bob", "ascii")).json() == {"user": "bob"}


@pytest.mark.only(
    "flask", reason="pins Flask-HTTPAuth's default error answer, which the app replaces"
)
def test_flask_httpauth_default_error_answer(framework):
    from flask import Flask
    from flask_httpauth import HTTPBasicAuth

    app = Flask(__name__)
    auth = HTTPBasicAuth()
    auth.verify_password(lambda username, password: None)

    @app.get("/")
    @auth.login_required
    def index():
        return "never"

    r = app.test_client().get("/")
    assert r.status_code == 401
    assert r.content_type == "text/html; charset=utf-8"
    assert r.get_data(as_text=True) == "Unauthorized Access"
    assert r.headers["WWW-Authenticate"] == BASIC_REALM
