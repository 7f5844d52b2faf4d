"""apiflask: APIFlask, APIBlueprint, @bp.input (json and query), @bp.output, @bp.doc,
HTTPError and abort → an APIRouter, Pydantic models and response_model; handlers that keep
APIFlask's {"detail", "message"} errors; the two OpenAPI documents compared.
"""

import pytest

from guidekit.harness import client_for, load_app
from tests.expect import (
    JSON,
    allowed,
    assert_swagger_ui_page,
    documented_operations,
    route_methods,
)

# APIFlask documents 422 where @input parses and 404 where the path has a parameter;
# FastAPI documents 422 on every operation with a parameter or a body, path ones included.
OPERATIONS = {
    "/pets/": {"get": {"200", "422"}, "post": {"201", "409", "422"}},
    "/pets/{pet_id}": {
        "get": {"200", "404"},
        "put": {"200", "404", "422"},
        "delete": {"204", "404"},
    },
}
PATH_ONLY = {("/pets/{pet_id}", "get"), ("/pets/{pet_id}", "delete")}
PETS = [{"id": 1, "name": "Kitty", "category": "cat"}, {"id": 2, "name": "Rex", "category": "dog"}]
BAD_REQUEST = {"detail": {}, "message": "Bad Request"}


def expected_operations(framework: str) -> dict[str, dict[str, set[str]]]:
    def extra(path: str, method: str) -> set[str]:
        return {"422"} if framework == "fastapi" and (path, method) in PATH_ONLY else set()

    return {
        path: {method: codes | extra(path, method) for method, codes in methods.items()}
        for path, methods in OPERATIONS.items()
    }


def invalid(r, location: str) -> dict:
    """APIFlask's 422: `{"detail": {location: {field: [...]}}, "message": ...}`; the fields."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == JSON
    body = r.json()
    assert body.keys() == {"detail", "message"}
    assert body["message"] == "Validation error"
    assert list(body["detail"]) == [location]
    return body["detail"][location]


def test_the_document_lists_every_operation(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    document = r.json()
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Pets API", "version": "1.0"}
    assert documented_operations(document) == expected_operations(framework)
    tags = {op["tags"][0] for item in document["paths"].values() for op in item.values()}
    assert tags == {"Pets"}  # APIFlask names the tag after the blueprint
    assert document["paths"]["/pets/"]["post"]["summary"] == "Create a pet"  # @bp.doc


@pytest.mark.only("fastapi", reason="compares the two documents with each other: runs once")
def test_both_documents_have_the_same_paths_methods_and_codes(framework):
    documents = {}
    for name in ("flask", "fastapi"):
        with client_for(name, load_app("apiflask", name)) as c:
            documents[name] = documented_operations(c.get("/openapi.json").json())
    flask, fastapi = documents["flask"], documents["fastapi"]
    assert flask.keys() == fastapi.keys()
    for path in flask:
        assert flask[path].keys() == fastapi[path].keys()
        for method in flask[path]:  # the one difference: FastAPI's 422 on path parameters
            extra = {"422"} if (path, method) in PATH_ONLY else set()
            assert flask[path][method] | extra == fastapi[path][method]


def test_the_input_schema_has_the_same_constraints(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["PetIn"]
    assert sorted(schema["required"]) == ["category", "name"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["name"]["minLength"] == 1
    assert schema["properties"]["name"]["maxLength"] == 50
    assert schema["properties"]["category"]["enum"] == ["cat", "dog"]


@pytest.mark.only("flask", reason="app.spec is APIFlask's; FastAPI has app.openapi()")
def test_app_spec_is_the_served_document(client, app):
    assert app.spec == client.get("/openapi.json").json()


def test_swagger_ui_is_served(client):
    assert_swagger_ui_page(client.get("/docs"))


def test_list_and_filter(client):
    assert client.get("/pets/").json() == PETS
    r = client.get("/pets/", params={"category": "dog", "utm_source": "x"})  # unknown: ignored
    assert r.status_code == 200
    assert r.json() == [PETS[1]]


@pytest.mark.parametrize("category", ["bird", "", "CAT"])
def test_an_unknown_query_value_is_a_422_under_query(client, category):
    fields = invalid(client.get("/pets/", params={"category": category}), "query")
    assert list(fields) == ["category"]


def test_create_get_put_delete(client):
    r = client.post("/pets/", json={"name": "Tom", "category": "cat"})
    assert r.status_code == 201
    assert r.json() == {"id": 3, "name": "Tom", "category": "cat"}
    assert client.get("/pets/3").json() == r.json()
    r = client.put("/pets/3", json={"name": "Thomas", "category": "cat"})
    assert r.status_code == 200
    assert r.json() == {"id": 3, "name": "Thomas", "category": "cat"}
    r = client.delete("/pets/3")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get("/pets/3").status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["category", "name"]),
        ({"name": "", "category": "cat"}, ["name"]),
        ({"name": 5, "category": "cat"}, ["name"]),
        ({"name": None, "category": "cat"}, ["name"]),
        ({"name": "x" * 51, "category": "cat"}, ["name"]),
        ({"name": "Tom", "category": "bird"}, ["category"]),
        ({"name": "Tom", "category": ["cat"]}, ["category"]),
        ({"name": "Tom", "category": "cat", "id": 9}, ["id"]),
        ({"name": "", "category": "bird", "id": 9}, ["category", "id", "name"]),
    ],
    ids=["missing", "empty", "number", "null", "too-long", "unknown-category", "list",
         "unknown-field", "every-field"],
)  # fmt: skip
def test_a_bad_body_is_a_422_with_messages_by_field(client, body, fields):
    errors = invalid(client.post("/pets/", json=body), "json")
    assert sorted(errors) == fields
    for messages in errors.values():
        assert messages and all(isinstance(text, str) and text for text in messages)


def test_the_messages_are_each_library_s_own(client, framework):
    errors = invalid(client.post("/pets/", json={"name": "Tom"}), "json")
    expected = {"flask": "Missing data for required field.", "fastapi": "Field required"}
    assert errors == {"category": [expected[framework]]}


@pytest.mark.parametrize(
    "content", [b"[1]", b'"Tom"', b"3", b"null"], ids=["array", "string", "number", "null"]
)
def test_a_body_that_is_not_an_object_is_a_schema_error(client, content):
    r = client.post("/pets/", content=content, headers={"content-type": JSON})
    errors = invalid(r, "json")
    assert list(errors) == ["_schema"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"name": "x"}},
        {},
        {"content": b"", "headers": {"content-type": JSON}},
    ],
    ids=["form", "no-body", "empty-json"],
)
def test_a_missing_body_is_refused(client, framework, request_kwargs):
    errors = invalid(client.post("/pets/", **request_kwargs), "json")
    # webargs reads an empty object and reports each required field; Pydantic, no object
    expected = {"flask": ["category", "name"], "fastapi": ["_schema"]}[framework]
    assert sorted(errors) == expected


@pytest.mark.parametrize(
    "content",
    [b"{bad", b'{"name": "x",}', b"\xff\xfe", b"[1, 2"],
    ids=["malformed", "trailing-comma", "not-utf8", "unclosed-array"],
)
def test_malformed_json_is_a_400(client, content):
    r = client.post("/pets/", content=content, headers={"content-type": JSON})
    assert r.status_code == 400
    assert r.json() == BAD_REQUEST


def test_deeply_nested_json_is_a_400(client, framework):
    content = b'{"a": ' * 5_000 + b"1" + b"}" * 5_000
    r = client.post("/pets/", content=content, headers={"content-type": JSON})
    assert r.status_code == 400
    # the app's RecursionError handler; FastAPI's body parser answers its own 400
    fastapi = {"detail": {}, "message": "There was an error parsing the body"}
    assert r.json() == {"flask": BAD_REQUEST, "fastapi": fastapi}[framework]


def test_nan_is_refused_not_500(client):
    r = client.post(
        "/pets/", content=b'{"name": NaN, "category": "cat"}', headers={"content-type": JSON}
    )
    assert list(invalid(r, "json")) == ["name"]


def test_a_lone_surrogate(client, framework):
    """Valid JSON: marshmallow stores it, Pydantic refuses it; FastAPI's own 422 would echo it
    and fail, the handler keeps the message only."""
    r = client.post(
        "/pets/", content=b'{"name": "\\ud800", "category": "cat"}', headers={"content-type": JSON}
    )
    if framework == "flask":
        assert r.status_code == 201
        assert r.content == b'{"category":"cat","id":3,"name":"\\ud800"}\n'
    else:
        assert list(invalid(r, "json")) == ["name"]


@pytest.mark.parametrize("name", ["\x00", "ünïcode 😀", "<script>"])
def test_hostile_text_is_stored_as_text(client, name):
    r = client.post("/pets/", json={"name": name, "category": "dog"})
    assert r.status_code == 201
    assert r.json()["name"] == name


def test_an_http_error_subclass_and_abort_have_the_same_shape(client):
    r = client.get("/pets/9")
    assert r.status_code == 404
    assert r.headers["content-type"] == JSON
    assert r.json() == {"detail": {"pet_id": 9}, "message": "Pet not found"}
    r = client.post("/pets/", json={"name": "Rex", "category": "cat"})
    assert r.status_code == 409
    assert r.json() == {"detail": {"name": "Rex"}, "message": "Name taken"}


@pytest.mark.parametrize("path", ["/nope", "/pets/1/2", "/pets/1/%00"])
def test_an_unknown_url_is_json_too(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"detail": {}, "message": "Not Found"}


@pytest.mark.parametrize("pet_id", ["abc", "%00", "1.5"])
def test_a_non_integer_id(client, framework, pet_id):
    r = client.get(f"/pets/{pet_id}")
    if framework == "flask":  # <int:pet_id> does not match: routing's 404
        assert r.status_code == 404
        assert r.json() == {"detail": {}, "message": "Not Found"}
    else:
        assert list(invalid(r, "path")) == ["pet_id"]


def test_a_wrong_method_keeps_the_shape_and_allow(client, framework):
    r = client.patch("/pets/1")
    assert r.status_code == 405
    assert r.json() == {"detail": {}, "message": "Method Not Allowed"}
    # APIFlask keeps Werkzeug's header; Starlette names the first route matching the path only
    expected = {"flask": route_methods("GET", "PUT", "DELETE")["flask"], "fastapi": {"GET"}}
    assert allowed(r) == expected[framework]


@pytest.mark.only("flask", reason="the RecursionError handler is the Flask app's")
def test_a_recursion_error_of_the_app_s_own_stays_a_500(client, app):
    """The handler is app-wide (APIFlask's parser has no hook): it must not turn a bug of
    the app's own into a client's 400."""

    def forever(n: int = 0) -> int:
        return forever(n + 1)

    app.add_url_rule("/forever", view_func=forever)
    r = client.get("/forever")
    assert r.status_code == 500
    assert r.json() == {"detail": {}, "message": "Internal Server Error"}


@pytest.mark.only("flask", reason="the RecursionError handler is the Flask app's")
def test_without_the_handler_deep_json_is_a_500(client, app):
    del app.error_handler_spec[None][None][RecursionError]
    content = b'{"a": ' * 5_000 + b"1" + b"}" * 5_000
    r = client.post("/pets/", content=content, headers={"content-type": JSON})
    assert r.status_code == 500
    assert r.json() == {"detail": {}, "message": "Internal Server Error"}
