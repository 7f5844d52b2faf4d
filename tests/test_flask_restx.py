"""flask-restx: Flask-RESTX's Namespace, models, expect(validate=True) and marshal_with →
an APIRouter, Pydantic models and response_model; Swagger 2.0 → OpenAPI 3.1, compared.
"""

import pytest

from guidekit.harness import client_for, load_app
from tests.expect import assert_not_found, assert_validation_error, documented_operations

DOCUMENT = {"flask": "/swagger.json", "fastapi": "/openapi.json"}
# Every operation and its documented status codes. Flask-RESTX documents what the decorators
# say; FastAPI adds 422 to every operation with a parameter or a body.
COMMON = {
    "/todos/": {"get": {"200"}, "post": {"201"}},
    "/todos/{todo_id}": {"get": {"200", "404"}, "put": {"200", "404"}, "delete": {"204", "404"}},
}
FLASK_BAD_JSON = "The browser (or proxy) sent a request that this server could not understand."
PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 when json.loads raises
VALIDATED = {("/todos/", "post"), ("/todos/{todo_id}", "put")}


def expected_operations(framework: str) -> dict[str, dict[str, set[str]]]:
    out = {}
    for path, methods in COMMON.items():
        out[path] = {}
        for method, codes in methods.items():
            extra = {
                "flask": {"400"} if (path, method) in VALIDATED else set(),
                "fastapi": {"422"} if (path, method) != ("/todos/", "get") else set(),
            }[framework]
            out[path][method] = codes | extra
    return out


def test_the_document_lists_every_operation(client, framework):
    r = client.get(DOCUMENT[framework])
    assert r.status_code == 200
    document = r.json()
    assert (
        document.get("swagger", document.get("openapi"))
        == {"flask": "2.0", "fastapi": "3.1.0"}[framework]
    )
    assert document["info"]["title"] == "Todo API"
    assert document["info"]["version"] == "1.0"
    assert documented_operations(document) == expected_operations(framework)


@pytest.mark.only("fastapi", reason="compares the two documents with each other: runs once")
def test_both_documents_have_the_same_paths_methods_and_codes(framework):
    documents = {}
    for name in ("flask", "fastapi"):
        with client_for(name, load_app("flask-restx", name)) as c:
            documents[name] = documented_operations(c.get(DOCUMENT[name]).json())
    flask, fastapi = documents["flask"], documents["fastapi"]
    assert flask.keys() == fastapi.keys()
    for path in flask:
        assert flask[path].keys() == fastapi[path].keys()
        for method in flask[path]:  # the one difference: 400 (Flask-RESTX), 422 (FastAPI)
            assert flask[path][method] - {"400"} == fastapi[path][method] - {"422"}


def test_the_input_model_has_the_same_constraints(client, framework):
    document = client.get(DOCUMENT[framework]).json()
    models = document["definitions"] if framework == "flask" else document["components"]["schemas"]
    todo_in = models["TodoIn"]
    assert todo_in["required"] == ["task"]
    assert todo_in["properties"]["task"]["minLength"] == 1
    assert todo_in["properties"]["task"]["maxLength"] == 200
    assert todo_in["properties"]["done"]["type"] == "boolean"
    assert todo_in["properties"]["done"]["default"] is False


def test_swagger_ui_is_served(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "swagger-ui" in r.text


def test_list_and_get(client):
    todo = {"id": 1, "task": "Write the guide", "done": False}
    assert client.get("/todos/").json() == [todo]
    r = client.get("/todos/1")
    assert r.status_code == 200
    assert r.json() == todo


def test_create_copies_the_known_fields_only(client):
    r = client.post("/todos/", json={"task": "Port it", "done": True, "id": 99, "owner": "mallory"})
    assert r.status_code == 201
    assert r.json() == {"id": 2, "task": "Port it", "done": True}
    assert client.get("/todos/2").json() == {"id": 2, "task": "Port it", "done": True}


def test_put_replaces(client):
    r = client.put("/todos/1", json={"task": "Rewrite"})
    assert r.status_code == 200
    assert r.json() == {"id": 1, "task": "Rewrite", "done": False}


def test_delete_then_missing(client, framework):
    assert client.delete("/todos/1").status_code == 204
    r = client.get("/todos/1")
    assert r.status_code == 404
    key = {"flask": "message", "fastapi": "detail"}[framework]
    assert r.json() == {key: "Todo 1 doesn't exist"}


@pytest.mark.parametrize(
    ("body", "field", "flask_text", "fastapi_type"),
    [
        ({}, "task", "'task' is a required property", "missing"),
        ({"task": 123}, "task", "123 is not of type 'string'", "string_type"),
        ({"task": None}, "task", "None is not of type 'string'", "string_type"),
        ({"task": ""}, "task", "'' should be non-empty", "string_too_short"),
        ({"task": "x" * 201}, "task", None, "string_too_long"),
        ({"task": "x", "done": "true"}, "done", "'true' is not of type 'boolean'", "bool_type"),
        ({"task": "x", "done": 1}, "done", "1 is not of type 'boolean'", "bool_type"),
    ],
    ids=["missing", "number", "null", "empty", "too-long", "string-bool", "int-bool"],
)
def test_validation_refuses_what_the_schema_refuses(
    client, framework, body, field, flask_text, fastapi_type
):
    r = client.post("/todos/", json=body)
    if framework == "fastapi":
        assert_validation_error(r, ["body", field], fastapi_type)
    else:
        assert r.status_code == 400
        assert r.json()["message"] == "Input payload validation failed"
        assert list(r.json()["errors"]) == [field]
        if flask_text:
            assert r.json()["errors"][field] == flask_text


def test_a_json_array_is_refused(client, framework):
    r = client.post("/todos/", json=[1])
    if framework == "fastapi":
        assert_validation_error(r, ["body"], "model_attributes_type")
    else:
        assert r.status_code == 400
        assert r.json() == {
            "errors": {"": "[1] is not of type 'object'"},
            "message": "Input payload validation failed",
        }


def test_malformed_json(client, framework):
    r = client.post("/todos/", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]


@pytest.mark.parametrize(
    ("content", "loc", "fastapi_type", "shown"),
    [
        (b'{"task": "x", "done": NaN}', ["body", "done"], "bool_type", "nan"),
        (b'{"task": "\\ud800"}', ["body", "task"], "string_unicode", "'\\ud800'"),
        (b"Infinity", ["body"], "model_attributes_type", "inf"),
    ],
    ids=["nan", "surrogate", "infinity"],
)
def test_inputs_json_cannot_carry_are_refused_not_500(
    client, framework, content, loc, fastapi_type, shown
):
    """FastAPI's own 422 echoes each input and answers 500 for NaN or "\\ud800"; the app's
    handler writes them as their repr. The Flask app's provider (orjson) refuses all three."""
    r = client.post("/todos/", content=content, headers={"content-type": "application/json"})
    if framework == "fastapi":
        assert assert_validation_error(r, loc, fastapi_type)["input"] == shown
    else:
        assert r.status_code == 400
        assert r.json() == {"message": FLASK_BAD_JSON}


def test_deeply_nested_json_is_refused(client, framework):
    """json.loads overflows the stack (a 500 with Flask's own provider); the app's answers 400."""
    content = b'{"a": ' * 5_000 + b"1" + b"}" * 5_000
    r = client.post("/todos/", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    expected = {"flask": {"message": FLASK_BAD_JSON}, "fastapi": {"detail": PARSE_ERROR}}
    assert r.json() == expected[framework]


def test_a_finite_number_still_parses(client):
    r = client.post("/todos/", json={"task": "x", "estimate": 1.5})  # unknown key: dropped
    assert r.status_code == 201
    assert r.json() == {"id": 2, "task": "x", "done": False}


@pytest.mark.parametrize("task", ["\x00", "ünïcode 😀"])
def test_hostile_text_is_stored_as_text(client, task):
    r = client.post("/todos/", json={"task": task})
    assert r.status_code == 201
    assert r.json()["task"] == task


def test_a_non_integer_id(client, framework):
    r = client.get("/todos/abc")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert_validation_error(r, ["path", "todo_id"], "int_parsing")
