"""password-hashes: hashes made by Flask-Bcrypt and Werkzeug keep verifying in FastAPI,
and become Argon2 at the next successful login.

Hashes are made here, at test time, by the libraries that made them in the Flask app
(cheap cost parameters where the test is not about the defaults), plus the committed
snippets/password-hashes/legacy_users.json (tools/make_legacy_hashes.py, default costs).
"""

import json
from pathlib import Path

import pytest
from flask_bcrypt import Bcrypt
from werkzeug.security import generate_password_hash

from guidekit.topics import SNIPPETS

PASSWORD = "correct horse battery staple"
LEGACY = json.loads((SNIPPETS / "password-hashes" / "legacy_users.json").read_text())
INCORRECT = {"detail": "Incorrect username or password"}


def flask_bcrypt_hash(password: str | bytes, rounds: int = 4) -> str:
    return Bcrypt().generate_password_hash(password, rounds=rounds).decode()


MAKERS = {
    "flask-bcrypt": lambda pw: flask_bcrypt_hash(pw),
    "werkzeug-scrypt": lambda pw: generate_password_hash(pw, method="scrypt:1024:8:1"),
    "werkzeug-pbkdf2": lambda pw: generate_password_hash(pw, method="pbkdf2:sha256:1000"),
    "werkzeug-pbkdf2-sha512": lambda pw: generate_password_hash(pw, method="pbkdf2:sha512:1000"),
}


def login(client, username: str, password: str):
    return client.post("/login", json={"username": username, "password": password})


def test_the_committed_hashes_are_what_they_claim(client):
    assert LEGACY["alice"].startswith("$2b$12$")  # Flask-Bcrypt's default: 12 rounds
    assert LEGACY["bob"].startswith("scrypt:32768:8:1$")  # Werkzeug's default method
    assert LEGACY["carol"].startswith("pbkdf2:sha256:1000000$")  # Werkzeug's pbkdf2 default
    assert Bcrypt().check_password_hash(LEGACY["alice"], PASSWORD)


@pytest.mark.parametrize("username", ["alice", "bob", "carol"])
def test_committed_legacy_hashes_verify(client, username):
    r = login(client, username, PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json() == {"user": username}


@pytest.mark.parametrize("kind", MAKERS)
def test_old_hash_verifies_and_is_replaced_by_argon2_in_fastapi_only(
    client, framework, snippet, kind
):
    old = MAKERS[kind](PASSWORD)
    snippet.USERS["dave"] = old
    r = login(client, "dave", PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json() == {"user": "dave"}
    stored = snippet.USERS["dave"]
    if framework == "flask":
        assert stored == old  # Flask-Bcrypt and Werkzeug only check
    else:
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert login(client, "dave", PASSWORD).status_code == 200  # the new hash works
        assert snippet.USERS["dave"] == stored  # current parameters: not rehashed again


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("wrong", ["wrong", "", " " + PASSWORD, PASSWORD.upper(), "é😀\x00"])
def test_wrong_password_is_refused_and_the_hash_kept(client, framework, snippet, kind, wrong):
    old = MAKERS[kind](PASSWORD)
    snippet.USERS["dave"] = old
    r = login(client, "dave", wrong)
    if wrong:
        assert r.status_code == 401, r.text
        assert r.json() == INCORRECT
    else:  # an empty password is bad input, refused before any hash check
        assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert snippet.USERS["dave"] == old


@pytest.mark.parametrize(
    "stored",
    [
        "not-a-hash",
        "",
        "$2b$04$short",
        "$2b$99$" + "a" * 53,
        "pbkdf2:sha256:abc$salt$hash",
        "pbkdf2:md5:1000$salt$hash",
        "scrypt:1:8:1$salt$hash",
        "scrypt:32768$salt",
        "md5$salt$hash",
        "$argon2id$v=19$m=19456,t=2,p=1$broken",
        PASSWORD,  # a plain-text password left in the table
    ],
)
def test_malformed_stored_hash_answers_401_not_500(client, snippet, stored):
    snippet.USERS["dave"] = stored
    r = login(client, "dave", PASSWORD)
    assert r.status_code == 401, r.text
    assert r.json() == INCORRECT
    assert snippet.USERS["dave"] == stored


def test_committed_malformed_hash_answers_401(client):
    assert login(client, "mallory", "not-a-hash").json() == INCORRECT


def test_unknown_user_is_refused(client):
    r = login(client, "nobody", PASSWORD)
    assert r.status_code == 401
    assert r.json() == INCORRECT


def test_password_longer_than_72_bytes_against_a_bcrypt_hash(client, framework, snippet):
    """bcrypt < 5 hashed only the first 72 bytes; bcrypt 5 raises ValueError past them."""
    long = "x" * 72 + "-the rest was ignored"
    snippet.USERS["dave"] = flask_bcrypt_hash(long.encode()[:72])  # as bcrypt 4 stored it
    assert login(client, "dave", long).status_code == 200
    other_tail = "x" * 72 + "-anything else"
    # Still the same password to bcrypt; after the rehash to Argon2 the tail counts.
    expected = {"flask": 200, "fastapi": 401}[framework]
    assert login(client, "dave", other_tail).status_code == expected


def test_long_non_ascii_password_against_a_bcrypt_hash(client, snippet):
    long = "é" * 50  # 100 bytes in UTF-8: cut at 72 bytes, inside no character
    snippet.USERS["dave"] = flask_bcrypt_hash(long.encode()[:72])
    assert login(client, "dave", long).status_code == 200


def test_register_hashes_with_bcrypt_in_flask_and_argon2_in_fastapi(client, framework, snippet):
    r = client.post("/register", json={"username": "erin", "password": PASSWORD})
    assert r.status_code == 201
    assert r.json() == {"user": "erin"}
    prefix = {"flask": "$2b$12$", "fastapi": "$argon2id$"}[framework]
    assert snippet.USERS["erin"].startswith(prefix)
    assert login(client, "erin", PASSWORD).status_code == 200
    r = client.post("/register", json={"username": "erin", "password": "x"})
    assert r.status_code == 409
    assert r.json() == {"detail": "Username taken"}


@pytest.mark.parametrize(
    "body",
    [
        {"username": "erin"},
        {"password": PASSWORD},
        {"username": "", "password": PASSWORD},
        {"username": "erin", "password": 1},
        {"username": "erin", "password": 1.5},
        ["erin", PASSWORD],
    ],
    ids=["no-password", "no-username", "empty-username", "wrong-type", "float", "list"],
)
@pytest.mark.parametrize("route", ["/register", "/login"])
def test_bad_body_is_refused(client, framework, route, body):
    r = client.post(route, json=body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework], r.text


@pytest.mark.parametrize("route", ["/register", "/login"])
def test_malformed_json_is_refused(client, framework, route):
    r = client.post(route, content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]


@pytest.mark.parametrize("route", ["/register", "/login"])
def test_nan_and_deep_json_are_refused_not_500(client, framework, route):
    """The app's JSON provider (Flask) and 422 handler (FastAPI: NaN cannot be echoed)."""
    headers = {"content-type": "application/json"}
    r = client.post(route, content=b'{"username": NaN, "password": "x"}', headers=headers)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["input"] == "nan"
    r = client.post(route, content=b"[" * 5000 + b"]" * 5000, headers=headers)
    assert r.status_code == 400  # the JSON provider (Flask); the body parser (FastAPI)


def test_a_lone_surrogate_password_is_refused_not_500(client, framework, snippet):
    snippet.USERS["dave"] = MAKERS["werkzeug-pbkdf2"](PASSWORD)
    body = b'{"username": "dave", "password": "\\ud800"}'
    headers = {"content-type": "application/json"}
    r = client.post("/login", content=body, headers=headers)
    # The Flask app's JSON provider refuses it (Hostile input); Pydantic too (string_unicode).
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    body = b'{"username": "frank", "password": "\\ud800"}'
    r = client.post("/register", content=body, headers=headers)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["type"] == "string_unicode"
        assert r.json()["detail"][0]["input"] == "'\\ud800'"  # its repr: UTF-8 cannot carry it


def test_a_password_too_long_for_bcrypt_is_refused_at_registration(client, framework):
    r = client.post("/register", json={"username": "gina", "password": "x" * 100})
    # Flask-Bcrypt (bcrypt 5) refuses past 72 bytes; Argon2 has no such limit.
    assert r.status_code == {"flask": 400, "fastapi": 201}[framework]


@pytest.mark.only("fastapi", reason="pins the trap: pwdlib alone does not know Werkzeug hashes")
def test_pwdlib_alone_raises_on_werkzeug_hashes(framework):
    from pwdlib import PasswordHash
    from pwdlib.exceptions import UnknownHashError

    for stored in (LEGACY["bob"], LEGACY["carol"]):
        with pytest.raises(UnknownHashError):
            PasswordHash.recommended().verify(PASSWORD, stored)


def test_legacy_users_file_is_optional(framework, topic):
    from guidekit.harness import load_module

    assert load_module(topic, framework, env={"LEGACY_USERS_FILE": ""}).USERS == {}
    assert Path(SNIPPETS / "password-hashes" / "legacy_users.json").is_file()
