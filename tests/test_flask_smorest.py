"""flask-smorest: Blueprint, MethodView, @blp.arguments, @blp.response, @blp.paginate and
abort → an APIRouter, Pydantic models and response_model; handlers that keep smorest's
error shape; the two OpenAPI documents list the same operations and status codes.
"""

import json

import pytest

from guidekit.harness import client_for, load_app
from tests.expect import JSON, allowed, assert_swagger_ui_page, documented_operations

# Both documents, operation by operation: 422 where arguments are parsed, "default" (the
# error schema) everywhere. FastAPI adds no 422 of its own once "default" is documented.
OPERATIONS = {
    "/books/": {"get": {"200", "422", "default"}, "post": {"201", "422", "default"}},
    "/books/{book_id}": {
        "get": {"200", "404", "default"},
        "put": {"200", "404", "422", "default"},
        "delete": {"204", "404", "default"},
    },
}
BOOKS = [
    {"id": 1, "title": "Dune", "year": 1965},
    {"id": 2, "title": "Emma", "year": 1815},
    {"id": 3, "title": "Ubik", "year": 1969},
]
UNPROCESSABLE = {"code": 422, "status": "Unprocessable Entity"}
PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 when json.loads raises
INVALID_JSON = {"code": 400, "status": "Bad Request", "errors": {"json": ["Invalid JSON body."]}}


def invalid(r, location: str) -> dict:
    """smorest's 422: `{"code": 422, "status": ..., "errors": {location: {...}}}`; the messages."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == JSON
    body = r.json()
    assert body.keys() == {"code", "status", "errors"}
    assert {"code": body["code"], "status": body["status"]} == UNPROCESSABLE
    assert list(body["errors"]) == [location]
    return body["errors"][location]


def test_the_document_lists_every_operation(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    document = r.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"] == {"title": "Books API", "version": "1.0"}
    assert documented_operations(document) == OPERATIONS


@pytest.mark.only("fastapi", reason="compares the two documents with each other: runs once")
def test_both_documents_have_the_same_paths_methods_and_codes(framework):
    documents = {}
    for name in ("flask", "fastapi"):
        with client_for(name, load_app("flask-smorest", name)) as c:
            documents[name] = documented_operations(c.get("/openapi.json").json())
    assert documents["flask"] == documents["fastapi"]


def test_the_schemas_have_the_same_constraints(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    book_in = schemas["BookIn"]
    assert book_in["required"] == ["title"]
    assert book_in["additionalProperties"] is False  # unknown fields refused in both
    assert book_in["properties"]["title"] | {"title": None} == {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "title": None,  # Pydantic adds a title; marshmallow does not
    }
    year = book_in["properties"]["year"]
    allowed_types = year.get("type") or [t["type"] for t in year["anyOf"]]
    assert allowed_types == ["integer", "null"]
    assert "Error" in schemas  # the error shape is documented in both


def test_swagger_ui_is_served(client):
    assert_swagger_ui_page(client.get("/docs"))


def test_list_is_paginated_with_the_metadata_in_a_header(client):
    r = client.get("/books/")
    assert r.status_code == 200
    assert r.json() == BOOKS[:2]
    assert json.loads(r.headers["x-pagination"]) == {
        "total": 3,
        "total_pages": 2,
        "first_page": 1,
        "last_page": 2,
        "page": 1,
        "next_page": 2,
    }
    r = client.get("/books/", params={"page": 2, "sort": "title"})
    assert r.json() == [BOOKS[2]]
    assert json.loads(r.headers["x-pagination"])["previous_page"] == 1


def test_a_page_past_the_end_is_empty(client):
    r = client.get("/books/", params={"page": 9, "page_size": 100})
    assert r.status_code == 200
    assert r.json() == []
    assert json.loads(r.headers["x-pagination"]) == {
        "total": 3,
        "total_pages": 1,
        "first_page": 1,
        "last_page": 1,
    }


def test_an_empty_collection_has_no_pages(client, snippet):
    snippet.BOOKS.clear()
    r = client.get("/books/")
    assert r.json() == []
    assert json.loads(r.headers["x-pagination"]) == {"total": 0, "total_pages": 0}


def test_sort_and_unknown_query_parameters(client):
    r = client.get("/books/", params={"sort": "year", "page_size": 3, "utm_source": "x"})
    assert r.status_code == 200
    assert [book["id"] for book in r.json()] == [2, 1, 3]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "author"},
        {"page": 0},
        {"page": -1},
        {"page_size": 101},
        {"page_size": 10**9},
        {"page_size": 0},
        {"page_size": -1},
        {"page": "abc"},
        {"sort": ""},
    ],
    ids=[
        "unknown-sort",
        "page-0",
        "page-negative",
        "page-size-too-big",
        "page-size-huge",
        "page-size-0",
        "page-size-negative",
        "page-not-a-number",
        "empty-sort",
    ],
)
def test_bad_query_values_are_a_422_under_query(client, params):
    errors = invalid(client.get("/books/", params=params), "query")
    assert list(errors) == list(params)
    assert all(isinstance(text, str) for text in errors[next(iter(params))])


def test_create_and_read(client):
    r = client.post("/books/", json={"title": "Solaris", "year": "1961"})  # "1961": lax in both
    assert r.status_code == 201
    assert r.json() == {"id": 4, "title": "Solaris", "year": 1961}
    assert client.get("/books/4").json() == {"id": 4, "title": "Solaris", "year": 1961}


def test_year_may_be_left_out_or_null(client):
    assert client.post("/books/", json={"title": "A"}).json() == {
        "id": 4,
        "title": "A",
        "year": None,
    }
    r = client.post("/books/", json={"title": "B", "year": None})
    assert r.json() == {"id": 5, "title": "B", "year": None}


def test_put_replaces_and_delete_removes(client):
    r = client.put("/books/1", json={"title": "Dune Messiah", "year": 1969})
    assert r.status_code == 200
    assert r.json() == {"id": 1, "title": "Dune Messiah", "year": 1969}
    r = client.delete("/books/1")
    assert r.status_code == 204
    assert r.content == b""


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["title"]),
        ({"title": ""}, ["title"]),
        ({"title": 123}, ["title"]),
        ({"title": None}, ["title"]),
        ({"title": "x" * 201}, ["title"]),
        ({"title": "x", "year": "soon"}, ["year"]),
        ({"title": "x", "year": -1}, ["year"]),
        ({"title": "x", "year": 10**30}, ["year"]),
        ({"title": "x", "id": 99}, ["id"]),
        ({"title": "", "year": "soon", "id": 99}, ["id", "title", "year"]),
    ],
    ids=[
        "missing",
        "empty",
        "number",
        "null",
        "too-long",
        "year-text",
        "year-negative",
        "year-huge",
        "unknown-field",
        "every-field",
    ],
)
def test_a_bad_body_is_a_422_with_messages_by_field(client, body, fields):
    errors = invalid(client.post("/books/", json=body), "json")
    assert sorted(errors) == fields
    for messages in errors.values():
        assert messages and all(isinstance(text, str) and text for text in messages)


def test_the_messages_are_each_library_s_own(client, framework):
    errors = invalid(client.post("/books/", json={}), "json")
    expected = {"flask": "Missing data for required field.", "fastapi": "Field required"}
    assert errors == {"title": [expected[framework]]}


@pytest.mark.parametrize("body", [[1], "title", 3], ids=["array", "string", "number"])
def test_a_body_that_is_not_an_object_is_a_schema_error(client, body):
    errors = invalid(client.post("/books/", json=body), "json")
    assert list(errors) == ["_schema"]


@pytest.mark.parametrize(
    "content",
    [b"{bad", b'{"title": "x",}', b"\xff\xfe", b"[1, 2"],
    ids=["malformed", "trailing-comma", "not-utf8", "unclosed-array"],
)
def test_malformed_json_is_webargs_400(client, content):
    r = client.post("/books/", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json() == INVALID_JSON


@pytest.mark.parametrize(
    "content",
    [b'{"title": "x", "year": NaN}', b'{"title": "x", "year": Infinity}'],
    ids=["nan", "infinity"],
)
def test_nan_and_infinity_are_refused_not_500(client, content):
    errors = invalid(
        client.post("/books/", content=content, headers={"content-type": "application/json"}),
        "json",
    )
    assert list(errors) == ["year"]


def test_a_lone_surrogate_is_echoed_by_neither(client):
    """FastAPI's own 422 echoes the input, which JSON cannot carry; the handler does not."""
    r = client.post(
        "/books/", content=b'{"title": 5, "year": "\\ud800"}', headers={"content-type": JSON}
    )
    errors = invalid(r, "json")
    assert sorted(errors) == ["title", "year"]
    assert "ud800" not in r.text


def test_deeply_nested_json_is_a_400(client, framework):
    content = b'{"a": ' * 5_000 + b"1" + b"}" * 5_000
    r = client.post("/books/", content=content, headers={"content-type": JSON})
    assert r.status_code == 400
    # webargs' parser, taught to catch RecursionError; FastAPI's body parser answers its own 400
    fastapi = {
        "code": 400,
        "status": "Bad Request",
        "message": "There was an error parsing the body",
    }
    assert r.json() == {"flask": INVALID_JSON, "fastapi": fastapi}[framework]


@pytest.mark.parametrize(
    "request_kwargs",
    [{"data": {"title": "x"}}, {}, {"content": b"", "headers": {"content-type": JSON}}],
    ids=["form", "no-body", "empty-json"],
)
def test_a_missing_body_is_refused(client, framework, request_kwargs):
    errors = invalid(client.post("/books/", **request_kwargs), "json")
    # webargs reads an empty object and reports the required field; Pydantic, no object at all
    assert list(errors) == {"flask": ["title"], "fastapi": ["_schema"]}[framework]


@pytest.mark.parametrize(("year", "flask_year"), [(1.5, 1), (True, None)], ids=["float", "bool"])
def test_lax_integers_differ(client, framework, year, flask_year):
    """marshmallow truncates 1.5 and refuses true; Pydantic refuses 1.5 and reads true as 1."""
    r = client.post("/books/", json={"title": "x", "year": year})
    stored = {"flask": flask_year, "fastapi": None if year == 1.5 else 1}[framework]
    if stored is None:
        assert list(invalid(r, "json")) == ["year"]
    else:
        assert r.status_code == 201
        assert r.json()["year"] == stored


@pytest.mark.parametrize("title", ["\x00", "ünïcode 😀", "<script>"])
def test_hostile_text_is_stored_as_text(client, title):
    r = client.post("/books/", json={"title": title})
    assert r.status_code == 201
    assert r.json()["title"] == title


def test_abort_has_the_same_shape_in_both(client):
    r = client.get("/books/9")
    assert r.status_code == 404
    assert r.headers["content-type"] == JSON
    assert r.json() == {"code": 404, "status": "Not Found", "message": "Book 9 not found"}
    for r in (client.put("/books/9", json={"title": "x"}), client.delete("/books/9")):
        assert r.json() == {"code": 404, "status": "Not Found", "message": "Book 9 not found"}


@pytest.mark.parametrize("path", ["/nope", "/books/1/2", "/books/1/%00"])
def test_an_unknown_url_is_json_too(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"code": 404, "status": "Not Found"}


@pytest.mark.parametrize("book_id", ["abc", "%00", "1.5"])
def test_a_non_integer_id(client, framework, book_id):
    r = client.get(f"/books/{book_id}")
    if framework == "flask":  # <int:book_id> does not match: routing's 404
        assert r.status_code == 404
        assert r.json() == {"code": 404, "status": "Not Found"}
    else:
        assert invalid(r, "path") == {
            "book_id": ["Input should be a valid integer, unable to parse string as an integer"]
        }


def test_a_negative_id(client, framework):
    r = client.get("/books/-1")
    assert r.status_code == 404
    if framework == "flask":  # <int:> takes no sign: routing's 404, with no message
        assert r.json() == {"code": 404, "status": "Not Found"}
    else:  # an int, so the endpoint runs and finds no such book
        assert r.json() == {"code": 404, "status": "Not Found", "message": "Book -1 not found"}


def test_a_huge_page_number_is_an_empty_page(client):
    r = client.get("/books/", params={"page": 10**25})
    assert r.status_code == 200
    assert r.json() == []
    assert json.loads(r.headers["x-pagination"]) == {
        "total": 3,
        "total_pages": 2,
        "first_page": 1,
        "last_page": 2,
    }


def test_a_wrong_method_is_json_and_smorest_drops_allow(client, framework):
    r = client.patch("/books/1")
    assert r.status_code == 405
    assert r.json() == {"code": 405, "status": "Method Not Allowed"}
    if framework == "flask":  # the handler returns its own headers only: Werkzeug's Allow is lost
        assert "allow" not in r.headers
    else:  # kept by the handler; Starlette names the first route matching the path only
        assert allowed(r) == {"GET"}  # not PUT or DELETE, which the URL takes too


@pytest.mark.only("flask", reason="api.spec is flask-smorest's; FastAPI has app.openapi()")
def test_api_spec_is_the_served_document(client, snippet):
    assert snippet.api.spec.to_dict() == client.get("/openapi.json").json()
