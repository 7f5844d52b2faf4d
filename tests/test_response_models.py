"""response-models: the hash never leaves the app; FastAPI filters, Flask builds by hand."""

import pytest

PUBLIC_FIELDS = {"id", "username", "email", "full_name"}
NEW_USER = {"username": "carol", "email": "carol@example.com", "password": "s3cret-pass"}


def assert_no_secrets(text: str) -> None:
    for secret in ("hashed_password", "$argon2", "password", "wonderland", "s3cret-pass"):
        assert secret not in text


def test_list_shows_public_fields_only(client):
    r = client.get("/users")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert_no_secrets(r.text)
    body = r.json()
    assert [set(u) for u in body] == [PUBLIC_FIELDS, PUBLIC_FIELDS]
    assert body[0] == {
        "id": 1,
        "username": "alice",
        "email": "alice@example.com",
        "full_name": "Alice Liddell",
    }
    assert body[1]["full_name"] is None  # the list keeps None values as null


def test_stored_users_do_hold_a_hash(snippet):
    """The data the handlers return really has the secret field: the filtering is what hides it."""
    assert snippet.users[1].hashed_password.startswith("$argon2id$")  # salted, slow


def test_read_one_drops_none_values(client):
    r = client.get("/users/2")
    assert r.status_code == 200
    assert r.json() == {"id": 2, "username": "bob", "email": "bob@example.com"}
    assert_no_secrets(r.text)


def test_read_one_keeps_set_values(client):
    r = client.get("/users/1")
    assert r.status_code == 200
    assert r.json()["full_name"] == "Alice Liddell"
    assert_no_secrets(r.text)


def test_key_order_differs(client, framework):
    """Flask's JSON provider sorts keys; FastAPI keeps the model's field order."""
    r = client.get("/users/1")
    expected = {
        "flask": ["email", "full_name", "id", "username"],
        "fastapi": ["id", "username", "email", "full_name"],
    }
    assert list(r.json()) == expected[framework]


def test_missing_user_is_404(client):
    r = client.get("/users/99")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "User not found"}


def test_create_returns_public_fields_and_stores_the_hash(client, framework, snippet):
    r = client.post("/users", json=NEW_USER)
    assert r.status_code == 201
    assert r.json() == {
        "id": 3,
        "username": "carol",
        "email": "carol@example.com",
        "full_name": None,
    }
    assert_no_secrets(r.text)
    assert snippet.password_hash.verify("s3cret-pass", snippet.users[3].hashed_password)
    listed = client.get("/users")
    assert [u["username"] for u in listed.json()] == ["alice", "bob", "carol"]
    assert_no_secrets(listed.text)


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "carol"},  # missing fields
        {**NEW_USER, "password": 12345},  # wrong type
        ["carol"],  # not an object
    ],
    ids=["missing-fields", "wrong-type", "not-an-object"],
)
def test_bad_input_on_create(client, framework, payload):
    r = client.post("/users", json=payload)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"error": "username, email and password are required strings"}
    else:
        assert all(err["loc"][0] == "body" for err in r.json()["detail"])
    assert len(client.get("/users").json()) == 2  # nothing was stored


def test_fastapi_error_echoes_the_input(client, framework):
    """A 422 body repeats the rejected input: a password sent with a bad body comes back."""
    r = client.post("/users", json={"username": "carol", "password": "s3cret-pass"})
    if framework == "fastapi":
        assert r.json()["detail"][0]["input"] == {"username": "carol", "password": "s3cret-pass"}
    else:
        assert "s3cret-pass" not in r.text


def test_only_fastapi_documents_the_response_schema(client, framework):
    r = client.get("/openapi.json")
    if framework == "flask":
        assert r.status_code == 404
        return
    schemas = r.json()["components"]["schemas"]
    assert set(schemas["UserOut"]["properties"]) == PUBLIC_FIELDS
    assert "hashed_password" not in r.text
    created = r.json()["paths"]["/users"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UserOut"
    }
