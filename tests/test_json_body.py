"""json-body: request.get_json() plus hand-written checks vs a Pydantic model parameter."""

import pytest

from guidekit.harness import client_for
from tests.expect import (
    assert_default_error,
    assert_method_not_allowed,
    assert_validation_error,
    has,
    route_methods,
)

VALID = {"name": "Widget", "price": 9.5}


def test_valid_body_is_created_and_echoed(client):
    r = client.post("/items", json=VALID)
    assert r.status_code == 201
    assert r.headers["content-type"] == "application/json"
    assert r.json() == VALID


def test_an_integer_price_comes_back_as_a_float(client):
    r = client.post("/items", json={"name": "Widget", "price": 3})
    assert r.status_code == 201
    assert r.text.replace(" ", "").replace("\n", "") == '{"name":"Widget","price":3.0}'


def test_extra_fields_are_ignored(client):
    r = client.post("/items", json={**VALID, "colour": "red"})
    assert r.status_code == 201
    assert r.json() == VALID


def test_malformed_json(client, framework):
    r = client.post(
        "/items", content=b'{"name": "Widget",', headers={"content-type": "application/json"}
    )
    if framework == "flask":
        # Werkzeug's BadRequest from get_json(), an HTML page that does not say why.
        assert_default_error(r, framework, 400)
    else:
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/json"
        assert r.json() == {
            "detail": [
                {
                    "type": "json_invalid",
                    "loc": ["body", 18],  # the character offset where parsing failed
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": "Expecting property name enclosed in double quotes"},
                }
            ]
        }


@pytest.mark.parametrize(
    "headers",
    [{"content-type": "text/plain"}, {}],
    ids=["text-plain", "no-content-type"],
)
@pytest.mark.change("json-needs-content-type")
def test_json_sent_without_a_json_content_type(client, framework, headers):
    body = b'{"name": "Widget", "price": 9.5}'
    r = client.post("/items", content=body, headers=headers)
    if framework == "fastapi" and not headers and not has("json-needs-content-type"):
        assert r.status_code == 201  # the old answer: no Content-Type was read as JSON
    elif framework == "flask":
        flask_text = "request Content-Type was not &#39;application/json&#39;"
        assert_default_error(r, framework, 415, flask_text=flask_text)
    else:
        # FastAPI does not parse the body as JSON, so the model receives a string.
        assert r.status_code == 422
        assert r.json() == {
            "detail": [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": body.decode(),
                }
            ]
        }


def test_empty_body_with_json_content_type(client, framework):
    r = client.post("/items", content=b"", headers={"content-type": "application/json"})
    if framework == "flask":
        assert_default_error(r, framework, 400)  # an empty string is not valid JSON
    else:
        assert r.status_code == 422  # FastAPI treats an empty body as a missing one
        assert r.json() == {
            "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
        }


def test_no_body_at_all(client, framework):
    r = client.post("/items")
    assert r.status_code == {"flask": 415, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["type"] == "missing"


def test_body_that_is_not_an_object(client, framework):
    r = client.post("/items", json=["Widget", 9.5])
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "the body must be a JSON object"}
    else:
        assert r.status_code == 422
        assert r.json()["detail"][0]["type"] == "model_attributes_type"


def test_missing_field(client, framework):
    r = client.post("/items", json={"name": "Widget"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.headers["content-type"] == "application/json"
        assert r.json() == {"error": "price is required"}
    else:
        assert r.status_code == 422
        assert r.json() == {
            "detail": [
                {
                    "type": "missing",
                    "loc": ["body", "price"],
                    "msg": "Field required",
                    "input": {"name": "Widget"},
                }
            ]
        }


def test_wrong_type(client, framework):
    r = client.post("/items", json={"name": "Widget", "price": "cheap"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "price has the wrong type"}
    else:
        assert r.status_code == 422
        assert r.json() == {
            "detail": [
                {
                    "type": "float_parsing",
                    "loc": ["body", "price"],
                    "msg": "Input should be a valid number, unable to parse string as a number",
                    "input": "cheap",
                }
            ]
        }


@pytest.mark.parametrize("name", [42, True], ids=["int", "bool"])
def test_a_name_that_is_not_a_string_is_refused_by_both(client, framework, name):
    r = client.post("/items", json={"name": name, "price": 1})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["type"] == "string_type"


@pytest.mark.parametrize(
    ("price", "coerced"), [("2", 2.0), (True, 1.0)], ids=["numeric-string", "bool"]
)
def test_pydantic_lax_mode_coerces_what_the_flask_check_refuses(client, framework, price, coerced):
    # Pydantic's lax mode turns "2" into 2.0 and true into 1.0 for a float field;
    # the hand-written Flask check refuses both.
    r = client.post("/items", json={"name": "Widget", "price": price})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "price has the wrong type"}
    else:
        assert r.status_code == 201
        assert r.json() == {"name": "Widget", "price": coerced}


def test_several_problems(client, framework):
    r = client.post("/items", json={})
    if framework == "flask":
        assert r.json() == {"error": "name is required"}  # this app stops at the first
    else:
        assert [e["loc"] for e in r.json()["detail"]] == [["body", "name"], ["body", "price"]]


def test_get_is_not_allowed(client, framework):
    assert_method_not_allowed(client.get("/items"), framework, route_methods("POST"))


def test_strict_content_type_false_accepts_only_a_missing_content_type(framework, snippet):
    """FastAPI(strict_content_type=False) parses JSON sent with no Content-Type at all, but
    still not JSON labelled text/plain; Flask's get_json() refuses both (415)."""
    body = b'{"name": "Widget", "price": 9.5}'
    if framework == "flask":
        app = snippet.app
    else:
        from fastapi import FastAPI

        app = FastAPI(strict_content_type=False)
        app.post("/items", status_code=201)(snippet.create_item)
    with client_for(framework, app) as client:
        missing = client.post("/items", content=body)
        plain = client.post("/items", content=body, headers={"content-type": "text/plain"})
    assert missing.status_code == {"flask": 415, "fastapi": 201}[framework]
    assert plain.status_code == {"flask": 415, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert missing.json() == VALID


def test_an_empty_string_is_a_value_in_both(client):
    """Unlike a form field, an empty JSON string is present: a `str` field accepts it."""
    r = client.post("/items", json={"name": "", "price": 1})
    assert r.status_code == 201
    assert r.json() == {"name": "", "price": 1.0}


def test_null_is_neither_empty_nor_absent(client, framework):
    r = client.post("/items", json={"name": None, "price": 1})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"error": "name has the wrong type"}
    else:
        assert_validation_error(r, ["body", "name"], "string_type")


@pytest.mark.parametrize("body", [b'{"name": "W", "price": NaN}', b'{"name": "W", "price": 1e999}'])
def test_a_non_finite_price_is_refused(client, framework, body):
    """json.loads accepts NaN and 1e999 (infinity); both apps refuse them instead of a 500."""
    r = client.post("/items", content=body, headers={"content-type": "application/json"})
    if framework == "flask":
        assert r.status_code == 400  # get_json()'s BadRequest, from the app's JSON provider
    else:
        error = assert_validation_error(r, ["body", "price"], "finite_number")
        assert error["input"] in {"nan", "inf"}  # the repr: JSON cannot carry the number


def test_deeply_nested_json_is_refused(client, framework):
    """json.loads raises RecursionError, not ValueError: Flask needs the provider's catch."""
    body = b"[" * 5000 + b"]" * 5000
    r = client.post("/items", content=body, headers={"content-type": "application/json"})
    assert_default_error(r, framework, 400, fastapi_detail="There was an error parsing the body")


@pytest.mark.only("fastapi", reason="how FastAPI decides where a parameter comes from")
def test_plain_parameters_of_a_post_route_are_read_from_the_query(framework):
    """`def join(x: str, y: str)` on a POST route wants ?x=&y=, not a JSON body: a JSON
    object with those keys is a 422 naming the query. A model (or `Body()`) reads the body."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Pair(BaseModel):
        x: str
        y: str

    app = FastAPI()

    @app.post("/join")
    def join(x: str, y: str):
        return {"joined": f"{x}-{y}"}

    @app.post("/join-body")
    def join_body(pair: Pair):
        return {"joined": f"{pair.x}-{pair.y}"}

    with client_for(framework, app) as client:
        r = client.post("/join", json={"x": "a", "y": "b"})
        assert r.status_code == 422
        assert [e["loc"] for e in r.json()["detail"]] == [["query", "x"], ["query", "y"]]
        assert client.post("/join?x=a&y=b").json() == {"joined": "a-b"}
        assert client.post("/join-body", json={"x": "a", "y": "b"}).json() == {"joined": "a-b"}


@pytest.mark.only("fastapi", reason="a Pydantic model setting")
def test_coerce_numbers_to_str_accepts_a_number_for_a_text_field(framework):
    """Pydantic 2 refuses 42 for a `str` field, on both apps
    (test_a_name_that_is_not_a_string_is_refused_by_both);
    `coerce_numbers_to_str=True` brings back the conversion, and only for numbers."""
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict

    class Item(BaseModel):
        model_config = ConfigDict(coerce_numbers_to_str=True)
        name: str

    app = FastAPI()

    @app.post("/items")
    def create(item: Item):
        return item

    with client_for(framework, app) as client:
        assert client.post("/items", json={"name": 42}).json() == {"name": "42"}
        r = client.post("/items", json={"name": True})
        assert r.status_code == 422
        assert r.json()["detail"][0]["type"] == "string_type"
