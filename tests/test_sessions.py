"""sessions: flask.session → Starlette's SessionMiddleware (signed cookies, their flags)."""

import base64
import json
import re
import zlib

import pytest

from guidekit.harness import client_for, load_app
from tests.expect import assert_method_not_allowed, has, route_methods

# Both sign a base64 JSON payload; the cookie value is "<payload>.<timestamp>.<signature>".
COOKIE_VALUE = r"[A-Za-z0-9_\-=]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"

# Exactly what each side sends when it stores a session (value elided).
SET_COOKIE = {
    "flask": rf"session={COOKIE_VALUE}; HttpOnly; Path=/; SameSite=Lax",
    "fastapi": rf"session={COOKIE_VALUE}; path=/; Max-Age=1209600; httponly; samesite=lax",
}
# ... and when the session is cleared.
CLEARED = {
    "flask": (
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/; SameSite=Lax"
    ),
    "fastapi": (
        "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax"
    ),
}


def forged(payload: dict) -> str:
    """A session cookie whose payload says what we like, with a signature that cannot match."""
    data = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"session={data}.forged.signature"


def test_a_value_survives_across_requests(client):
    assert client.get("/visits").json() == {"visits": 1}
    assert client.get("/visits").json() == {"visits": 2}
    r = client.get("/visits")
    assert r.status_code == 200
    assert r.json() == {"visits": 3}


@pytest.mark.change("session-vary-cookie")
def test_set_cookie_flags(client, framework):
    r = client.get("/visits")
    varies = framework == "flask" or has("session-vary-cookie")
    assert r.headers.get("vary") == ("Cookie" if varies else None)
    [cookie] = r.headers.get_list("set-cookie")
    assert re.fullmatch(SET_COOKIE[framework], cookie), cookie


def test_no_secure_flag_unless_asked(client):
    cookie = client.get("/visits").headers["set-cookie"]
    assert "secure" not in cookie.lower()


def test_https_only_adds_secure(framework, monkeypatch):
    monkeypatch.setenv("HTTPS_ONLY", "1")
    with client_for(framework, load_app("sessions", framework)) as client:
        cookie = client.get("/visits").headers["set-cookie"]
    expected = {"flask": "; Secure; HttpOnly; Path=/; SameSite=Lax", "fastapi": "; secure"}
    assert cookie.endswith(expected[framework]), cookie


def test_payload_is_readable_but_signed(client):
    """Signed, not encrypted: anyone holding the cookie can read what it says."""
    value = client.get("/visits").cookies["session"]
    payload = value.split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert json.loads(decoded) == {"visits": 1}


@pytest.mark.parametrize("how", ["forged-payload", "garbage", "truncated-signature"])
def test_a_tampered_cookie_gives_an_empty_session(client, how):
    real = client.get("/visits").cookies["session"]
    cookie = {
        "forged-payload": forged({"visits": 99}),
        "garbage": "session=not-a-session",
        "truncated-signature": f"session={real[:-4]}",
    }[how]
    # An explicit Cookie header replaces the client's cookie jar for this request.
    r = client.get("/visits", headers={"cookie": cookie})
    assert r.status_code == 200
    assert r.json() == {"visits": 1}


def test_a_cookie_signed_with_another_key_is_ignored(framework, monkeypatch):
    with client_for(framework, load_app("sessions", framework)) as client:
        old = client.get("/visits").cookies["session"]
    monkeypatch.setenv("SECRET_KEY", "rotated-demo-key")
    with client_for(framework, load_app("sessions", framework)) as client:
        r = client.get("/visits", headers={"cookie": f"session={old}"})
    assert r.json() == {"visits": 1}


def test_cookies_do_not_carry_over_between_frameworks(framework):
    """Same secret, same cookie name, different format: switching logs everyone out."""
    other = {"flask": "fastapi", "fastapi": "flask"}[framework]
    with client_for(other, load_app("sessions", other)) as client:
        for _ in range(3):
            foreign = client.get("/visits").cookies["session"]
    with client_for(framework, load_app("sessions", framework)) as client:
        r = client.get("/visits", headers={"cookie": f"session={foreign}"})
    assert r.json() == {"visits": 1}


def test_clearing_the_session_expires_the_cookie(client, framework):
    client.get("/visits")
    r = client.post("/reset")
    assert r.status_code == 200
    assert r.json() == {"visits": 0}
    assert r.headers.get_list("set-cookie") == [CLEARED[framework]]
    assert "session" not in client.cookies
    assert client.get("/visits").json() == {"visits": 1}


def test_clearing_a_session_that_never_existed(client, framework):
    """Flask sends the expiring cookie anyway; Starlette sends nothing."""
    r = client.post("/reset")
    assert r.json() == {"visits": 0}
    expected = {"flask": [CLEARED["flask"]], "fastapi": []}[framework]
    assert r.headers.get_list("set-cookie") == expected


def test_wrong_method_is_405(client, framework):
    assert_method_not_allowed(client.get("/reset"), framework, route_methods("POST"))


@pytest.mark.change("session-saved-when-assigned")
def test_a_mutated_value_is_not_saved(framework, app):
    """Both sessions track assignments, not changes inside a stored list (the pitfall)."""

    def add(session, item):
        cart = session.get("cart")
        if cart is None:
            session["cart"] = [item]  # an assignment: the session is saved
        else:
            cart.append(item)  # a mutation: nothing marks the session as modified
        return {"cart": session["cart"]}

    if framework == "flask":
        from flask import session

        app.add_url_rule("/cart/<item>", "cart", lambda item: add(session, item), methods=["POST"])
    else:
        from fastapi import Request

        @app.post("/cart/{item}")
        def cart(item: str, request: Request):
            return add(request.session, item)

    with client_for(framework, app) as client:
        first = client.post("/cart/a")
        assert first.json() == {"cart": ["a"]}
        assert "set-cookie" in first.headers
        second = client.post("/cart/b")
        assert second.json() == {"cart": ["a", "b"]}  # changed in memory...
        if framework == "fastapi" and not has("session-saved-when-assigned"):
            assert "set-cookie" in second.headers  # the old answer: sent with every answer
            assert client.post("/cart/c").json() == {"cart": ["a", "b", "c"]}
            return
        assert "set-cookie" not in second.headers  # ...but never sent back
        assert client.post("/cart/c").json() == {"cart": ["a", "c"]}  # "b" was lost


@pytest.mark.only("flask", reason="Starlette's SessionMiddleware never compresses")
def test_a_large_flask_session_is_zlib_compressed_behind_a_leading_dot(app):
    """itsdangerous compresses when that is shorter: `.` + base64url(zlib(JSON))."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"note": "a" * 200})
    assert value.startswith(".")
    payload = value[1:].split(".")[0]
    raw = zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert json.loads(raw) == {"note": "a" * 200}
    assert not serializer.dumps({"visits": 1}).startswith(".")  # too small to gain


@pytest.mark.only(
    "fastapi", reason="Flask's session exists in every hook; ASGI layers have an order"
)
def test_a_function_middleware_added_after_the_session_layer_cannot_read_it(framework):
    """The last layer added runs first: an `@app.middleware("http")` added after
    `SessionMiddleware` runs before the session exists, and `request.session` raises."""
    import secrets

    from fastapi import FastAPI, Request
    from fastapi.testclient import TestClient
    from starlette.middleware.sessions import SessionMiddleware

    async def note_visit(request: Request, call_next):
        request.session["seen"] = True
        return await call_next(request)

    def build(session_added_first: bool) -> FastAPI:
        app = FastAPI()
        layers = [
            lambda: app.add_middleware(SessionMiddleware, secret_key=secrets.token_hex(32)),
            lambda: app.middleware("http")(note_visit),
        ]
        for add in layers if session_added_first else reversed(layers):
            add()

        @app.get("/")
        def index(request: Request):
            return {"seen": request.session.get("seen", False)}

        return app

    with (
        TestClient(build(session_added_first=True)) as client,
        pytest.raises(AssertionError, match="SessionMiddleware must be installed"),
    ):
        client.get("/")
    with TestClient(build(session_added_first=False)) as client:
        r = client.get("/")
        assert (r.status_code, r.json()) == (200, {"seen": True})
        assert r.headers["set-cookie"].startswith("session=")
