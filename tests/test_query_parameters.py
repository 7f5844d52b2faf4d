"""query-parameters: request.args vs typed query parameters with Query() constraints."""

import pytest

from guidekit.harness import client_for
from tests.expect import assert_default_error


def error_422(type_, name, msg, input_, **ctx):
    """One entry of FastAPI's 422 body for a query parameter."""
    entry = {"type": type_, "loc": ["query", name], "msg": msg, "input": input_}
    if ctx:
        entry["ctx"] = ctx
    return {"detail": [entry]}


NOT_AN_INT = "Input should be a valid integer, unable to parse string as an integer"


def test_defaults_apply_when_absent(client):
    r = client.get("/items")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"page": 1, "size": 10, "tags": []}


def test_values_are_converted(client):
    r = client.get("/items", params={"page": "3", "size": "50"})
    assert r.status_code == 200
    assert r.json() == {"page": 3, "size": 50, "tags": []}


def test_repeated_key_is_a_list(client):
    r = client.get("/items?tag=python&tag=web")
    assert r.json() == {"page": 1, "size": 10, "tags": ["python", "web"]}


@pytest.mark.parametrize("query", ["tag=a,b", "tag[]=a"])
def test_no_comma_or_bracket_syntax_for_lists(client, query):
    r = client.get(f"/items?{query}")
    expected = ["a,b"] if query == "tag=a,b" else []  # tag[] is another name entirely
    assert r.json()["tags"] == expected


def test_repeated_scalar_first_wins_in_flask_last_in_fastapi(client, framework):
    r = client.get("/items?page=2&page=3")
    assert r.status_code == 200
    assert r.json()["page"] == {"flask": 2, "fastapi": 3}[framework]


@pytest.mark.parametrize("raw", ["x", "1.5", ""])
def test_invalid_value_falls_back_in_flask_but_is_422_in_fastapi(client, framework, raw):
    r = client.get("/items", params={"page": raw})
    if framework == "flask":
        assert r.status_code == 200  # no error at all: the default is used
        assert r.json() == {"page": 1, "size": 10, "tags": []}
    else:
        assert r.status_code == 422
        assert r.json() == error_422("int_parsing", "page", NOT_AN_INT, raw)


def test_below_minimum_is_400_in_flask_422_in_fastapi(client, framework):
    r = client.get("/items?page=0")
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "page must be at least 1"}
    else:
        assert r.status_code == 422
        assert r.json() == error_422(
            "greater_than_equal", "page", "Input should be greater than or equal to 1", "0", ge=1
        )


def test_above_maximum_is_400_in_flask_422_in_fastapi(client, framework):
    r = client.get("/items?size=101")
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "size must be between 1 and 100"}
    else:
        assert r.status_code == 422
        assert r.json() == error_422(
            "less_than_equal", "size", "Input should be less than or equal to 100", "101", le=100
        )


def test_required_parameter(client):
    r = client.get("/search?q=flask")
    assert r.status_code == 200
    assert r.json() == {"q": "flask"}


def test_empty_value_counts_as_present(client):
    r = client.get("/search?q=")
    assert r.status_code == 200
    assert r.json() == {"q": ""}


def test_missing_required_is_400_html_in_flask_422_in_fastapi(client, framework):
    r = client.get("/search")
    if framework == "flask":
        assert_default_error(r, framework, 400)  # BadRequestKeyError: a KeyError and a 400
    else:
        assert r.status_code == 422
        assert r.json() == error_422("missing", "q", "Field required", None)


def test_too_long_is_400_in_flask_422_in_fastapi(client, framework):
    r = client.get("/search", params={"q": "x" * 21})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "q must be at most 20 characters"}
    else:
        assert r.status_code == 422
        assert r.json() == error_422(
            "string_too_long",
            "q",
            "String should have at most 20 characters",
            "x" * 21,
            max_length=20,
        )


def test_a_mutable_default_is_fresh_for_each_request(framework, app):
    """Why `= []` is safe as a FastAPI default: each request gets its own copy."""
    if framework == "flask":
        from flask import request

        def seen():
            tag = request.args.getlist("tag")  # a new list on every call
            tag.append("x")
            return {"tags": tag}

        app.add_url_rule("/seen", "seen", seen)
    else:
        from typing import Annotated

        from fastapi import Query

        @app.get("/seen")
        def seen(tag: Annotated[list[str], Query()] = []):  # noqa: B006
            tag.append("x")  # mutates this request's copy only
            return {"tags": tag}

    with client_for(framework, app) as client:
        assert client.get("/seen").json() == {"tags": ["x"]}
        assert client.get("/seen").json() == {"tags": ["x"]}


def test_query_model_reads_a_repeated_key_into_its_list_field(client):
    r = client.get("/tickets?status=open&status=closed&limit=5")
    assert r.status_code == 200
    assert r.json() == {"status": ["open", "closed"], "limit": 5}
    assert client.get("/tickets").json() == {"status": [], "limit": 10}


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "status=nope&limit=0",
            [("literal_error", ["status", 0]), ("greater_than_equal", ["limit"])],
        ),
        ("status=", [("literal_error", ["status", 0])]),
        ("limit=abc", [("int_parsing", ["limit"])]),
    ],
    ids=["bad-values", "empty-list-item", "not-an-int"],
)
def test_query_model_errors(client, framework, query, errors):
    r = client.get(f"/tickets?{query}")
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert r.headers["content-type"] == "application/json"
    # The same Pydantic errors; FastAPI prefixes the location with "query".
    prefix = {"flask": [], "fastapi": ["query"]}[framework]
    assert [(e["type"], e["loc"]) for e in r.json()["detail"]] == [
        (type_, [*prefix, *loc]) for type_, loc in errors
    ]


@pytest.mark.only("fastapi", reason="Depends() versus Query() is FastAPI's choice")
def test_a_query_model_under_depends_reads_its_list_from_the_body(framework, snippet):
    """The pitfall: Depends() turns the model's fields into parameters, and a bare list
    parameter is a body parameter. With a default the query's values are silently dropped;
    without one, the request is a 422 at loc ["body"]."""
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from pydantic import BaseModel

    class Sorting(BaseModel):
        directions: list[str]  # required

    app = FastAPI()

    @app.get("/tickets")
    def list_tickets(filters: Annotated[snippet.Filters, Depends()]):
        return filters.model_dump()

    @app.get("/sorted")
    def sorted_(sorting: Annotated[Sorting, Depends()]):
        return sorting.model_dump()  # never reached: the body is missing

    with client_for(framework, app) as client:
        r = client.get("/tickets?status=open&status=closed&limit=5")
        assert r.status_code == 200
        assert r.json() == {"status": [], "limit": 5}  # the statuses are gone
        r = client.get("/sorted?directions=up&directions=asc")
        assert r.status_code == 422
        assert r.json()["detail"] == [
            {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}
        ]


@pytest.mark.only("fastapi", reason="how FastAPI decides where a parameter comes from")
def test_a_list_parameter_without_query_is_read_from_the_body(framework):
    """`num: list[int]` alone is a body parameter: ?num=1&num=2 is a 422 at loc
    ["body"], and only `Annotated[list[int], Query()]` reads the repeated key."""
    from typing import Annotated

    from fastapi import FastAPI, Query

    app = FastAPI()

    @app.get("/bare")
    def bare(num: list[int]):
        return num

    @app.get("/marked")
    def marked(num: Annotated[list[int], Query()]):
        return num

    with client_for(framework, app) as client:
        r = client.get("/bare?num=1&num=2")
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body"]
        assert client.get("/marked?num=1&num=2").json() == [1, 2]


def lenient_items_app():
    """The port of `request.args.get("page", 1, type=int)` for a front end that sends
    `?page=`: "" raises `PydanticUseDefault`, so the parameter takes its default."""
    from typing import Annotated

    from fastapi import FastAPI
    from pydantic import BeforeValidator
    from pydantic_core import PydanticUseDefault

    def empty_is_absent(value):
        if value == "":
            raise PydanticUseDefault()
        return value

    app = FastAPI()

    @app.get("/items")
    def items(
        page: Annotated[int, BeforeValidator(empty_is_absent)] = 1,
        item_id: Annotated[int | None, BeforeValidator(empty_is_absent)] = None,
    ):
        return {"page": page, "item_id": item_id}

    return app


def test_an_empty_value_can_fall_back_to_the_default_in_fastapi_too(client, framework):
    """Flask's `type=int` gives the default for `?page=`; FastAPI does too with the
    validator above (None for an optional id), and a value that does not convert is
    still a 422 there, where Flask falls back again."""
    from contextlib import nullcontext

    port = client_for(framework, lenient_items_app()) if framework == "fastapi" else None
    with port or nullcontext(client) as client:
        r = client.get("/items", params={"page": "", "item_id": ""})
        assert (r.status_code, r.json()["page"]) == (200, 1)
        assert r.json().get("item_id") is None
        assert client.get("/items", params={"page": "3"}).json()["page"] == 3
        r = client.get("/items", params={"page": "x"})
    if framework == "flask":
        assert (r.status_code, r.json()["page"]) == (200, 1)
    else:
        assert (r.status_code, r.json()) == (422, error_422("int_parsing", "page", NOT_AN_INT, "x"))
