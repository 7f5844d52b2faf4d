"""hostile-input: each framework's default answer to hostile JSON, and the hardening.

The `default_client` fixture serves the same app with its hardening undone (Flask's own
JSON provider; FastAPI's own validation handler), so that the page's "default" column is
measured, not remembered. `client` serves the app as the page shows it.
"""

import math
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import flask
import httpx2
import orjson
import pytest
from fastapi import FastAPI
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from pydantic import BaseModel

from guidekit.harness import client_for, load_module
from guidekit.hostile import check, hostile_probes, send_all
from tests.expect import assert_default_error, assert_server_error, assert_validation_error

JSON_TYPE = {"content-type": "application/json"}
DEPTH = 5_000

#: Hostile bodies for POST /readings, by name.
BODIES = {
    "nan": b'{"sensor": "s1", "value": NaN}',
    "infinity": b'{"sensor": "s1", "value": Infinity}',
    "1e999": b'{"sensor": "s1", "value": 1e999}',
    "lone-surrogate": b'{"sensor": "\\ud800", "value": 1}',
    "deep-array": b"[" * DEPTH + b"]" * DEPTH,
    "deep-object": b'{"a": ' * DEPTH + b"1" + b"}" * DEPTH,
    "invalid-utf-8": b'{"sensor": "\xff", "value": 1}',
    "utf-16": '{"sensor": "s1", "value": 1}'.encode("utf-16"),
}

#: Each framework's default answer: Flask's JSON provider, FastAPI's own 422 handler.
DEFAULT_STATUS = {
    "nan": {"flask": 201, "fastapi": 500},
    "infinity": {"flask": 201, "fastapi": 500},
    "1e999": {"flask": 201, "fastapi": 500},
    "lone-surrogate": {"flask": 201, "fastapi": 500},
    "deep-array": {"flask": 500, "fastapi": 400},
    "deep-object": {"flask": 500, "fastapi": 400},
    "invalid-utf-8": {"flask": 400, "fastapi": 400},
    "utf-16": {"flask": 201, "fastapi": 201},
}
#: The answers with the hardening the page shows.
HARDENED_STATUS = {
    "nan": {"flask": 400, "fastapi": 422},
    "infinity": {"flask": 400, "fastapi": 422},
    "1e999": {"flask": 400, "fastapi": 422},
    "lone-surrogate": {"flask": 400, "fastapi": 422},
    "deep-array": {"flask": 400, "fastapi": 400},
    "deep-object": {"flask": 400, "fastapi": 400},
    "invalid-utf-8": {"flask": 400, "fastapi": 400},
    "utf-16": {"flask": 400, "fastapi": 201},
}


def default_app(framework: str) -> Any:
    """The snippet app with its hardening undone: each framework's default answers."""
    app = load_module("hostile-input", framework).app
    if framework == "flask":
        app.json = DefaultJSONProvider(app)
    else:
        app.exception_handlers[RequestValidationError] = request_validation_exception_handler
    return app


@pytest.fixture
def default_client(framework: str) -> Iterator[httpx2.Client]:
    with client_for(framework, default_app(framework)) as client:
        yield client


def post(client: httpx2.Client, body: bytes) -> httpx2.Response:
    return client.post("/readings", content=body, headers=JSON_TYPE)


def test_a_reading_is_stored_and_read_back(client):
    r = client.post("/readings", json={"sensor": "s1", "value": 1.5})
    assert (r.status_code, r.json()) == (201, {"sensor": "s1", "value": 1.5})
    r = client.get("/readings/s1")
    assert (r.status_code, r.json()) == (200, {"sensor": "s1", "value": 1.5})


@pytest.mark.parametrize("name", BODIES)
def test_default_answers(default_client, framework, name):
    r = post(default_client, BODIES[name])
    expected = DEFAULT_STATUS[name][framework]
    assert r.status_code == expected, r.text
    if expected == 500:
        assert_server_error(r, framework)


@pytest.mark.only("flask", reason="FastAPI answers 500 there instead (test_default_answers)")
@pytest.mark.parametrize(
    ("name", "written"), [("nan", "NaN"), ("infinity", "Infinity"), ("1e999", "Infinity")]
)
def test_flasks_default_provider_writes_invalid_json(default_client, name, written):
    r = post(default_client, BODIES[name])
    assert r.status_code == 201
    assert r.text == f'{{"sensor":"s1","value":{written}}}\n'
    assert check(r) is not None  # not JSON: a strict client cannot read it


@pytest.mark.only("flask", reason="FastAPI's JSON parser is json.loads as well")
def test_flasks_default_provider_keeps_a_lone_surrogate(default_client):
    r = post(default_client, BODIES["lone-surrogate"])
    assert (r.status_code, r.text) == (201, '{"sensor":"\\ud800","value":1}\n')
    with pytest.raises(UnicodeEncodeError):  # stored, it breaks whatever encodes it later
        r.json()["sensor"].encode()


@pytest.mark.parametrize("name", BODIES)
def test_hardened_answers(client, framework, name):
    r = post(client, BODIES[name])
    assert r.status_code == HARDENED_STATUS[name][framework], r.text
    assert check(r) is None
    if r.status_code == 400 and framework == "flask":
        assert_default_error(r, framework, 400)  # get_json()'s own 400 page
    elif r.status_code == 400:
        assert r.json() == {"detail": "There was an error parsing the body"}


@pytest.mark.parametrize(
    ("name", "type_", "shown"),
    [
        ("nan", "finite_number", "nan"),
        ("1e999", "finite_number", "inf"),
        ("lone-surrogate", "string_unicode", "'\\ud800'"),
    ],
)
@pytest.mark.only("fastapi", reason="Flask's get_json() answers its own 400 page")
def test_the_422_writes_what_json_cannot_carry_as_its_repr(client, name, type_, shown):
    field = "sensor" if name == "lone-surrogate" else "value"
    error = assert_validation_error(post(client, BODIES[name]), ["body", field], type_)
    assert error["input"] == shown


def test_raw_bytes_as_text_plain(client, default_client, framework):
    """Flask refuses the Content-Type first; FastAPI hands the bytes to the model, and its
    own 422 cannot write them back (a 500): the app's handler writes their repr."""
    body, headers = b"\xff\xfe\x00", {"content-type": "text/plain"}
    default = default_client.post("/readings", content=body, headers=headers)
    r = client.post("/readings", content=body, headers=headers)
    if framework == "flask":
        assert (default.status_code, r.status_code) == (415, 415)
    else:
        assert_server_error(default, framework)
        error = assert_validation_error(r, ["body"], "model_attributes_type")
        assert error["input"] == repr(body)


@pytest.mark.only("flask", reason="the depth limit is orjson's; FastAPI parses with json.loads")
def test_orjson_refuses_nesting_beyond_1024(client):
    def nested(depth: int) -> bytes:  # the object itself is the first level
        arrays = depth - 1
        return b'{"sensor": "s1", "value": 1, "tags": ' + b"[" * arrays + b"]" * arrays + b"}"

    assert post(client, nested(1024)).status_code == 201
    assert_default_error(post(client, nested(1025)), "flask", 400)


@pytest.mark.only("fastapi", reason="the handler is FastAPI's; Flask's view writes its own")
@pytest.mark.parametrize(
    "body", [[1, 2], {"sensor": "", "value": "high"}, {}], ids=["array", "two-errors", "empty"]
)
def test_the_handler_keeps_fastapis_own_422(client, default_client, body):
    """For every input JSON can carry, the answer is FastAPI's own, byte for byte."""
    r, default = client.post("/readings", json=body), default_client.post("/readings", json=body)
    assert (r.status_code, r.headers["content-type"]) == (422, "application/json")
    assert r.content == default.content


def test_a_json_array_instead_of_an_object(client, framework):
    r = post(client, b"[1, 2]")
    if framework == "flask":
        assert (r.status_code, r.json()) == (400, {"error": "the body must be a JSON object"})
    else:
        assert_validation_error(r, ["body"], "model_attributes_type")


@pytest.mark.parametrize(
    ("body", "field", "type_"),
    [
        ({"sensor": "", "value": 1}, "sensor", "string_too_short"),
        ({"sensor": "s1", "value": "high"}, "value", "float_parsing"),
    ],
    ids=["empty-sensor", "text-value"],
)
def test_wrong_fields_are_refused(client, framework, body, field, type_):
    r = client.post("/readings", json=body)
    if framework == "flask":
        assert r.status_code == 400
        assert r.json()["error"].startswith(field)
    else:
        assert_validation_error(r, ["body", field], type_)


def test_integers_beyond_64_bits_arrive_as_floats(client, framework):
    # orjson reads them as floats; the FastAPI model's field is a float anyway.
    r = post(client, b'{"sensor": "s1", "value": 18446744073709551616}')
    assert (r.status_code, r.json()) == (201, {"sensor": "s1", "value": 2.0**64})
    assert r.text.startswith('{"sensor":"s1","value":1.8446744073709552e+19}')
    r = post(client, b'{"sensor": "s1", "value": 9223372036854775807}')
    assert r.json()["value"] == {"flask": 2**63 - 1, "fastapi": 2.0**63}[framework]


def test_nul_and_over_long_path_segments_are_a_miss(client, framework):
    for path in ("/readings/a%00b", "/readings/" + "x" * 300):
        r = client.get(path)
        assert r.status_code == 404
        assert (
            r.json()
            == {"flask": {"error": "no such sensor"}, "fastapi": {"detail": "no such sensor"}}[
                framework
            ]
        )


@pytest.mark.only("flask", reason="the JSON provider is Flask's")
def test_flasks_writing_is_unchanged(client):
    """Only reading moved to orjson: Flask still sorts keys and escapes non-ASCII."""
    r = client.post("/readings", json={"value": 2, "sensor": "é"})
    assert (r.status_code, r.text) == (201, '{"sensor":"\\u00e9","value":2}\n')


@pytest.mark.only("fastapi", reason="a Pydantic default; Flask has no model")
@pytest.mark.change("response-model-nan-as-null")
def test_pydantics_defaults_take_nan_and_lone_surrogates(framework):
    """Without allow_inf_nan=False, NaN passes; a response model then writes it as null,
    and a plain dict answer fails with a 500. Without a string constraint, "\\ud800" passes."""

    class Plain(BaseModel):
        value: float
        sensor: str = ""

    api = FastAPI()

    @api.post("/model")
    def as_model(body: Plain) -> Plain:
        return body

    @api.post("/dict")
    def as_dict(body: Plain):
        return {"value": body.value}

    assert math.isnan(Plain.model_validate({"value": math.nan}).value)
    assert Plain.model_validate({"value": 1, "sensor": "\ud800"}).sensor == "\ud800"
    with client_for(framework, api) as c:
        r = post_to(c, "/model", b'{"value": NaN}')
        assert (r.status_code, r.json()) == (200, {"value": None, "sensor": ""})
        assert_server_error(post_to(c, "/dict", b'{"value": NaN}'), framework)


def post_to(client: httpx2.Client, path: str, body: bytes) -> httpx2.Response:
    return client.post(path, content=body, headers=JSON_TYPE)


def test_the_hostile_battery_passes_here_and_fails_without_the_hardening(framework):
    """guidekit.hostile's requests: none is a 500 or invalid JSON with the hardening; some
    are without it (what the per-topic test catches in every other app)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for app, fails in (
            (load_module("hostile-input", framework).app, False),
            (default_app(framework), True),
        ):
            probes = [probe for _, probe in hostile_probes(framework, app, [])]
            answers = send_all(framework, app, probes)
            problems = [a if isinstance(a, Exception) else check(a) for a in answers]
            assert any(problems) is fails


@pytest.mark.only("flask", reason="the choice of JSON provider is Flask's")
def test_orjson_writes_what_flask_does_not(app):
    """Why the provider keeps Flask's writing: orjson would change every Flask answer."""
    value = {"b": 1, "a": "é", "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "x": math.nan}
    with app.app_context():
        assert app.json.dumps(value) == (
            '{"a": "\\u00e9", "b": 1, "when": "Fri, 02 Jan 2026 03:04:05 GMT", "x": NaN}'
        )
    assert orjson.dumps(value) == (
        '{"b":1,"a":"é","when":"2026-01-02T03:04:05+00:00","x":null}'.encode()
    )


@pytest.mark.only("flask", reason="get_json(silent=True) is Flask's")
def test_silent_get_json(app, framework):
    """silent=True turns orjson's refusal into None; Flask's own provider lets a deep
    body escape it as RecursionError."""
    deep = {"data": BODIES["deep-array"], "content_type": "application/json"}
    with app.test_request_context(**deep):
        assert flask.request.get_json(silent=True) is None
    default = default_app(framework)
    with default.test_request_context(**deep), pytest.raises(RecursionError):
        flask.request.get_json(silent=True)


@pytest.mark.only("flask", reason="the session serializer is Flask's")
@pytest.mark.change("session-untag-after-loads")
def test_the_session_serializer_reads_through_orjson(app):
    """Flask's own callers pass no keyword arguments to loads: the session's tagged JSON
    (tuples, bytes, dates) still round-trips through the provider."""
    value = {"pair": (1, 2), "raw": b"\x00\xff", "when": datetime(2026, 1, 2, tzinfo=UTC)}
    serializer = TaggedJSONSerializer()
    with app.app_context():
        assert serializer.loads(serializer.dumps(value)) == value
