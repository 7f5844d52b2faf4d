"""marshmallow-webargs: marshmallow schemas (flask-marshmallow) and webargs' @use_args →
Pydantic models as body and query parameters. Error shape, unknown fields, partial loads.
"""

import pytest
from flask import abort

from tests.expect import assert_default_error, assert_not_found, assert_validation_error

ALICE = {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 36, "url": "/users/1"}
BOB = {"name": "Bob", "email": "bob@example.com"}
RANGE = "Must be greater than or equal to 1 and less than or equal to 100."


def errors(r, framework: str) -> dict[str, str]:
    """{field: first message} from either shape: webargs' {"errors": {location: {field: [..]}}}
    or FastAPI's {"detail": [{"loc": [location, field], "msg": ...}]}."""
    assert r.status_code == 422, r.text
    if framework == "flask":
        (location,) = r.json()["errors"].values()
        return {field: messages[0] for field, messages in location.items()}
    return {str(e["loc"][-1]): e["msg"] for e in r.json()["detail"]}


def test_dump_declares_the_output(client):
    r = client.get("/users/1")
    assert r.status_code == 200
    assert r.json() == ALICE


def test_search_reads_the_query_and_ignores_unknown_parameters(client):
    r = client.get("/users", params={"q": "ALI", "limit": "5", "utm_source": "mail"})
    assert r.status_code == 200
    assert r.json() == {"users": [ALICE]}
    assert client.get("/users", params={"q": "zed"}).json() == {"users": []}


@pytest.mark.parametrize(("limit", "flask_text", "fastapi_type"), [
    ("abc", "Not a valid integer.", "int_parsing"),
    ("0", RANGE, "greater_than_equal"),
    ("101", RANGE, "less_than_equal"),
    ("9" * 40, RANGE, "less_than_equal"),
])  # fmt: skip
def test_a_bad_query_argument_is_422(client, framework, limit, flask_text, fastapi_type):
    r = client.get("/users", params={"limit": limit})
    if framework == "flask":  # webargs: {"errors": {location: {field: [messages]}}}
        assert r.status_code == 422
        assert r.json() == {"errors": {"query": {"limit": [flask_text]}}}
    else:
        assert_validation_error(r, ["query", "limit"], fastapi_type)


def test_create_loads_and_dumps(client):
    r = client.post("/users", json=BOB | {"age": "41"})  # both read "41" as 41
    assert r.status_code == 201
    assert r.json() == {"id": 2, **BOB, "age": 41, "url": "/users/2"}
    assert client.get("/users/2").json()["age"] == 41


def test_create_without_the_optional_field(client):
    r = client.post("/users", json=BOB)
    assert r.status_code == 201
    assert r.json()["age"] is None


def test_validates_and_every_field_is_reported(client, framework):
    r = client.post("/users", json={"name": "admin", "email": "nope", "age": 200})
    found = errors(r, framework)
    assert set(found) == {"name", "email", "age"}
    assert (
        found["name"]
        == {
            "flask": "This name is reserved.",
            "fastapi": "Value error, This name is reserved.",
        }[framework]
    )


def test_error_shapes(client, framework):
    r = client.post("/users", json={"email": "b@example.com"})
    assert r.status_code == 422
    assert (
        r.json()
        == {
            "flask": {"errors": {"json": {"name": ["Missing data for required field."]}}},
            "fastapi": {
                "detail": [
                    {
                        "type": "missing",
                        "loc": ["body", "name"],
                        "msg": "Field required",
                        "input": {"email": "b@example.com"},
                    }
                ]
            },
        }[framework]
    )


@pytest.mark.parametrize("extra", [{"nick": "b"}, {"id": 99}], ids=["unknown", "dump-only"])
def test_unknown_fields_are_refused(client, framework, extra):
    # unknown = RAISE; a dump_only field counts as unknown on load. Pydantic: extra="forbid".
    r = client.post("/users", json=BOB | extra)
    (field,) = extra
    assert errors(r, framework) == {
        field: {"flask": "Unknown field.", "fastapi": "Extra inputs are not permitted"}[framework]
    }


@pytest.mark.parametrize("body", [{"name": None}, {"age": None}, {"email": None}])
def test_null_is_refused_even_when_the_field_may_be_left_out(client, framework, body):
    (field,) = body
    found = errors(client.post("/users", json=BOB | body), framework)
    assert list(found) == [field]
    if framework == "flask":
        assert found[field] == "Field may not be null."


def test_partial_loads_only_what_was_sent(client):
    r = client.patch("/users/1", json={"age": 37})
    assert r.status_code == 200
    assert r.json() == ALICE | {"age": 37}
    r = client.patch("/users/1", json={})
    assert r.json() == ALICE | {"age": 37}


@pytest.mark.parametrize(
    "body", [{"name": None}, {"name": ""}, {"name": "Admin"}, {"nick": "x"}, {"age": -1}]
)
def test_partial_still_validates_what_was_sent(client, framework, body):
    r = client.patch("/users/1", json=body)
    assert list(errors(r, framework)) == list(body)
    assert client.get("/users/1").json() == ALICE


def test_unknown_user(client, framework):
    r = client.patch("/users/9", json={"age": 1})
    assert r.status_code == 404
    assert (
        r.json()
        == {
            "flask": {"errors": {"user_id": ["Unknown user."]}},
            "fastapi": {"detail": "Unknown user."},
        }[framework]
    )
    assert client.get("/users/9").status_code == 404


def test_malformed_json(client, framework):
    r = client.post("/users", content=b"{bad", headers={"content-type": "application/json"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"errors": {"json": ["Invalid JSON body."]}}
    else:
        assert_validation_error(r, ["body", 1], "json_invalid")


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(("body", "field", "flask_text", "fastapi_input"), [
    (b'{"name": NaN, "email": "b@example.com"}', "name", "Not a valid string.", "nan"),
    (b'{"name": "Bob", "email": "b@example.com", "age": 1e999}', "age", "Number too large.", "inf"),
    (b'{"name": "Bob", "email": "b@example.com", "nick": "\\ud800"}', "nick", "Unknown field.",
     "'\\ud800'"),
], ids=["nan", "infinity", "lone-surrogate"])  # fmt: skip
def test_inputs_json_cannot_carry_are_refused_not_a_500(
    client, framework, body, field, flask_text, fastapi_input
):
    """FastAPI's own 422 echoes each rejected input, and answers 500 when JSON cannot carry
    it; the app's 422 handler writes such an input as its repr."""
    r = client.post("/users", content=body, headers=JSON)
    assert r.status_code == 422
    if framework == "flask":
        assert r.json() == {"errors": {"json": {field: [flask_text]}}}
    else:
        assert [(e["loc"], e["input"]) for e in r.json()["detail"]] == [
            (["body", field], fastapi_input)
        ]
    assert client.get("/users/2").status_code == 404


DEEP = b"[" * 5000 + b"]" * 5000


@pytest.mark.only("flask", reason="webargs' own parser, which the Flask app extends")
def test_webargs_own_parser_lets_deep_json_raise(app):
    """webargs parses with json.loads and catches JSONDecodeError, not RecursionError."""
    from webargs import fields
    from webargs.flaskparser import parser

    context = app.test_request_context(method="POST", data=DEEP, content_type="application/json")
    with context, pytest.raises(RecursionError):
        parser.parse({"name": fields.String()}, location="json")


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_deeply_nested_json_is_a_400_not_a_500(client, framework, method):
    """The Flask app's parser turns the RecursionError into webargs' 400 for bad JSON."""
    path = "/users" if method == "POST" else "/users/1"
    r = client.request(method, path, content=DEEP, headers=JSON)
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"errors": {"json": ["Invalid JSON body."]}}
    else:
        assert_default_error(
            r, framework, 400, fastapi_detail="There was an error parsing the body"
        )
    assert client.get("/users/1").json() == ALICE


def test_a_json_array(client, framework):
    r = client.post("/users", json=[1])
    if framework == "flask":
        assert r.json() == {"errors": {"json": {"_schema": ["Invalid input type."]}}}
    else:
        assert_validation_error(r, ["body"], "model_attributes_type")


@pytest.mark.parametrize("name", ["\x00", "ünïcode 😀"])
def test_hostile_text_is_text(client, name):
    r = client.post("/users", json=BOB | {"name": name})
    assert r.status_code == 201
    assert r.json()["name"] == name


def test_a_non_integer_id(client, framework):
    r = client.get("/users/abc")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert_validation_error(r, ["path", "user_id"], "int_parsing")


@pytest.mark.only(
    "flask", reason="the JSON error handler also receives 400s raised outside webargs"
)
def test_another_bad_request_keeps_the_shape(app, client):
    app.add_url_rule("/boom", "boom", lambda: abort(400, "Nope."))
    r = client.get("/boom")
    assert r.status_code == 400
    assert r.json() == {"errors": {"_schema": ["Nope."]}}
