"""flask-httpauth: Flask-HTTPAuth → HTTPBasic / HTTPBearer dependencies, with the same realm.

Non-ASCII credentials travel as UTF-8 inside Base64, so the header itself stays ASCII.
"""

import base64

import pytest

from guidekit.harness import client_for, load_module
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


# An API written for Flask-HTTPAuth's Basic auth often takes a token as the user name
# with an empty password (`curl -u <token>:`), so that one HTTPBasicAuth serves both.
def _add_password_or_token_route(framework, snippet):
    if framework == "flask":
        # --8<-- [start:flask-token-as-username]
        from flask_httpauth import HTTPBasicAuth

        either_auth = HTTPBasicAuth()

        @either_auth.verify_password
        def verify_password_or_token(username_or_token: str, password: str):
            if password == "":  # the token as the user name: `curl -u <token>:`
                return snippet.verify_token(username_or_token)
            return snippet.verify_password(username_or_token, password)

        either_auth.error_handler(snippet.auth_error)

        @snippet.app.get("/api/v1/me")
        @either_auth.login_required
        def api_v1_me():
            return {"user": either_auth.current_user().name}

        # --8<-- [end:flask-token-as-username]
        return
    # --8<-- [start:fastapi-token-as-username]
    from typing import Annotated

    from fastapi import Depends
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBasicCredentials

    AuthError, verify_token, verify_password = (
        snippet.AuthError,
        snippet.verify_token,
        snippet.verify_password,
    )

    def verify_password_or_token(
        credentials: Annotated[HTTPBasicCredentials | None, Depends(snippet.basic)],
    ):
        if credentials and credentials.password == "":  # `curl -u <token>:`
            token = HTTPAuthorizationCredentials(scheme="Bearer", credentials=credentials.username)
            try:
                return verify_token(token)
            except AuthError:
                raise AuthError(401, "Basic") from None  # the challenge of the scheme used
        return verify_password(credentials)

    @snippet.app.get("/api/v1/me")
    def api_v1_me(user: Annotated[snippet.User, Depends(verify_password_or_token)]):
        return {"user": user.name}

    # --8<-- [end:fastapi-token-as-username]


@pytest.mark.parametrize(
    ("credentials", "user"),
    [((TOKEN, ""), "alice"), (ALICE, "alice"), (("wrong-token", ""), None), (("", ""), None)],
    ids=["token-as-username", "password", "wrong-token", "empty"],
)
def test_a_token_as_the_basic_user_name(framework, snippet, credentials, user):
    _add_password_or_token_route(framework, snippet)
    with client_for(framework, snippet.app) as client:
        r = client.get("/api/v1/me", headers=basic(*credentials))
        if user:
            assert (r.status_code, r.json()) == (200, {"user": user})
        else:
            assert_refused(r, 401, BASIC_REALM)
        assert_refused(client.get("/api/v1/me"), 401, BASIC_REALM)  # no credentials


@pytest.mark.only("fastapi", reason="FastAPI's own HTTPBasic, for readers who keep it")
def test_fastapis_httpbasic_takes_an_empty_password(framework):
    import asyncio

    from fastapi.security import HTTPBasic
    from starlette.requests import Request

    header = basic(TOKEN, "")["authorization"].encode()
    scope = {"type": "http", "headers": [(b"authorization", header)]}
    credentials = asyncio.run(HTTPBasic()(Request(scope)))
    assert (credentials.username, credentials.password) == (TOKEN, "")
