"""validation: hand-written checks in Flask vs Pydantic constraints, and the 422 body shape."""

import pytest

VALID = {
    "username": "Ada",
    "email": "ada@example.com",
    "age": 36,
    "address": {"city": "London", "postcode": "12345"},
}


def with_(**changes):
    """VALID with some top-level fields replaced."""
    return {**VALID, **changes}


def test_valid_user_is_created_and_normalised(client):
    r = client.post("/users", json=VALID)
    assert r.status_code == 201
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {**VALID, "username": "ada"}


# (body, the Flask app's message, FastAPI's error type, FastAPI's loc)
BAD = {
    "not-an-object": (["Ada"], "body must be a JSON object", "model_attributes_type", ["body"]),
    "missing-username": (
        {k: v for k, v in VALID.items() if k != "username"},
        "username must be a string of 3 to 20 characters",
        "missing",
        ["body", "username"],
    ),
    "short-username": (
        with_(username="ab"),
        "username must be a string of 3 to 20 characters",
        "string_too_short",
        ["body", "username"],
    ),
    "spaces": (
        with_(username="Ada L"),
        "username must not contain spaces",
        "value_error",
        ["body", "username"],
    ),
    "email": (
        with_(email="ada"),
        "email must be an email address",
        "value_error",
        ["body", "email"],
    ),
    "age-zero": (
        with_(age=0),
        "age must be an integer from 1 to 150",
        "greater_than",
        ["body", "age"],
    ),
    "age-too-high": (
        with_(age=151),
        "age must be an integer from 1 to 150",
        "less_than_equal",
        ["body", "age"],
    ),
    "address-not-object": (
        with_(address="London"),
        "address must be an object",
        "model_attributes_type",
        ["body", "address"],
    ),
    "empty-city": (
        with_(address={"city": "", "postcode": "12345"}),
        "address.city must be a non-empty string",
        "string_too_short",
        ["body", "address", "city"],
    ),
    "bad-postcode": (
        with_(address={"city": "London", "postcode": "1"}),
        "address.postcode must be five digits",
        "string_pattern_mismatch",
        ["body", "address", "postcode"],
    ),
}


@pytest.mark.parametrize(("body", "message", "error_type", "loc"), BAD.values(), ids=BAD)
def test_one_bad_field(client, framework, body, message, error_type, loc):
    r = client.post("/users", json=body)
    assert r.headers["content-type"] == "application/json"
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": message}
    else:
        assert r.status_code == 422
        [error] = r.json()["detail"]
        assert (error["type"], error["loc"]) == (error_type, loc)


def test_422_body_shape_exactly(client, framework):
    """Each entry has type, loc, msg and input; ctx only when the check has parameters;
    never the `url` that Pydantic's own ValidationError.errors() includes."""
    r = client.post("/users", json=with_(age=0, address={"city": "London", "postcode": "1"}))
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "age must be an integer from 1 to 150"}
        return
    assert r.status_code == 422
    assert r.json() == {
        "detail": [
            {
                "type": "greater_than",
                "loc": ["body", "age"],
                "msg": "Input should be greater than 0",
                "input": 0,
                "ctx": {"gt": 0},
            },
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "address", "postcode"],
                "msg": "String should match pattern '^[0-9]{5}$'",
                "input": "1",
                "ctx": {"pattern": "^[0-9]{5}$"},
            },
        ]
    }


def test_an_error_without_parameters_has_no_ctx(client, framework):
    r = client.post("/users", json={k: v for k, v in VALID.items() if k != "age"})
    if framework == "fastapi":
        assert r.json() == {
            "detail": [
                {
                    "type": "missing",
                    "loc": ["body", "age"],
                    "msg": "Field required",
                    "input": {k: v for k, v in VALID.items() if k != "age"},
                }
            ]
        }
    else:
        assert r.json() == {"error": "age must be an integer from 1 to 150"}


def test_custom_validator_error(client, framework):
    r = client.post("/users", json=with_(username="Ada L"))
    if framework == "flask":
        assert r.json() == {"error": "username must not contain spaces"}
    else:
        # The message is prefixed "Value error, "; ctx.error is the exception, which
        # FastAPI's JSON encoder turns into an empty object.
        assert r.json()["detail"] == [
            {
                "type": "value_error",
                "loc": ["body", "username"],
                "msg": "Value error, must not contain spaces",
                "input": "Ada L",
                "ctx": {"error": {}},
            }
        ]


def test_email_error_comes_from_email_validator(client, framework):
    r = client.post("/users", json=with_(email="ada"))
    if framework == "fastapi":
        [error] = r.json()["detail"]
        assert error["msg"] == (
            "value is not a valid email address: An email address must have an @-sign."
        )
        assert error["ctx"] == {"reason": "An email address must have an @-sign."}
    else:
        assert r.json() == {"error": "email must be an email address"}


def test_every_problem_at_once_or_only_the_first(client, framework):
    body = {"username": "a b", "email": "x", "age": -1, "address": {}}
    r = client.post("/users", json=body)
    if framework == "flask":
        # The hand-written checks in flask_app.py stop at the first failure; Flask
        # itself has no opinion, it runs whatever the view does.
        assert r.status_code == 400
        assert r.json() == {"error": "username must not contain spaces"}
    else:
        assert r.status_code == 422
        assert [(e["type"], e["loc"]) for e in r.json()["detail"]] == [
            ("value_error", ["body", "username"]),
            ("value_error", ["body", "email"]),
            ("greater_than", ["body", "age"]),
            ("missing", ["body", "address", "city"]),
            ("missing", ["body", "address", "postcode"]),
        ]


def test_field_validator_runs_only_after_the_constraints_pass(client, framework):
    long_with_space = "a" * 10 + " " + "b" * 10  # 21 characters and a space
    r = client.post("/users", json=with_(username=long_with_space))
    if framework == "flask":
        assert r.json() == {"error": "username must be a string of 3 to 20 characters"}
    else:
        # One error, not two: no_spaces() never saw the value.
        assert [e["type"] for e in r.json()["detail"]] == ["string_too_long"]


def test_lax_mode_converts_a_numeric_string_the_flask_check_refuses(client, framework):
    # Pydantic's default (lax) mode turns "36" into 36 for an int field; the hand-written
    # type() check in flask_app.py does not.
    r = client.post("/users", json=with_(age="36"))
    assert r.status_code == {"flask": 400, "fastapi": 201}[framework]
    if framework == "flask":
        assert r.json() == {"error": "age must be an integer from 1 to 150"}
    else:
        assert r.json()["age"] == 36
