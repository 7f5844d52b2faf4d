"""form-data: `request.form` vs `Form()` fields and form models."""

import pytest

from guidekit.harness import client_for
from tests.expect import (
    assert_default_error,
    assert_method_not_allowed,
    assert_validation_error,
    has,
    route_methods,
)

# The same fields sent both ways a browser can encode a form.
URLENCODED = {"data": {"item": "book", "quantity": "2", "tag": ["a", "b"]}}
# httpx sends multipart when `files` is given; (None, value) is a plain field, not a file.
MULTIPART = {
    "files": [
        ("item", (None, "book")),
        ("quantity", (None, "2")),
        ("tag", (None, "a")),
        ("tag", (None, "b")),
    ]
}


@pytest.mark.parametrize("body", [URLENCODED, MULTIPART], ids=["urlencoded", "multipart"])
def test_both_encodings_are_read(client, body):
    r = client.post("/orders", **body)
    assert r.status_code == 200
    assert r.json() == {"item": "book", "quantity": 2, "tags": ["a", "b"]}


def test_optional_fields_take_their_defaults(client):
    r = client.post("/orders", data={"item": "book"})
    assert r.status_code == 200
    assert r.json() == {"item": "book", "quantity": 1, "tags": []}


def test_missing_field_is_400_html_in_flask_422_json_in_fastapi(client, framework):
    r = client.post("/orders", data={"quantity": "2"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert_default_error(r, framework, 400)
    else:
        assert r.json() == {
            "detail": [
                {"type": "missing", "loc": ["body", "item"], "msg": "Field required", "input": None}
            ]
        }


def test_wrong_type_falls_back_in_flask_is_422_in_fastapi(client, framework):
    r = client.post("/orders", data={"item": "book", "quantity": "abc"})
    if framework == "flask":
        assert r.status_code == 200
        assert r.json() == {"item": "book", "quantity": 1, "tags": []}
    else:
        assert r.status_code == 422
        [error] = r.json()["detail"]
        assert error["type"] == "int_parsing"
        assert error["loc"] == ["body", "quantity"]
        assert error["input"] == "abc"


@pytest.mark.parametrize(
    "body",
    [
        {"json": {"item": "book", "quantity": 2}},
        {"content": b"item=book", "headers": {"content-type": "text/plain"}},
    ],
    ids=["json", "text"],
)
def test_a_body_that_is_not_a_form_has_no_fields(client, framework, body):
    """Neither framework falls back to JSON: the form is simply empty."""
    r = client.post("/orders", **body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["loc"] == ["body", "item"]


@pytest.mark.parametrize("body", [URLENCODED, MULTIPART], ids=["urlencoded", "multipart"])
def test_form_model_happy_path(client, body):
    fields = {"data": {"username": "alice", "age": "30"}}
    if "files" in body:
        fields = {"files": {"username": (None, "alice"), "age": (None, "30")}}
    r = client.post("/signup", **fields)
    assert r.status_code == 200
    assert r.json() == {"username": "alice", "age": 30}


def test_form_model_errors(client, framework):
    r = client.post("/signup", data={"username": "al", "age": "x"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    errors = r.json()["detail"]
    # Same Pydantic errors; FastAPI prefixes the location with "body".
    prefix = {"flask": [], "fastapi": ["body"]}[framework]
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("string_too_short", [*prefix, "username"]),
        ("int_parsing", [*prefix, "age"]),
    ]


def test_form_model_rejects_json(client, framework):
    r = client.post("/signup", json={"username": "alice", "age": 30})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert [e["type"] for e in r.json()["detail"]] == ["missing", "missing"]


def test_get_on_a_form_route_is_405(client, framework):
    assert_method_not_allowed(client.get("/orders"), framework, route_methods("POST"))


@pytest.mark.only("fastapi", reason="Flask reads request.form explicitly; nothing to forget")
def test_without_form_a_plain_parameter_is_read_from_the_query(framework):
    """The pitfall: a bare `item: str` is a query parameter, so a posted form does not fill it."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/forgot")
    def forgot(item: str):
        return {"item": item}

    with client_for(framework, app) as client:
        r = client.post("/forgot", data={"item": "book"})
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["query", "item"]
        assert client.post("/forgot?item=book").json() == {"item": "book"}


# Empty versus absent: `username=` is sent but empty; no `username` at all is absent.
USERNAME_REQUIRED = {"error": "Username is required."}


@pytest.mark.parametrize(
    "body",
    [{"data": {"username": ""}}, {"files": {"username": (None, "")}}],
    ids=["urlencoded", "multipart"],
)
def test_an_empty_field_reaches_the_views_own_check(client, body):
    r = client.post("/profile", **body)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    assert r.json() == USERNAME_REQUIRED


def test_an_absent_field_is_flasks_400_page_and_the_views_400_in_fastapi(client, framework):
    """The cost of letting the view decide: FastAPI can no longer tell absent from empty."""
    r = client.post("/profile", data={"other": "x"})
    if framework == "flask":
        assert_default_error(r, framework, 400)
    else:
        assert r.status_code == 400
        assert r.json() == USERNAME_REQUIRED


@pytest.mark.parametrize("username", ["alice", " ", "\u00e9l\u00e8ve"])
def test_a_filled_field_is_kept_as_sent(client, username):
    r = client.post("/profile", data={"username": username})
    assert r.status_code == 200
    assert r.json() == {"username": username}  # neither framework strips spaces


@pytest.mark.change("form-empty-is-missing")
def test_an_empty_required_field_is_a_value_in_flask_missing_in_fastapi(client, framework):
    """The trap of a literal port: `Annotated[str, Form()]` treats `item=` as absent."""
    r = client.post("/orders", data={"item": ""})
    if framework == "flask" or not has("form-empty-is-missing"):
        assert r.status_code == 200
        assert r.json() == {"item": "", "quantity": 1, "tags": []}
    else:
        assert_validation_error(r, ["body", "item"], "missing")


def test_an_empty_field_with_a_default_takes_the_default(client):
    """`quantity=`: Flask's type=int fails and falls back; FastAPI reads it as absent."""
    r = client.post("/orders", data={"item": "book", "quantity": ""})
    assert r.status_code == 200
    assert r.json() == {"item": "book", "quantity": 1, "tags": []}


@pytest.mark.change("form-empty-is-missing")
@pytest.mark.only("fastapi", reason="Flask keeps the empty string")
def test_an_optional_form_field_reads_empty_and_absent_as_none(framework):
    """`str | None` with a default of None: empty and absent both become None."""
    from typing import Annotated

    from fastapi import FastAPI, Form

    app = FastAPI()

    @app.post("/profile")
    def update_profile(username: Annotated[str | None, Form()] = None):
        return {"username": username}

    with client_for(framework, app) as client:
        empty = None if has("form-empty-is-missing") else ""  # the old answer: the value
        assert client.post("/profile", data={"username": ""}).json() == {"username": empty}
        assert client.post("/profile", data={"other": "x"}).json() == {"username": None}
        assert client.post("/profile", data={"username": "a"}).json() == {"username": "a"}


# Per-field limits (issue 19): Flask 3.1 caps a multipart text field at 500 kB
# (MAX_FORM_MEMORY_SIZE) and a form at 1000 parts (MAX_FORM_PARTS), answering 413;
# Starlette caps a text field at 1 MiB (max_part_size) and a form at 1000 fields, answering 400.
KB_600 = 600_000
MIB = 1024 * 1024


def _text_field(name: str, size: int) -> dict:
    return {"files": {name: (None, "x" * size)}}


@pytest.mark.change("form-memory-limit")
def test_a_600_kb_text_field_is_413_in_flask_and_accepted_by_fastapi(client, framework):
    r = client.post("/orders", **_text_field("item", KB_600))
    if framework == "flask":
        assert_default_error(r, framework, 413)
    else:
        assert r.status_code == 200
        assert r.json() == {"item": "x" * KB_600, "quantity": 1, "tags": []}


@pytest.mark.change("form-memory-limit")
def test_a_text_field_over_1_mib_is_413_in_flask_and_400_in_fastapi(client, framework):
    r = client.post("/orders", **_text_field("item", MIB + 1))
    if framework == "flask":
        assert_default_error(r, framework, 413)
    else:
        assert (r.status_code, r.headers["content-type"]) == (400, "application/json")
        assert r.json() == {"detail": "Part exceeded maximum size of 1024KB."}


def test_more_than_1000_parts_is_413_in_flask_and_400_in_fastapi(client, framework):
    r = client.post("/orders", files=[("item", (None, "book"))] + [("tag", (None, "a"))] * 1000)
    if framework == "flask":
        assert_default_error(r, framework, 413)
    else:
        assert (r.status_code, r.headers["content-type"]) == (400, "application/json")
        assert r.json() == {"detail": "Too many fields. Maximum number of fields is 1000."}


def test_a_view_can_raise_the_text_field_limit(client):
    r = client.post("/notes", **_text_field("text", 3 * MIB // 2))
    assert r.status_code == 200
    assert r.json() == {"length": 3 * MIB // 2}


@pytest.mark.change("form-memory-limit")
def test_the_raised_limit_still_holds(client, framework):
    r = client.post("/notes", **_text_field("text", 2 * MIB + 1))
    if framework == "flask":
        assert_default_error(r, framework, 413)
    else:
        assert (r.status_code, r.headers["content-type"]) == (400, "application/json")
        assert r.json() == {"detail": "Part exceeded maximum size of 2048KB."}


@pytest.mark.parametrize(
    "body",
    [{"data": {"other": "1"}}, {"files": {"text": ("a.txt", b"abc")}}],
    ids=["absent", "file"],
)
def test_the_raised_limit_route_wants_a_text_field(client, framework, body):
    r = client.post("/notes", **body)
    if framework == "flask":
        assert_default_error(r, framework, 400)
    else:
        assert r.status_code == 400
        assert r.json() == {"error": "text is required."}


def test_an_urlencoded_field_of_600_kb_is_accepted_by_both(client):
    # Flask's MAX_FORM_MEMORY_SIZE applies to multipart forms only.
    r = client.post("/orders", data={"item": "x" * KB_600})
    assert r.status_code == 200
    assert r.json() == {"item": "x" * KB_600, "quantity": 1, "tags": []}
