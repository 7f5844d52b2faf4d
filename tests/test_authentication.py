"""authentication: Flask-Login sessions → OAuth2 password flow with JWT bearer tokens."""

from datetime import timedelta

import jwt
import pytest

from tests.expect import assert_default_error

GOOD = {"username": "alice", "password": "demo-password-not-secret"}
NOT_AUTHENTICATED = {"detail": "Not authenticated"}
INVALID = {"detail": "Could not validate credentials"}
INCORRECT = {"detail": "Incorrect username or password"}


def log_in(client, framework) -> dict[str, str]:
    """Log alice in; the headers later requests need (Flask's client keeps the cookie)."""
    r = client.post("/login", data=GOOD)
    assert r.status_code == 200
    if framework == "flask":
        return {}
    return {"authorization": f"Bearer {r.json()['access_token']}"}


def flask_session_cookie(app, user_id: str, *, issued_at: int | None = None, key=None) -> str:
    """A Flask session cookie as Flask-Login writes it, optionally signed long ago or elsewhere."""
    own_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = key or own_key
    serializer = app.session_interface.get_signing_serializer(app)  # keeps the key it got
    app.config["SECRET_KEY"] = own_key
    signer = serializer.make_signer()
    if issued_at is not None:
        signer.get_timestamp = lambda: issued_at  # a fixed moment, no clock involved
    value = signer.sign(serializer.dump_payload({"_user_id": user_id, "_fresh": True}))
    return f"session={value.decode()}"


def bad_credential(kind: str, framework: str, snippet) -> dict[str, str]:
    """Request headers carrying one kind of bad credential, in each framework's own form."""
    if framework == "flask":
        cookie = {
            "garbage": lambda: "session=garbage",
            "expired": lambda: flask_session_cookie(snippet.app, "alice", issued_at=0),
            "unknown-user": lambda: flask_session_cookie(snippet.app, "mallory"),
            "wrong-key": lambda: flask_session_cookie(
                snippet.app, "alice", key="another-key-that-is-long-enough-for-hs256"
            ),
        }[kind]()
        return {"cookie": cookie}
    token = {
        "garbage": lambda: "garbage",
        # exp one minute in the past, made with the snippet's own helper
        "expired": lambda: snippet.create_access_token("alice", timedelta(minutes=-1)),
        "unknown-user": lambda: snippet.create_access_token("mallory"),
        "wrong-key": lambda: jwt.encode(
            {"sub": "alice", "exp": 4102444800},
            "another-key-that-is-long-enough-for-hs256",
            algorithm="HS256",
        ),
    }[kind]()
    return {"authorization": f"Bearer {token}"}


def test_login_succeeds(client, framework, snippet):
    r = client.post("/login", data=GOOD)
    assert r.status_code == 200
    if framework == "flask":
        assert r.json() == {"username": "alice"}
        assert r.headers["set-cookie"].startswith("session=")
    else:
        body = r.json()
        assert body["token_type"] == "bearer"
        assert "set-cookie" not in r.headers
        claims = jwt.decode(body["access_token"], snippet.SECRET_KEY, algorithms=["HS256"])
        assert claims["sub"] == "alice"


@pytest.mark.only(
    "fastapi", reason="Flask-Login issues no token; the session cookie is the credential"
)
def test_token_expires_after_thirty_minutes(framework, snippet):
    claims = jwt.decode(
        snippet.create_access_token("alice"),
        snippet.SECRET_KEY,
        algorithms=["HS256"],
        options={"verify_exp": False},
    )
    assert set(claims) == {"sub", "exp"}
    assert snippet.ACCESS_TOKEN_EXPIRES.total_seconds() == 30 * 60


def test_protected_route_works_when_logged_in(client, framework):
    headers = log_in(client, framework)
    r = client.get("/users/me", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"username": "alice", "full_name": "Alice Example"}


def test_password_is_stored_as_argon2id(snippet):
    assert snippet.USERS["alice"].hashed_password.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    "form",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "bob", "password": "demo-password-not-secret"},
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_login_is_401(client, framework, form):
    r = client.post("/login", data=form)
    assert r.status_code == 401
    assert r.json() == INCORRECT
    assert r.headers.get("www-authenticate") == {"flask": None, "fastapi": "Bearer"}[framework]
    assert "set-cookie" not in r.headers


def test_login_without_fields(client, framework):
    """Flask's view sees empty strings; FastAPI's form dependency requires both fields."""
    r = client.post("/login", data={"username": "alice"})
    assert r.status_code == {"flask": 401, "fastapi": 422}[framework]
    if framework == "fastapi":
        [error] = r.json()["detail"]
        assert error["type"] == "missing"
        assert error["loc"] == ["body", "password"]


def test_login_is_a_form_post_not_json(client, framework):
    r = client.post("/login", json=GOOD)
    assert r.status_code == {"flask": 401, "fastapi": 422}[framework]


def test_missing_credential_is_401(client, framework):
    r = client.get("/users/me")
    assert r.status_code == 401
    if framework == "flask":
        # Flask-Login without a login_view calls abort(401): Werkzeug's HTML error page.
        assert_default_error(r, framework, 401)
        assert "www-authenticate" not in r.headers
    else:
        assert r.json() == NOT_AUTHENTICATED
        assert r.headers["www-authenticate"] == "Bearer"


def test_a_basic_auth_header_is_not_a_bearer_token(client, framework):
    r = client.get("/users/me", headers={"authorization": "Basic YWxpY2U6eA=="})
    assert r.status_code == 401
    if framework == "fastapi":
        assert r.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize("kind", ["garbage", "expired", "unknown-user", "wrong-key"])
def test_bad_credential_is_401(client, framework, snippet, kind):
    r = client.get("/users/me", headers=bad_credential(kind, framework, snippet))
    assert r.status_code == 401
    if framework == "flask":
        assert_default_error(r, framework, 401)
    else:
        assert r.json() == INVALID
        assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.only(
    "fastapi", reason="Flask-Login issues no token; the session cookie is the credential"
)
def test_a_token_without_expiry_is_refused(framework, snippet, client):
    token = jwt.encode({"sub": "alice"}, snippet.SECRET_KEY, algorithm="HS256")
    r = client.get("/users/me", headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json() == INVALID


def test_login_is_post_only(client):
    assert client.get("/login").status_code == 405


@pytest.mark.parametrize(
    "form",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "bob", "password": "demo-password-not-secret"},
    ],
    ids=["wrong-password", "unknown-user"],
)
def test_an_unknown_user_costs_one_hash_check_like_a_wrong_password(
    client, framework, snippet, monkeypatch, form
):
    # Counting, not timing: both failures run exactly one Argon2 verification.
    calls = []
    real_verify = snippet.password_hash.verify

    def counting_verify(*args, **kwargs):
        calls.append(args[0])
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(snippet.password_hash, "verify", counting_verify)
    assert client.post("/login", data=form).status_code == 401
    assert calls == [form["password"]]


def test_a_credential_copied_before_logout_still_works_until_it_expires(client, framework):
    """Logout does not revoke anything server-side, in either framework: pinned on purpose."""
    headers = log_in(client, framework)
    copied = (
        dict(headers)
        if framework == "fastapi"
        else {"cookie": f"session={client.cookies['session']}"}
    )
    r = client.post("/logout", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"detail": "Logged out"}
    if framework == "flask":
        assert client.get("/users/me").status_code == 401  # this client's cookie was replaced
        client.cookies.clear()
    r = client.get("/users/me", headers=copied)
    assert r.status_code == 200  # the copy still logs in
    assert r.json()["username"] == "alice"


@pytest.mark.only("flask", reason="itsdangerous comes with Flask; the FastAPI app signs JWTs")
def test_timed_json_web_signature_serializer_is_gone_use_a_timed_serializer(snippet, framework):
    """Apps written for itsdangerous < 2.1 made API tokens with
    `TimedJSONWebSignatureSerializer(secret, expires_in=...)`; 2.1 removed it (the JWS
    format is not supported any more). The nearest replacement keeps the same calls."""
    import itsdangerous

    assert not hasattr(itsdangerous, "TimedJSONWebSignatureSerializer")
    with pytest.raises(ImportError):
        from itsdangerous import TimedJSONWebSignatureSerializer  # noqa: F401

    # --8<-- [start:timed-serializer]
    from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(snippet.app.config["SECRET_KEY"], salt="api-token")
    token = serializer.dumps({"id": 1})  # the expiry moves from dumps to loads:
    assert serializer.loads(token, max_age=3600) == {"id": 1}
    # --8<-- [end:timed-serializer]
    with pytest.raises(SignatureExpired):
        serializer.loads(token, max_age=-1)  # older than allowed, without waiting
    with pytest.raises(BadSignature):
        serializer.loads("f" + token[1:], max_age=3600)  # the payload ('{"' is "eyJ") changed
    other = URLSafeTimedSerializer(snippet.app.config["SECRET_KEY"], salt="password-reset")
    with pytest.raises(BadSignature):  # the salt keeps one kind of token from passing as another
        other.loads(token, max_age=3600)
