"""A view's returned str that is not a literal (issue 21, item 2): Flask sends any str as
`text/html`; FastAPI would JSON-encode `json.dumps(...)` a second time. What the rule can
prove is a str becomes an `HTMLResponse`, in a return, a `(body, status)` tuple or a
`make_response`; the parity test runs both apps."""

from __future__ import annotations

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, load_module

FLASK_APP = """\
import json

from flask import Flask, make_response

app = Flask(__name__)


@app.get("/dumped")
def dumped():
    return json.dumps({"a": 1})


@app.get("/local")
def local():
    body = json.dumps({"b": [1, 2]})
    body += "\\n"
    return body


@app.get("/created")
def created():
    return json.dumps({"c": 3}), 201


@app.get("/made")
def made():
    return make_response(app.json.dumps({"d": 4}), 202)


@app.get("/formatted")
def formatted():
    return "<p>{}</p>".format("e") + "!"
"""


def test_a_returned_json_string_keeps_flasks_answer(tmp_path):
    port, _ = port_source(FLASK_APP)
    assert 'return HTMLResponse(json.dumps({"a": 1}))' in port, port
    # `app.json` is Flask's JSON provider; FastAPI's app has none, so the parity app
    # uses the stdlib encoder, which writes the same text for this body.
    port = port.replace("app.json.dumps", "json.dumps")
    apps = {
        "flask": load_module(tmp_path / "tr_flask.py", FLASK_APP, "tr_flask").app,
        "fastapi": load_module(tmp_path / "tr_port.py", port, "tr_port").app,
    }
    seen = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            seen[framework] = [
                (r.status_code, r.headers["content-type"], r.text)
                for r in map(client.get, ("/dumped", "/local", "/created", "/made", "/formatted"))
            ]
    assert seen["fastapi"] == seen["flask"]
    assert seen["flask"] == [
        (200, "text/html; charset=utf-8", '{"a": 1}'),
        (200, "text/html; charset=utf-8", '{"b": [1, 2]}\n'),
        (201, "text/html; charset=utf-8", '{"c": 3}'),
        (202, "text/html; charset=utf-8", '{"d": 4}'),
        (200, "text/html; charset=utf-8", "<p>e</p>!"),
    ]


HEAD = """\
import json

from fastapi import FastAPI

app = FastAPI()
"""


def test_a_json_dumps_return_becomes_an_html_response():
    check_transformed(
        HEAD
        + """
@app.get("/a")
def a():
    return json.dumps({"a": 1})
""",
        HEAD.replace("FastAPI\n", "FastAPI\nfrom fastapi.responses import HTMLResponse\n", 1)
        + """
@app.get("/a")
def a():
    return HTMLResponse(json.dumps({"a": 1}))
""",
        "responses",
    )


def test_an_imported_dumps_and_a_tuple_with_headers_keep_text_html():
    """`from json import dumps as ...` is a JSON encoder too; a misspelt content-type
    header (`ContentType`, seen in a public app) leaves Flask's text/html."""
    check_transformed(
        """\
from json import dumps as to_text

from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
def a():
    return to_text([1]), 200, {"ContentType": "application/json"}
""",
        """\
from json import dumps as to_text

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/a")
def a():
    return HTMLResponse(to_text([1]), status_code=200, headers={"ContentType": "application/json"})
""",
        "responses",
    )


def test_what_may_not_be_a_str_is_left_alone():
    """A local that is sometimes a dict, a parameter, an unknown call: not provably str."""
    check_noop(
        HEAD
        + """
@app.get("/a")
def a(name: str):
    body = json.dumps({"a": 1})
    if name:
        body = {"a": 1}
    return body


@app.get("/b")
def b(name: str):
    return name


@app.get("/c")
def c():
    return render()
""",
        "responses",
    )
