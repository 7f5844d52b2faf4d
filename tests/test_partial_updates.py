"""partial-updates: only the keys sent change; `{}` changes nothing; null differs from absent."""

import pytest

from tests.expect import assert_default_error, assert_method_not_allowed, assert_validation_error

ADA = {"id": 1, "username": "ada", "about_me": "Mathematician"}


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_only_the_keys_sent_change(client, method):
    r = client.request(method, "/users/1", json={"about_me": "Wrote the first program"})
    assert r.status_code == 200
    assert r.json() == {**ADA, "about_me": "Wrote the first program"}
    assert client.get("/users/1").json() == r.json()


def test_an_empty_object_changes_nothing(client):
    r = client.patch("/users/1", json={})
    assert r.status_code == 200
    assert r.json() == ADA


def test_an_explicit_null_clears_a_nullable_field(client):
    r = client.patch("/users/1", json={"about_me": None})
    assert r.status_code == 200
    assert r.json() == {**ADA, "about_me": None}


def test_an_absent_key_is_not_a_null(client):
    """The two bodies differ by one key, and so do the results: `about_me` left out keeps
    its value; `about_me` sent as null (its model default) clears it. A port that dumps
    the model without `exclude_unset=True` cannot tell the two apart."""
    r = client.patch("/users/1", json={"username": "lovelace"})
    assert (r.status_code, r.json()) == (200, {**ADA, "username": "lovelace"})
    assert client.get("/users/1").json() == {**ADA, "username": "lovelace"}
    r = client.patch("/users/1", json={"username": "lovelace", "about_me": None})
    assert (r.status_code, r.json()) == (200, {**ADA, "username": "lovelace", "about_me": None})
    assert client.get("/users/1").json() == {**ADA, "username": "lovelace", "about_me": None}


@pytest.mark.parametrize(
    ("body", "loc", "type_"),
    [
        ({"username": None}, ["body", "username"], "value_error"),
        ({"username": ""}, ["body", "username"], "string_too_short"),
        ({"username": "x" * 33}, ["body", "username"], "string_too_long"),
        ({"username": 5}, ["body", "username"], "string_type"),
        ({"about_me": "x" * 141}, ["body", "about_me"], "string_too_long"),
        ({"about_me": False}, ["body", "about_me"], "string_type"),
        ({"about_me": 1.5}, ["body", "about_me"], "string_type"),
        ({"password": "hunter2"}, ["body", "password"], "extra_forbidden"),
        ([{"username": "x"}], ["body"], "model_attributes_type"),
        ("username", ["body"], "model_attributes_type"),
    ],
)
def test_bad_values_change_nothing(client, framework, body, loc, type_):
    r = client.patch("/users/1", json=body)
    if framework == "flask":
        assert r.status_code == 400
        assert set(r.json()) == {"error"}
    else:
        assert_validation_error(r, loc, type_)
    assert client.get("/users/1").json() == ADA


def test_malformed_json(client, framework):
    r = client.patch(
        "/users/1", content=b'{"username": ', headers={"content-type": "application/json"}
    )
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "the body must be a JSON object"}
    else:
        assert_validation_error(r, ["body", 13], "json_invalid")


def test_no_body(client, framework):
    """Flask's view sees None and answers its own 400; FastAPI's body is required."""
    r = client.patch("/users/1")
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "the body must be a JSON object"}
    else:
        assert_validation_error(r, ["body"], "missing")


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_unknown_user(client, framework, method):
    r = client.request(method, "/users/2", json={} if method == "PATCH" else None)
    assert r.status_code == 404
    assert (
        r.json()
        == {"flask": {"error": "user not found"}, "fastapi": {"detail": "user not found"}}[
            framework
        ]
    )


def test_wrong_method(client, framework):
    """Starlette's 405 names the methods of the first route matching the path only: here
    the GET route, although PUT and PATCH on the same path work."""
    r = client.delete("/users/1")
    allow = {"flask": {"GET", "HEAD", "OPTIONS", "PUT", "PATCH"}, "fastapi": {"GET"}}
    assert_method_not_allowed(r, framework, allow)


@pytest.mark.only("fastapi", reason="Flask generates no OpenAPI document")
def test_put_and_patch_are_two_operations(client, framework):
    paths = client.get("/openapi.json").json()["paths"]["/users/{user_id}"]
    assert paths["put"]["operationId"] != paths["patch"]["operationId"]


@pytest.mark.parametrize(
    "body", [b'{"about_me": NaN}', b"[" * 5000 + b"]" * 5000], ids=["nan", "deep"]
)
def test_hostile_json_is_refused_not_a_500(client, framework, body):
    """Flask needs the app's JSON provider (RecursionError); FastAPI its 422 handler (NaN)."""
    r = client.patch("/users/1", content=body, headers={"content-type": "application/json"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "the body must be a JSON object"}
    elif body.startswith(b"{"):
        error = assert_validation_error(r, ["body", "about_me"], "string_type")
        assert error["input"] == "nan"  # the repr: JSON cannot carry the number
    else:
        assert_default_error(
            r, framework, 400, fastapi_detail="There was an error parsing the body"
        )
    assert client.get("/users/1").json() == ADA
