"""flask-restful: Flask-RESTful's Resource, reqparse and marshal_with → path operations,
Pydantic models and response_model, with an exception handler that keeps its error shape.
"""

import pytest
from flask import Flask
from flask_restful import reqparse

from tests.expect import allowed, assert_not_found, has, route_methods

FLASK_BAD_JSON = "The browser (or proxy) sent a request that this server could not understand."


def test_get_marshals_only_the_declared_fields(client):
    r = client.get("/todos/1")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    # owner is in the stored dict, not in marshal_with's fields / the response_model
    assert r.json() == {"id": 1, "task": "Write the guide", "done": False, "uri": "/todos/1"}


@pytest.mark.parametrize("done", [True, False, "true", "false"])
def test_put_creates_and_reads_booleans(client, done):
    r = client.put("/todos/2", json={"task": "Port the API", "done": done, "extra": "ignored"})
    assert r.status_code == 200
    expected = done in (True, "true")
    assert r.json() == {"id": 2, "task": "Port the API", "done": expected, "uri": "/todos/2"}
    assert client.get("/todos/2").json()["done"] is expected


def test_put_replaces_and_keeps_the_private_field(client, snippet):
    r = client.put("/todos/1", json={"task": "Rewrite"})
    assert r.json() == {"id": 1, "task": "Rewrite", "done": False, "uri": "/todos/1"}
    assert snippet.TASKS[1]["owner"] == "alice"


def test_delete_answers_204_then_404(client):
    r = client.delete("/todos/1")
    assert r.status_code == 204
    assert r.content == b""
    r = client.delete("/todos/1")
    assert r.status_code == 404
    assert r.json() == {"message": "Todo 1 doesn't exist"}


def test_missing_todo_keeps_the_message_shape(client):
    r = client.get("/todos/9")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"message": "Todo 9 doesn't exist"}


@pytest.mark.parametrize(
    ("body", "flask_message", "fastapi_message"),
    [
        ({}, "Missing required parameter in the JSON body", "Field required"),
        ({"task": 123}, "must be a non-empty string", "Input should be a valid string"),
        ({"task": ["a"]}, "must be a non-empty string", "Input should be a valid string"),
        ({"task": None}, "Must not be null!", "Input should be a valid string"),
        ({"task": "  "}, "must be a non-empty string", "String should match pattern '\\S'"),
    ],
    ids=["missing", "number", "list", "null", "blank"],
)
def test_a_bad_argument_is_400_with_a_message_per_field(
    client, framework, body, flask_message, fastapi_message
):
    r = client.put("/todos/2", json=body)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    message = {"flask": flask_message, "fastapi": fastapi_message}[framework]
    assert r.json() == {"message": {"task": message}}


@pytest.mark.parametrize("task", ["\x00", "ünïcode 😀", "x" * 10_000])
def test_hostile_text_is_stored_as_text(client, task):
    r = client.put("/todos/2", json={"task": task})
    assert r.status_code == 200
    assert r.json()["task"] == task


def test_two_bad_arguments_reqparse_reports_the_first_fastapi_both(client, framework):
    r = client.put("/todos/2", json={"task": 123, "done": "maybe"})
    assert r.status_code == 400
    expected = {
        "flask": {"task": "must be a non-empty string"},
        "fastapi": {
            "task": "Input should be a valid string",
            "done": "Input should be a valid boolean, unable to interpret input",
        },
    }[framework]
    assert r.json() == {"message": expected}


def test_malformed_json_is_400(client, framework):
    r = client.put("/todos/2", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == 400
    expected = {"flask": FLASK_BAD_JSON, "fastapi": {"body": "JSON decode error"}}[framework]
    assert r.json() == {"message": expected}


@pytest.mark.change("json-needs-content-type")
@pytest.mark.parametrize("content", [None, b"task=x"], ids=["no-body", "form"])
def test_a_body_that_is_not_json(client, framework, content):
    r = client.put("/todos/2", content=content)
    assert r.status_code == {"flask": 415, "fastapi": 400}[framework]
    flask_text = (
        "Did not attempt to load JSON data because the request Content-Type was not "
        "'application/json'."
    )
    fastapi_text = {None: "Field required"}.get(
        content,
        "Input should be a valid dictionary or object to extract fields from"
        if has("json-needs-content-type")
        else "JSON decode error",  # the old answer: a body with no Content-Type is JSON
    )
    expected = {"flask": flask_text, "fastapi": {"body": fastapi_text}}[framework]
    assert r.json() == {"message": expected}


@pytest.mark.parametrize("body", [[1], 1, 10**30, "a task"], ids=["array", "int", "huge", "str"])
def test_a_body_that_is_not_an_object_is_refused(client, framework, body):
    """reqparse assumes an object (`"task" in body`, then `body.get`): a number or a string
    containing "task" raised TypeError or AttributeError, a 500; the view checks first."""
    r = client.put("/todos/2", json=body)
    assert r.status_code == 400
    text = {
        "flask": "must be a JSON object",
        "fastapi": "Input should be a valid dictionary or object to extract fields from",
    }[framework]
    assert r.json() == {"message": {"body": text}}


@pytest.mark.parametrize(
    ("content", "fastapi_message"),
    [
        (b"NaN", {"body": "Input should be a valid dictionary or object to extract fields from"}),
        (b'{"task": "x", "done": Infinity}', {"done": "Input should be a valid boolean"}),
        (b"[" * 5_000 + b"]" * 5_000, "There was an error parsing the body"),
    ],
    ids=["nan", "infinity", "deep"],
)
def test_non_finite_numbers_and_deep_json_are_400(client, framework, content, fastapi_message):
    """Flask's own provider accepts NaN and Infinity and overflows the stack on deep nesting
    (a 500); the app's provider (orjson, see Hostile input) refuses them as malformed JSON."""
    r = client.put("/todos/2", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"message": {"flask": FLASK_BAD_JSON, "fastapi": fastapi_message}[framework]}


def test_a_finite_number_still_parses(client):
    r = client.put("/todos/2", json={"task": "x", "estimate": 1.5})  # unknown key: ignored
    assert r.status_code == 200
    assert r.json() == {"id": 2, "task": "x", "done": False, "uri": "/todos/2"}


def test_a_lone_surrogate_is_refused(client, framework):
    """marshal_with's fields.Url passes every key of the object to url_for, which cannot
    encode "\\ud800" (a 500): the Flask app's JSON provider refuses it as malformed JSON."""
    content = b'{"task": "\\ud800"}'
    r = client.put("/todos/2", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    fastapi_text = "Input should be a valid string, unable to parse raw data as a unicode string"
    expected = {"flask": FLASK_BAD_JSON, "fastapi": {"task": fastapi_text}}[framework]
    assert r.json() == {"message": expected}
    assert client.get("/todos/2").status_code == 404  # nothing stored


@pytest.mark.only("flask", reason="<int:todo_id> does not match: no route, Flask's own 404")
@pytest.mark.parametrize("path", ["/todos/abc", "/nope"])
def test_flask_restful_leaves_unmatched_urls_to_flask(client, framework, path):
    assert_not_found(client.get(path), framework)  # Flask-RESTful shapes its own routes only


@pytest.mark.only("fastapi", reason="FastAPI validates the path parameter: 400 here")
def test_fastapi_non_integer_id_is_a_bad_argument(client):
    r = client.get("/todos/abc")
    assert r.status_code == 400
    text = "Input should be a valid integer, unable to parse string as an integer"
    assert r.json() == {"message": {"todo_id": text}}


@pytest.mark.only("fastapi", reason="Flask answers its default HTML 404 (previous test)")
def test_fastapi_handler_shapes_every_http_error(client):
    r = client.get("/nope")
    assert r.status_code == 404
    assert r.json() == {"message": "Not Found"}


def test_wrong_method_keeps_the_message_shape(client, framework):
    r = client.post("/todos/1")
    assert r.status_code == 405
    assert (
        r.json()
        == {
            "flask": {"message": "The method is not allowed for the requested URL."},
            "fastapi": {"message": "Method Not Allowed"},
        }[framework]
    )
    # Starlette names the first route matching the path only: one route per method there.
    flask_allow = route_methods("GET", "PUT", "DELETE")["flask"]
    assert allowed(r) == {"flask": flask_allow, "fastapi": {"GET"}}[framework]


@pytest.mark.only("flask", reason="reqparse's type=str and type=bool, which Pydantic replaces")
def test_reqparse_str_and_bool_types_convert_anything(framework):
    parser = reqparse.RequestParser()
    parser.add_argument("task", type=str, location="json")
    parser.add_argument("done", type=bool, location="json")
    with Flask(__name__).test_request_context(json={"task": ["a"], "done": "false"}):
        assert parser.parse_args() == {"task": "['a']", "done": True}
