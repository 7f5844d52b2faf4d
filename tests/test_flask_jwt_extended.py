"""flask-jwt-extended: Flask-JWT-Extended → PyJWT in dependencies, keeping the old answers.

The FastAPI app answers in Flask-JWT-Extended's shape (`{"msg": ...}`, 401 or 422) so that
existing clients keep working; `test_httpbearer_answers_in_fastapis_own_shape` pins what
FastAPI's HTTPBearer would answer instead.
"""

from datetime import timedelta

import jwt
import pytest

from guidekit.harness import client_for, demo_environ, load_module
from tests.expect import has, set_cookies

KEY = "test-only-jwt-key-not-for-production-0123456789"  # snippets/flask-jwt-extended/env.toml
GOOD = {"username": "alice", "password": "correct horse battery staple"}
NO_BEARER = (
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
)
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"


@pytest.fixture
def client(client):
    client.base_url = "https://testserver"  # the cookies are Secure
    return client


def tokens(client) -> dict[str, str]:
    r = client.post("/login", json=GOOD)
    assert r.status_code == 200, r.text
    return r.json()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def make_token(framework, snippet, kind="access", **kwargs) -> str:
    """A token from the app's own create_*_token (Flask's need an app context)."""
    create = getattr(snippet, f"create_{kind}_token")
    if framework == "flask":
        with snippet.app.app_context():
            return create(identity="alice", **kwargs)
    return create("alice", **kwargs)


def assert_msg(r, framework, status: int, msg: str) -> None:
    """Flask-JWT-Extended's answer; the FastAPI app adds WWW-Authenticate to its 401s."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"msg": msg}
    www = {"flask": None, "fastapi": "Bearer" if status == 401 else None}[framework]
    assert r.headers.get("www-authenticate") == www


@pytest.mark.parametrize("missing", ["JWT_SECRET_KEY", "ALICE_PASSWORD"])
def test_refuses_to_start_without_its_secrets(framework, topic, missing, monkeypatch):
    monkeypatch.delenv(missing, raising=False)
    env = {"JWT_SECRET_KEY": KEY, "ALICE_PASSWORD": "p"}
    del env[missing]
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


def test_login_returns_an_access_and_a_refresh_token(client):
    body = tokens(client)
    assert set(body) == {"access_token", "refresh_token"}
    access = jwt.decode(body["access_token"], KEY, algorithms=["HS256"])
    refresh = jwt.decode(body["refresh_token"], KEY, algorithms=["HS256"])
    assert access["sub"] == refresh["sub"] == "alice"
    assert (access["type"], refresh["type"]) == ("access", "refresh")
    assert access["fresh"] is False
    assert access["exp"] - access["iat"] == 15 * 60  # Flask-JWT-Extended's default
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 60 * 60
    assert access["jti"] != refresh["jti"]


JSON_HEADER = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "request_",
    [
        {"json": {"username": "alice", "password": "wrong"}},
        {"json": {"username": "mallory", "password": GOOD["password"]}},
        {"json": {"username": "alice"}},
        {"json": {}},
        {"json": [GOOD]},
        {"json": {"username": ["alice"], "password": 1}},
        {"json": {"username": "alice", "password": 1.5}},
        {"content": b'{"username": "alice", "password": NaN}', "headers": JSON_HEADER},
        {"json": {"username": "alïce\x00", "password": "pässwörd😀"}},
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        {"data": GOOD},
        # argon2 encodes the password as UTF-8, which a lone surrogate has no form in
        {"content": b'{"username": "alice", "password": "\\ud800"}', "headers": JSON_HEADER},
        # json.loads raises RecursionError, not ValueError, however it is called
        {"content": b"[" * 5000 + b"]" * 5000, "headers": JSON_HEADER},
    ],
    ids=[
        "wrong",
        "unknown",
        "no-password",
        "empty",
        "list",
        "types",
        "float",
        "nan",
        "non-ascii",
        "bad-json",
        "form",
        "lone-surrogate",
        "deep-json",
    ],
)
def test_bad_login_answers_401(client, framework, request_):
    assert_msg(client.post("/login", **request_), framework, 401, "Bad username or password")


def test_access_token_in_the_header(client):
    r = client.get("/me", headers=bearer(tokens(client)["access_token"]))
    assert r.status_code == 200
    assert r.json() == {"user": "alice"}


@pytest.mark.parametrize(
    ("headers", "status", "msg"),
    [
        ({}, 401, "Missing Authorization Header"),
        ({"authorization": ""}, 401, "Missing Authorization Header"),
        ({"authorization": "Basic YWxpY2U6eA=="}, 401, NO_BEARER),
        ({"authorization": "bearer x.y.z"}, 401, NO_BEARER),  # the scheme is case-sensitive
        ({"authorization": "Bearer"}, 422, BAD_HEADER),
        ({"authorization": "Bearer a b"}, 422, BAD_HEADER),
        ({"authorization": "Bearer garbage"}, 422, "Not enough segments"),
        ({"authorization": "Bearer a.b.c"}, 422, "Invalid header padding"),
    ],
    ids=["none", "empty", "basic", "lowercase", "no-token", "two-tokens", "garbage", "three-parts"],
)
def test_error_answers_of_the_header(client, framework, headers, status, msg):
    assert_msg(client.get("/me", headers=headers), framework, status, msg)


def test_token_signed_with_another_key_is_422(client, framework):
    token = jwt.encode({"sub": "alice", "jti": "x", "exp": 4102444800}, "another-key" * 4)
    r = client.get("/me", headers=bearer(token))
    assert_msg(r, framework, 422, "Signature verification failed")


def test_expired_token_is_401(client, framework, snippet):
    token = make_token(framework, snippet, expires_delta=timedelta(seconds=-1))
    assert_msg(client.get("/me", headers=bearer(token)), framework, 401, "Token has expired")


def test_refresh_token_is_refused_where_an_access_token_is_required(client, framework):
    r = client.get("/me", headers=bearer(tokens(client)["refresh_token"]))
    assert_msg(r, framework, 422, "Only non-refresh tokens are allowed")


def test_access_token_is_refused_on_the_refresh_route(client, framework):
    r = client.post("/refresh", headers=bearer(tokens(client)["access_token"]))
    assert_msg(r, framework, 422, "Only refresh tokens are allowed")


def test_refresh_gives_a_new_access_token(client):
    r = client.post("/refresh", headers=bearer(tokens(client)["refresh_token"]))
    assert r.status_code == 200
    new = r.json()["access_token"]
    assert jwt.decode(new, KEY, algorithms=["HS256"])["type"] == "access"
    assert client.get("/me", headers=bearer(new)).json() == {"user": "alice"}


@pytest.mark.parametrize(
    ("headers", "hello"),
    [({}, "stranger"), ({"authorization": "Basic YWxpY2U6eA=="}, "stranger")],
    ids=["no-header", "other-scheme"],
)
def test_optional_route_without_a_token(client, headers, hello):
    r = client.get("/greeting", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"hello": hello}


def test_optional_route_with_a_token(client):
    r = client.get("/greeting", headers=bearer(tokens(client)["access_token"]))
    assert r.json() == {"hello": "alice"}


@pytest.mark.parametrize(
    ("header", "msg"), [("Bearer garbage", "Not enough segments"), ("Bearer", BAD_HEADER)]
)
def test_optional_route_still_refuses_a_bad_token(client, framework, header, msg):
    r = client.get("/greeting", headers={"authorization": header})
    assert_msg(r, framework, 422, msg)


@pytest.mark.parametrize("kind", ["access_token", "refresh_token"])
def test_logout_revokes_the_token_it_was_sent_with(client, framework, kind):
    both = tokens(client)
    other = tokens(client)["access_token"]
    r = client.delete("/logout", headers=bearer(both[kind]))
    assert r.status_code == 200
    assert r.json() == {"msg": "Token revoked"}
    route = {"access_token": ("GET", "/me"), "refresh_token": ("POST", "/refresh")}[kind]
    r = client.request(*route, headers=bearer(both[kind]))
    assert_msg(r, framework, 401, "Token has been revoked")
    assert client.get("/me", headers=bearer(other)).status_code == 200  # only that token


def test_a_token_issued_by_the_other_app_is_accepted(client, framework, topic):
    """Same key, same claims: tokens issued before the move keep working after it."""
    other = {"flask": "fastapi", "fastapi": "flask"}[framework]
    issued = make_token(other, load_module(topic, other))
    r = client.get("/me", headers=bearer(issued))
    assert r.status_code == 200
    assert r.json() == {"user": "alice"}


def test_cookie_login_sets_the_token_and_csrf_cookies(client):
    r = client.post("/web/login", json=GOOD)
    assert r.status_code == 200
    assert r.json() == {"msg": "Logged in"}
    cookies = set_cookies(r)
    access, csrf = cookies["access_token_cookie"], cookies["csrf_access_token"]
    assert (access["secure"], access["httponly"], access["samesite"].lower()) == (True, True, "lax")
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"].lower()) == (True, "", "lax")
    assert not access["expires"] and not access["max-age"]  # a browser-session cookie
    claims = jwt.decode(access.value, KEY, algorithms=["HS256"])
    assert claims["csrf"] == csrf.value  # the double submit compares these two


def test_bad_cookie_login_is_401(client, framework):
    r = client.post("/web/login", json={"username": "alice", "password": "x"})
    assert_msg(r, framework, 401, "Bad username or password")
    assert "set-cookie" not in r.headers


def test_cookie_route_checks_the_csrf_double_submit(client, framework):
    client.post("/web/login", json=GOOD)
    assert_msg(client.post("/web/notes"), framework, 401, "Missing CSRF token")
    r = client.post("/web/notes", headers={"x-csrf-token": "forged"})
    assert_msg(r, framework, 401, "CSRF double submit tokens do not match")
    r = client.post("/web/notes", headers={"x-csrf-token": client.cookies["csrf_access_token"]})
    assert r.status_code == 201
    assert r.json() == {"saved_by": "alice"}


def test_cookie_route_ignores_the_authorization_header(client, framework):
    r = client.post("/web/notes", headers=bearer(tokens(client)["access_token"]))
    assert_msg(r, framework, 401, 'Missing cookie "access_token_cookie"')


def test_non_ascii_csrf_header_is_a_mismatch_not_a_500(client, framework, app):
    if framework == "flask":
        # httpx2's WSGI transport refuses non-ASCII header values; Werkzeug's client sends them.
        werkzeug = app.test_client()
        werkzeug.post("/web/login", json=GOOD)
        r = werkzeug.post("/web/notes", headers={"X-CSRF-TOKEN": "é"})
        body = r.get_json()
    else:
        client.post("/web/login", json=GOOD)
        r = client.post("/web/notes", headers={"x-csrf-token": "é".encode("latin-1")})
        body = r.json()
    assert r.status_code == 401
    assert body == {"msg": "CSRF double submit tokens do not match"}


@pytest.mark.change("bearer-401")
@pytest.mark.only("fastapi", reason="pins FastAPI's HTTPBearer answers, which the app replaces")
def test_httpbearer_answers_in_fastapis_own_shape(framework):
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from fastapi.security import HTTPBearer
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/me")
    def me(credentials: Annotated[object, Depends(HTTPBearer())]):
        return {}

    with TestClient(app) as plain:
        for headers in ({}, {"authorization": "Basic YWxpY2U6eA=="}):
            r = plain.get("/me", headers=headers)
            if not has("bearer-401"):  # the old answer: 403, another detail for another scheme
                detail = "Invalid authentication credentials" if headers else "Not authenticated"
                assert (r.status_code, r.headers.get("www-authenticate")) == (403, None)
                assert r.json() == {"detail": detail}
                continue
            assert r.json() == {"detail": "Not authenticated"}
            assert r.status_code == 401
            assert r.headers["www-authenticate"] == "Bearer"


def test_a_non_string_subject_is_refused(client, framework):
    token = jwt.encode({"sub": 1, "jti": "x", "type": "access", "exp": 4102444800}, KEY)
    assert_msg(client.get("/me", headers=bearer(token)), framework, 422, "Subject must be a string")


PREVIOUS_KEY = "test-only-previous-jwt-key-not-for-production-0123"
SIGNATURE = "Signature verification failed"


def test_the_decoding_key_is_chosen_per_token(framework, topic):
    """`@jwt.decode_key_loader` (Flask) and the `decoding_key` the dependency calls
    (FastAPI) pick the key from the token's header: a token signed with the previous key
    and marked `"kid": "previous"` is accepted while JWT_PREVIOUS_SECRET_KEY is set, and
    refused (422, the signature) once it is gone; the mark alone opens nothing."""
    env = {**demo_environ(topic), "JWT_PREVIOUS_SECRET_KEY": PREVIOUS_KEY}
    with client_for(framework, load_module(topic, framework, env=env).app) as client:
        claims = jwt.decode(tokens(client)["access_token"], KEY, algorithms=["HS256"])
        old = jwt.encode(claims, PREVIOUS_KEY, headers={"kid": "previous"})
        r = client.get("/me", headers=bearer(old))
        assert (r.status_code, r.json()) == (200, {"user": "alice"})
        unmarked = jwt.encode(claims, PREVIOUS_KEY)
        assert_msg(client.get("/me", headers=bearer(unmarked)), framework, 422, SIGNATURE)
        marked = jwt.encode(claims, KEY, headers={"kid": "previous"})
        assert_msg(client.get("/me", headers=bearer(marked)), framework, 422, SIGNATURE)
    env = {**demo_environ(topic), "JWT_PREVIOUS_SECRET_KEY": ""}  # rotation over
    with client_for(framework, load_module(topic, framework, env=env).app) as client:
        assert_msg(client.get("/me", headers=bearer(old)), framework, 422, SIGNATURE)
