"""flask-session: Flask-Session (cachelib backend) → starsessions over the same cachelib store.

Both keep the session on the server and put only its id in the cookie, so deleting the
record logs the user out even where a copy of the cookie survives. Each test gets its own
session directory. The client talks to https://testserver (the cookies are Secure).
"""

import json
import re
from http.cookies import SimpleCookie

import pytest

from guidekit.harness import demo_environ, load_module
from guidekit.hostile import Probe, send_all

PASSWORD = "correct horse battery staple"  # snippets/flask-session/env.toml
NOT_AUTHENTICATED = {"detail": "Not authenticated"}
SESSION_ID = {"flask": r"[A-Za-z0-9_-]{43}", "fastapi": r"[0-9a-f]{32}"}


@pytest.fixture
def snippet(topic, framework, tmp_path):
    return load_module(topic, framework, env=demo_environ(topic) | {"SESSION_DIR": str(tmp_path)})


@pytest.fixture
def client(client):
    client.base_url = "https://testserver"
    return client


def log_in(client, password=PASSWORD):
    return client.post("/login", data={"username": "alice", "password": password})


def session_cookie(r) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(r.headers["set-cookie"])
    return cookie


@pytest.mark.parametrize("missing", ["ALICE_PASSWORD", "SESSION_DIR"])
def test_refuses_to_start_without_its_settings(framework, topic, missing, monkeypatch, tmp_path):
    monkeypatch.delenv(missing, raising=False)
    env = {"ALICE_PASSWORD": "p", "SESSION_DIR": str(tmp_path)}
    del env[missing]
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


def test_login_then_me(client):
    r = log_in(client)
    assert r.status_code == 200
    assert r.json() == {"user": "alice"}
    r = client.get("/me")
    assert r.status_code == 200
    assert r.json() == {"user": "alice"}


@pytest.mark.parametrize(
    "data",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "mallory", "password": PASSWORD},
        {"username": "alice"},
        {},
        {"username": "alïce\x00", "password": "pässwörd😀"},
    ],
    ids=["wrong-password", "unknown-user", "no-password", "empty", "non-ascii"],
)
def test_bad_login_is_refused_and_sets_no_cookie(client, data):
    r = client.post("/login", data=data)
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid username or password"}
    assert "set-cookie" not in r.headers
    assert client.get("/me").json() == NOT_AUTHENTICATED


def test_anonymous_me_is_401(client):
    r = client.get("/me")
    assert r.status_code == 401
    assert r.json() == NOT_AUTHENTICATED


def test_cookie_holds_only_a_random_id(client, framework):
    cookie = session_cookie(log_in(client))["session"]
    assert re.fullmatch(SESSION_ID[framework], cookie.value)
    assert "alice" not in cookie.value
    other = SimpleCookie()
    other.load(log_in(client).headers["set-cookie"])
    assert other["session"].value != cookie.value  # a new id at each login


def test_session_data_lives_in_the_store(client, snippet, framework):
    sid = session_cookie(log_in(client))["session"].value
    cache = snippet.app.session_interface.cache if framework == "flask" else snippet.store.cache
    record = cache.get("session:" + sid)
    if framework == "flask":
        assert record == {"_permanent": True, "user": "alice"}
    else:
        assert json.loads(record)["user"] == "alice"  # JSON, with starsessions' metadata
        assert "__metadata__" in json.loads(record)


def test_cookie_flags(client, framework):
    cookie = session_cookie(log_in(client))["session"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    # Both last 31 days: Flask sends an Expires date, starsessions a Max-Age.
    assert {"flask": bool(cookie["expires"]), "fastapi": cookie["max-age"] == "2678400"}[framework]


def test_visits_count_on_the_server(client):
    assert [client.post("/visits").json()["visits"] for _ in range(3)] == [1, 2, 3]


def test_logout_deletes_the_record_so_a_copied_cookie_is_refused(client):
    """The revocation a signed-cookie session cannot do (see the Flask-Login page)."""
    log_in(client)
    stolen = client.cookies["session"]
    r = client.post("/logout")
    assert r.status_code == 200
    assert r.json() == {"detail": "Logged out"}
    assert client.get("/me").status_code == 401
    client.cookies.clear()
    r = client.get("/me", headers={"cookie": f"session={stolen}"})
    assert r.status_code == 401
    assert r.json() == NOT_AUTHENTICATED


def test_clearing_the_store_logs_everyone_out(client, snippet, framework):
    log_in(client)
    cache = snippet.app.session_interface.cache if framework == "flask" else snippet.store.cache
    cache.clear()  # an admin revoking every session, or the store restarting
    assert client.get("/me").status_code == 401


def test_login_replaces_the_id_an_attacker_planted(client):
    client.cookies.set("session", "a" * 32)
    r = log_in(client)
    assert r.status_code == 200
    assert session_cookie(r)["session"].value != "a" * 32


def test_unknown_id_is_kept_by_starsessions_only(client, framework):
    """Flask-Session replaces an id it does not know; starsessions stores under it."""
    chosen = "0123456789abcdef" * 2  # in the shape starsessions issues, but never issued
    client.cookies.set("session", chosen)
    r = client.post("/visits")
    assert r.json() == {"visits": 1}
    kept = session_cookie(r)["session"].value == chosen
    assert kept == {"flask": False, "fastapi": True}[framework]


@pytest.mark.parametrize(
    "value",
    ["chosen-by-the-client", "é✓".encode(), b"\xff", b'"\\377"'],
    ids=["other-shape", "utf-8", "latin-1", "octal-escape"],
)
def test_an_id_in_a_shape_never_issued_is_replaced(snippet, framework, value):
    """Not written back: starsessions alone would echo a non-ASCII id in `Set-Cookie`.

    Sent as a server passes it on (guidekit.hostile): both test clients refuse such bytes.
    """
    probe = Probe("POST", "/visits", "cookie", {"headers": {"cookie": b"session=" + _bytes(value)}})
    [r] = send_all(framework, snippet.app, [probe])
    assert r.status_code == 200
    assert r.json() == {"visits": 1}
    assert re.fullmatch(SESSION_ID[framework], session_cookie(r)["session"].value)


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


@pytest.mark.parametrize("value", ["", "../../etc/passwd", "x" * 4000, "%00", "caf%C3%A9"])
def test_hostile_session_cookie_is_anonymous(client, value):
    r = client.get("/me", headers={"cookie": f"session={value}"})
    assert r.status_code == 401
    assert r.json() == NOT_AUTHENTICATED
