"""flask-login: Flask-Login → a current-user dependency over Starlette's signed session.

Both apps set Secure cookies, so the client talks to https://testserver (a cookie jar
does not send a Secure cookie over http).
"""

import pytest

from guidekit.harness import load_module
from tests.expect import assert_redirect, set_cookies

PASSWORD = "correct horse battery staple"  # snippets/flask-login/env.toml
NOT_AUTHENTICATED = {"detail": "Not authenticated"}


@pytest.fixture
def client(client):
    client.base_url = "https://testserver"
    return client


def log_in(client, remember: bool = False, next_: str | None = None):
    data = {"username": "alice", "password": PASSWORD} | ({"remember": "1"} if remember else {})
    return client.post("/login", data=data, params={"next": next_} if next_ else None)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALICE_PASSWORD"])
def test_refuses_to_start_without_its_secrets(framework, topic, missing, monkeypatch):
    monkeypatch.delenv(missing, raising=False)
    env = {"SECRET_KEY": "k" * 40, "ALICE_PASSWORD": "p"}
    del env[missing]
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


def test_anonymous_user_in_the_template(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.text == "<p>Hello, anonymous!</p>"


def test_login_page_is_a_form(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<input name="remember" type="checkbox" value="1">' in r.text


def test_login_redirects_with_303_and_current_user_is_set(client):
    r = log_in(client)
    assert_redirect(r, 303, "/")
    assert client.get("/").text == "<p>Hello, Alice!</p>"
    assert client.get("/profile").text == "<h1>Alice</h1>"
    r = client.get("/api/me")
    assert r.status_code == 200
    assert r.json() == {"id": "alice", "name": "Alice"}


@pytest.mark.parametrize(
    "data",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "mallory", "password": PASSWORD},
        {"username": "alice"},
        {"password": PASSWORD},
        {},
        {"username": "alïce\x00", "password": "pässwörd😀"},
    ],
    ids=["wrong-password", "unknown-user", "no-password", "no-username", "empty", "non-ascii"],
)
def test_bad_login_is_refused_with_401_and_sets_no_user(client, data):
    r = client.post("/login", data=data)
    assert r.status_code == 401
    assert r.text == "Invalid username or password."
    assert "remember_token" not in set_cookies(r)
    assert client.get("/").text == "<p>Hello, anonymous!</p>"


def test_login_sent_as_json_is_refused(client):
    r = client.post("/login", json={"username": "alice", "password": PASSWORD})
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("path", "next_"),
    [
        ("/profile", "/profile"),
        ("/settings", "/settings"),
        ("/profile?tab=a&b=1", "/profile?tab=a&b=1"),
    ],
)
def test_anonymous_html_route_redirects_to_login_with_next(client, path, next_):
    from urllib.parse import urlencode

    r = client.get(path)
    assert_redirect(r, 302, "/login?" + urlencode({"next": next_}))


def test_anonymous_api_route_answers_401_json(client):
    r = client.get("/api/me")
    assert r.status_code == 401
    assert r.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/profile", "/profile"),
        ("/settings?x=1&y=%2F", "/settings?x=1&y=%2F"),
        ("/caf\u00e9?q=\u00e9 \U0001f600", "/caf%C3%A9?q=%C3%A9%20%F0%9F%98%80"),
        ("/%2F/evil.example", "/%2F/evil.example"),  # a path: browsers do not decode %2F here
    ],
)
def test_login_follows_a_safe_next(client, target, location):
    assert_redirect(log_in(client, next_=target), 303, location)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\nLocation: //evil.example",
        "/\x7f",
        "",
    ],
)
def test_login_never_redirects_to_another_host(client, target):
    assert_redirect(log_in(client, next_=target), 303, "/")


def test_session_cookie_flags(client, framework):
    cookie = set_cookies(log_in(client))["session"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"


def test_login_without_remember_sets_no_remember_cookie(client):
    assert "remember_token" not in set_cookies(log_in(client))


def test_remember_cookie_flags(client):
    cookie = set_cookies(log_in(client, remember=True))["remember_token"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["expires"] or cookie["max-age"]


def test_fresh_login_reaches_the_fresh_only_route(client):
    log_in(client)
    r = client.get("/settings")
    assert r.status_code == 200
    assert r.text == "<h1>Settings of Alice</h1>"


def test_remember_cookie_restores_the_user_but_not_freshness(client):
    log_in(client, remember=True)
    client.cookies.delete("session")  # the browser was closed: the session cookie is gone
    assert client.get("/profile").text == "<h1>Alice</h1>"
    # Restored from the remember-me cookie: not fresh, so back to the login form.
    assert_redirect(client.get("/settings"), 302, "/login?next=%2Fsettings")
    # Logging in again with the password makes it fresh.
    log_in(client)
    assert client.get("/settings").status_code == 200


@pytest.mark.parametrize("value", ["garbage", "alice|0000", "alice", "mallory|x", "alice|\x00"])
def test_forged_remember_cookie_is_anonymous(client, value):
    r = client.get("/", headers={"cookie": f"remember_token={value}"})
    assert r.status_code == 200
    assert r.text == "<p>Hello, anonymous!</p>"


def test_logout_forgets_the_user_and_the_remember_cookie(client):
    log_in(client, remember=True)
    r = client.post("/logout")
    assert_redirect(r, 303, "/login")
    remember = set_cookies(r)["remember_token"]
    assert remember.value == ""  # deleted: empty value, expiry in the past
    assert client.get("/").text == "<p>Hello, anonymous!</p>"
    assert client.get("/api/me").status_code == 401


def test_cookies_copied_before_logout_still_work_after_it(client):
    """Logging out clears the browser's cookies, not copies of them: neither app revokes."""
    log_in(client, remember=True)
    session = client.cookies["session"]
    remember = client.cookies["remember_token"]
    client.post("/logout")
    for cookie in (f"session={session}", f"remember_token={remember}"):
        client.cookies.clear()
        r = client.get("/api/me", headers={"cookie": cookie})
        assert r.status_code == 200, cookie
        assert r.json()["id"] == "alice"


@pytest.mark.only("flask", reason="Flask-Login's remember-me cookie carries no timestamp")
def test_flask_login_remember_cookie_is_the_id_and_an_hmac(client, app):
    import hashlib
    import hmac

    log_in(client, remember=True)
    user_id, digest = client.cookies["remember_token"].rsplit("|", 1)
    key = app.config["SECRET_KEY"].encode()
    assert user_id == "alice"
    assert digest == hmac.new(key, b"alice", hashlib.sha512).hexdigest()


@pytest.mark.only("fastapi", reason="the FastAPI remember-me cookie is timestamped")
def test_remember_cookie_expires_on_the_server(client, snippet):
    signer = snippet.remember_signer
    old = signer.dumps("alice")
    # Checked with a max_age of -1 second: as if REMEMBER_SECONDS had passed, no clock.
    with pytest.raises(snippet.BadSignature):
        signer.loads(old, max_age=-1)
    snippet.REMEMBER_SECONDS = -1
    r = client.get("/", headers={"cookie": f"remember_token={old}"})
    assert r.text == "<p>Hello, anonymous!</p>"


@pytest.mark.only("fastapi", reason="pins the default of Starlette's RedirectResponse")
def test_redirect_response_defaults_to_307(framework):
    from fastapi.responses import RedirectResponse

    assert RedirectResponse("/login").status_code == 307


def test_redirect_to_login_flashes_a_message_only_in_flask(client, framework):
    r = client.get("/profile")
    # Flask-Login flashes "Please log in to access this page." into the session cookie.
    assert ("session" in set_cookies(r)) == {"flask": True, "fastapi": False}[framework]


def test_valid_remember_cookie_of_a_deleted_user_is_anonymous(client, framework, snippet):
    if framework == "flask":
        from flask_login.utils import encode_cookie

        with snippet.app.app_context():
            token = encode_cookie("mallory")
    else:
        token = snippet.remember_signer.dumps("mallory")
    r = client.get("/api/me", headers={"cookie": f"remember_token={token}"})
    assert r.status_code == 401


@pytest.mark.parametrize("path", ["/profile?q=%C3%A9", "/settings?tab=a%20b"])
def test_after_login_the_user_gets_back_to_the_page_they_asked_for(client, path):
    from urllib.parse import parse_qs, urlsplit

    login_url = client.get(path).headers["location"]
    next_ = parse_qs(urlsplit(login_url).query)["next"][0]
    assert_redirect(log_in(client, next_=next_), 303, path)


def test_the_loader_reads_the_database_at_every_request(client, framework, snippet):
    """The user comes from the table at each request (Flask's `user_loader`, FastAPI's
    `current_user` through `SessionDep`): a row deleted after login is anonymous next time."""
    assert_redirect(log_in(client), 303, "/")
    r = client.get("/api/me")
    assert (r.status_code, r.json()) == (200, {"id": "alice", "name": "Alice"})
    if framework == "flask":
        with snippet.app.app_context():
            snippet.db.session.delete(snippet.db.session.get(snippet.User, "alice"))
            snippet.db.session.commit()
    else:
        with snippet.Session(snippet.engine) as session:
            session.delete(session.get(snippet.User, "alice"))
            session.commit()
    r = client.get("/api/me")
    assert (r.status_code, r.json()) == (401, {"detail": "Not authenticated"})
    assert r.headers["content-type"] == "application/json"
    assert client.get("/").text == "<p>Hello, anonymous!</p>"


@pytest.mark.only("fastapi", reason="FastAPI's dependency cache")
def test_the_view_and_current_user_share_one_database_session(client, snippet):
    """FastAPI runs `get_session` once per request: `current_user` and a view that both ask
    for `SessionDep` get the same session, as Flask's loader and view share `db.session`."""

    @snippet.app.get("/same-session")
    def same_session(session: snippet.SessionDep, user: snippet.CurrentUser):
        return {"same": snippet.Session.object_session(user) is session}

    log_in(client)
    r = client.get("/same-session")
    assert r.status_code == 200, r.text
    assert r.json() == {"same": True}
