"""`flask2fastapi parity`: the same requests to both apps, differences explained or not."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import httpx2
import pytest
from flask2fastapi import parity
from flask2fastapi.apps import client_for, import_app
from flask2fastapi.knowledge import DOCS_URL_ENV, Knowledge, docs_url
from flask2fastapi.rules import RULES, Rule
from flask2fastapi.traffic import Exchange, TrafficError, load_requests, send_all

from .conftest import SAMPLE

REQUESTS = SAMPLE / "requests.toml"
CONFIG = SAMPLE / "parity.toml"
#: What each request of the sample shows without a config: the rules that explain it.
KNOWN = {
    "health": {"str-json"},
    "items": {"json-trailing-newline"},
    "items-page-2": {"json-trailing-newline"},
    "items-bad-page": {"validation-422"},
    "items-page-not-a-number": {"query-422"},
    "item": {"json-trailing-newline"},
    "item-missing": {"json-trailing-newline"},
    "item-malformed-id": {"converter-422"},
    "items-extra-slash": {"extra-slash-redirect"},
    "items-head": {"head-options"},
    "unknown-url": {"error-envelope"},
    "create-signed-out": {"json-trailing-newline"},
    "logout-signed-out": {"redirect-body"},
    "sign-in": {"redirect-body", "absolute-location"},
    "create": {"json-trailing-newline"},
    "create-malformed-json": {"json-body-422"},
    "create-wrong-type": {"json-body-422"},
}
SAME = {"home", "sign-in-wrong", "home-signed-in"}
SAMPLE_ARGS = (
    "parity", "--flask", "flask_app:create_app", "--fastapi", "fastapi_app:create_app",
    "--requests", REQUESTS, "--path", SAMPLE,
)  # fmt: skip


def _sample_report(config=None, accept_known=False):
    flask_app = import_app("flask_app:create_app", SAMPLE)
    fastapi_app = import_app("fastapi_app:create_app", SAMPLE)
    return parity.run(flask_app, fastapi_app, load_requests(REQUESTS), config, accept_known)


def test_every_difference_of_the_sample_port_is_known(sample_env):
    report = _sample_report()
    assert {r.id for r in report.results if r.outcome == "same"} == SAME
    found = {r.id: {d.rule for d in r.differences} for r in report.results if r.differences}
    assert found == KNOWN
    assert {r.outcome for r in report.results} == {"same", "known"}
    assert not report.ok


def test_each_rule_names_its_guide_page(sample_env):
    report = _sample_report()
    malformed = next(r for r in report.results if r.id == "item-malformed-id")
    assert malformed.route == "GET /api/items/<int:item_id>"  # a refused value is still for it
    pages = {d.page for d in malformed.differences}
    assert pages == {"https://example.github.io/flask-to-fastapi-guide/routing/path-parameters/"}


def test_the_sample_config_accepts_every_known_difference(cli, sample_env):
    run = cli(*SAMPLE_ARGS, "--config", CONFIG)
    assert run.code == 0, run.out
    assert run.out == (
        "20 requests: 3 same, 17 accepted, 0 known but not accepted, 0 unexpected "
        "(2 refused with 401/403 by both apps)\n"
    )


def test_known_differences_fail_until_accepted(cli, sample_env):
    run = cli(*SAMPLE_ARGS)
    assert run.code == 1
    assert "KNOWN      GET /api/items/abc [item-malformed-id]" in run.out
    assert "0 unexpected" in run.out
    assert cli(*SAMPLE_ARGS, "--accept-known").code == 0


REGRESSED = """
from fastapi_app import create_app as port

def create_app():
    app = port()
    app.state.items_per_page = 5  # the regression: a different default page size
    return app
"""


def _regressed(cli, tmp_path, *extra):
    (tmp_path / "regressed.py").write_text(REGRESSED)
    return cli(
        "parity", "--flask", "flask_app:create_app", "--fastapi", "regressed:create_app",
        "--requests", REQUESTS, "--config", CONFIG, "--path", SAMPLE, "--path", tmp_path, *extra,
    )  # fmt: skip


def test_an_injected_regression_is_unexpected(cli, sample_env, tmp_path):
    run = _regressed(cli, tmp_path, "--format", "json", "--output", tmp_path / "parity.json")
    assert run.code == 1
    report = json.loads((tmp_path / "parity.json").read_text())
    unexpected = [r for r in report["results"] if r["outcome"] == "unexpected"]
    assert [r["id"] for r in unexpected] == ["items"]
    (body,) = unexpected[0]["differences"]
    assert (body["aspect"], body["rule"], body["accepted"]) == ("body", None, False)
    # Field by field: five items absent from the port's first page, and the page size.
    assert [(f["pointer"], f["missing"]) for f in body["fields"]] == [
        *((f"/items/{i}", "fastapi") for i in range(5, 10)),
        ("/per_page", None),
    ]
    assert body["fields"][-1] == {
        "pointer": "/per_page", "flask": 10, "fastapi": 5, "missing": None, "rule": None,
        "page": None,
    }  # fmt: skip
    assert "1 unexpected" in run.err  # the summary still reaches the terminal


def test_the_regression_shows_the_field_in_text_and_markdown(cli, sample_env, tmp_path):
    text = _regressed(cli, tmp_path)
    assert text.code == 1
    assert (
        "UNEXPECTED GET /api/items [items]\n"
        "    body: 6 JSON field(s) differ\n"
        "      UNEXPECTED\n"
        '      /items/5: flask {"id": 6, "name": "Item 6", "price": 9.0} | fastapi (absent)\n'
    ) in text.out
    assert "      /per_page: flask 10 | fastapi 5\n" in text.out
    md = _regressed(cli, tmp_path, "--format", "md")
    assert (
        "| unexpected | body: unexplained<br><code>/items/5</code>: flask "
        '<code>{"id": 6, "name": "Item 6", "price": 9.0}</code>, fastapi <code>(absent)</code>'
    ) in md.out
    assert "<br><code>/per_page</code>: flask <code>10</code>, fastapi <code>5</code> |" in md.out


def test_junit_xml_has_one_case_per_request(cli, sample_env, tmp_path):
    run = _regressed(cli, tmp_path, "--junit", tmp_path / "parity.xml")
    assert run.code == 1
    suite = ET.parse(tmp_path / "parity.xml").getroot().find("testsuite")  # noqa: S314
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("20", "1", "0")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert len(cases) == 20
    failure = cases["GET /api/items [items]"].find("failure")
    assert failure.get("type") == "unexpected"
    assert failure.get("message") == "unexpected: body differs; flask 200, fastapi 200"
    assert "/per_page: flask 10 | fastapi 5" in failure.text
    accepted = cases["GET /api/items/abc [item-malformed-id]"]
    assert accepted.find("failure") is None
    assert "accepted" in accepted.find("system-out").text
    assert cases["GET / [home]"].find("system-out") is None
    stdout = _regressed(cli, tmp_path, "--format", "junit")
    assert stdout.out == (tmp_path / "parity.xml").read_text()


def test_junit_holds_bodies_xml_cannot(sample_env):
    body = parity.Difference("body", "a\x00b\x1b", "ab")
    result = parity.Result("x\x01", "GET", "/a", None, 200, 200, [body])
    text = parity.to_junit(parity.ParityReport("f", "a", "r", [result], ["w\x00"]))
    case = ET.fromstring(text.split("?>", 1)[1]).find("testsuite/testcase")  # noqa: S314
    assert case.get("name") == "GET /a [x\ufffd]"
    assert "a\ufffdb\ufffd" in case.find("failure").text


@pytest.mark.change("session-in-varies-cookie")
def test_chosen_headers_are_compared(cli, sample_env):
    run = cli(*SAMPLE_ARGS, "--config", CONFIG, "--header", "Vary")
    assert run.code == 1  # Flask-Login reads the session: Flask adds `Vary: Cookie`
    assert (
        "UNEXPECTED GET /api/items [items]\n    header:vary: flask Cookie | fastapi None" in run.out
    )


def test_markdown_report(cli, sample_env):
    run = cli(*SAMPLE_ARGS, "--config", CONFIG, "--format", "md")
    assert run.code == 0
    assert (
        "| `GET /api/items/abc` (item-malformed-id) | `GET /api/items/<int:item_id>` "
        "| 404 | 422 | accepted |" in run.out
    )


def _response(status, body=b"", **headers):
    headers = {name.replace("_", "-"): value for name, value in headers.items()}
    return httpx2.Response(status, headers=headers, content=body)


HTML = "text/html; charset=utf-8"
JSON = "application/json"


@pytest.mark.parametrize(
    ("method", "flask", "fastapi", "expected"),
    [
        ("GET", _response(308, b"<p>", content_type=HTML, location="http://testserver/a/"),
         _response(307, location="http://testserver/a/"),
         {"status": "slash-redirect-307", "header:content-type": "slash-redirect-307",
          "body": "slash-redirect-307"}),
        ("GET", _response(302, b"<p>", content_type=HTML, location="/"),
         _response(307, location="http://testserver/"),
         {"status": "redirect-307", "header:content-type": "redirect-307", "body": "redirect-307",
          "header:location": "absolute-location"}),
        ("PATCH", _response(405, b"<p>", content_type=HTML, allow="GET, HEAD, OPTIONS"),
         _response(405, b'{"detail":"Method Not Allowed"}', content_type=JSON, allow="GET"),
         {"header:content-type": "error-envelope", "body": "error-envelope",
          "header:allow": "allow-header"}),
        ("GET", _response(500, b"<p>", content_type=HTML),
         _response(500, b"Internal Server Error", content_type="text/plain; charset=utf-8"),
         {"header:content-type": "server-error", "body": "server-error"}),
        ("GET", _response(200, b'{"a":1,"b":2}\n', content_type=JSON),
         _response(200, b'{"b":2,"a":1}', content_type=JSON),
         {"body": "json-key-order"}),
        ("GET", _response(200, b'{"a":1}', content_type=JSON),
         _response(200, b'{"a":2}', content_type=JSON),
         {"body": None}),
        ("GET", _response(201, b"{}", content_type=JSON),
         _response(200, b"{}", content_type=JSON),
         {"status": None}),
    ],
)  # fmt: skip
def test_rules_recognise_known_differences_only(method, flask, fastapi, expected):
    diffs = parity.compare(Exchange(id="x", path="/a", method=method), flask, fastapi, ())
    assert {d.aspect: d.rule for d in diffs} == expected


def test_config_matches_routes_endpoints_and_globs(tmp_path):
    (tmp_path / "p.toml").write_text(
        '[accept]\n"api.get_item" = ["converter-422"]\n"GET /api/*" = ["status"]\n'
    )
    config = parity.Config.load(tmp_path / "p.toml")
    assert config.accepted(["x", "GET /api/items/1", "api.get_item"]) == {"converter-422", "status"}
    assert config.accepted(["x", "POST /login"]) == set()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[accept]\n"*" = ["no-such-rule"]\n', "unknown rule or aspect 'no-such-rule'"),
        ('[accept]\n"*" = "json-key-order"\n', "must be a list of strings"),
        ("colour = 1\n", "unknown keys ['colour']"),
        ("[accept\n", "p.toml"),
    ],
)
def test_bad_config_files(cli, sample_env, tmp_path, text, message):
    (tmp_path / "p.toml").write_text(text)
    run = cli(*SAMPLE_ARGS, "--config", tmp_path / "p.toml")
    assert run.code == 2
    assert message in run.err and str(tmp_path / "p.toml") in run.err
    assert run.out == ""


def test_bad_requests_files(cli, sample_env, tmp_path):
    cases = {
        "r.toml": ("[[exchange]]\nid = 'a'\n", "entry 0: exchange 'a': `path` must be"),
        "r.jsonl": ('{"id": "a", "path": "/"}\nnot json\n', "r.jsonl:2: not JSON"),
        "r.har": ('{"log": {}}', "not a HAR file"),
        "r.csv": ("a,b\n", "unknown requests format"),
        "dup.toml": ("[[exchange]]\nid='a'\npath='/'\n" * 2, "repeated: ['a']"),
    }  # fmt: skip
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        args = [a if a != REQUESTS else tmp_path / name for a in SAMPLE_ARGS]
        run = cli(*args)
        assert run.code == 2, name
        assert message in run.err, (name, run.err)


def test_apps_of_the_wrong_framework(cli, sample_env):
    args = list(SAMPLE_ARGS)
    args[2], args[4] = args[4], args[2]
    run = cli(*args)
    assert run.code == 2
    assert "--flask fastapi_app:create_app: is a FastAPI, not a flask app" in run.err


def test_a_har_export_is_replayed(tmp_path):
    har = {
        "log": {
            "entries": [
                {"request": {"method": "GET", "url": "https://shop.example/api/items?page=2",
                             "headers": [{"name": ":authority", "value": "shop.example"},
                                         {"name": "Accept", "value": "application/json"},
                                         {"name": "Host", "value": "shop.example"}]}},
                {"request": {"method": "POST", "url": "https://shop.example/login", "headers": [],
                             "postData": {"mimeType": "application/x-www-form-urlencoded",
                                          "params": [{"name": "username", "value": "ada"}]}}},
                {"request": {"method": "POST", "url": "https://shop.example/api/items",
                             "headers": [{"name": "Content-Type", "value": "application/json"}],
                             "postData": {"mimeType": "application/json", "text": '{"a": 1}'}}},
            ]
        }
    }  # fmt: skip
    (tmp_path / "t.har").write_text(json.dumps(har))
    items = load_requests(tmp_path / "t.har")
    assert items == [
        Exchange(
            "har-1", "/api/items?page=2", "GET", (), {"headers": {"accept": "application/json"}}
        ),
        Exchange("har-2", "/login", "POST", (), {"data": {"username": "ada"}}),
        Exchange("har-3", "/api/items", "POST", (), {"json": {"a": 1}}),
    ]


def test_unknown_keys_in_a_toml_exchange(tmp_path):
    (tmp_path / "r.toml").write_text("[[exchange]]\nid='a'\npath='/'\nbody='x'\n")
    with pytest.raises(TrafficError, match=r"unknown keys \['body'\]"):
        load_requests(tmp_path / "r.toml")


# ------------------------------------------------------------------- fields and new rules


def _json_response(value, status=200):
    return _response(status, json.dumps(value).encode(), content_type=JSON)


def _field_rules(tmp_path, text):
    (tmp_path / "p.toml").write_text(textwrap.dedent(text))
    return parity.Config.load(tmp_path / "p.toml")


def test_field_rules_ignore_and_normalise(tmp_path):
    config = _field_rules(
        tmp_path,
        """
        [[field]]
        pointer = "/items/*/created"
        ignore = true
        [[field]]
        pointer = "/id"
        pattern = "[0-9a-f]{8}"
        [[field]]
        pointer = "/at"
        replace = ['[.][0-9]+', '']
        """,
    )
    flask = {"id": "0badcafe", "at": "10:00:00.123", "items": [{"n": 1, "created": "mon"}]}
    port = {"id": "deadbeef", "at": "10:00:00", "items": [{"n": 1}]}
    item = Exchange(id="x", path="/a")
    same = parity.compare(item, _json_response(flask), _json_response(port), (), config.fields)
    assert same == []
    port["items"][0]["n"] = 2
    port["id"] = "not-hex"
    (body,) = parity.compare(item, _json_response(flask), _json_response(port), (), config.fields)
    assert [(f.pointer, f.flask, f.fastapi) for f in body.fields] == [
        ("/id", "<matches [0-9a-f]{8}>", "not-hex"),
        ("/items/0/n", 1, 2),
    ]
    assert body.rule is None


def test_a_field_rule_limited_to_a_route(tmp_path):
    config = _field_rules(tmp_path, '[[field]]\npointer = "/t"\nignore = true\nroute = "GET /a"\n')
    assert config.fields_for(["x", "GET /a"]) == list(config.fields)
    assert config.fields_for(["x", "GET /b"]) == []


def test_pointers_escape_and_json_types_are_strict():
    diffs = parity.json_differences(
        {"a/b": {"~": 1}, "n": 1, "t": True}, {"a/b": {"~": 2}, "n": 1.0, "t": 1}
    )
    assert [(d.pointer, d.flask, d.fastapi) for d in diffs] == [
        ("/a~1b/~0", 1, 2), ("/n", 1, 1.0), ("/t", True, 1),
    ]  # fmt: skip


@pytest.mark.parametrize("depth", [parity.MAX_JSON_DEPTH + 1, 5000])
def test_json_nested_too_deep_is_compared_as_text(depth):
    deep = [
        _response(200, b"[" * depth + n + b"]" * depth, content_type=JSON) for n in (b"1", b"2")
    ]
    (body,) = parity.compare(Exchange(id="x", path="/a"), *deep, ())
    assert (body.aspect, body.fields, body.rule) == ("body", [], None)
    report = parity.ParityReport(
        "f", "a", "r", [parity.Result("x", "GET", "/a", None, 200, 200, [body])]
    )
    assert "UNEXPECTED" in parity.to_text(report) and parity.to_junit(report)


@pytest.mark.parametrize(
    ("method", "flask", "fastapi", "expected"),
    [
        # json-http-date: the same instant, HTTP date where the port writes ISO 8601
        ("GET", _json_response({"at": "Wed, 21 Oct 2015 07:28:00 GMT"}),
         _json_response({"at": "2015-10-21T07:28:00+00:00"}), {"body": "json-http-date"}),
        ("GET", _json_response({"at": "Wed, 21 Oct 2015 07:28:00 GMT", "n": 1}),
         _json_response({"at": "2015-10-21T07:28:00Z", "n": 2}), {"body": None}),
        ("GET", _json_response({"at": "Wed, 21 Oct 2015 07:28:00 GMT"}),
         _json_response({"at": "2015-10-21T08:28:00+00:00"}), {"body": None}),
        ("GET", _json_response({"at": "2015-10-21T07:28:00"}),
         _json_response({"at": "2015-10-21T07:28:00+00:00"}), {"body": None}),
        # auth-order: authentication before validation on one side only
        ("POST", _json_response({"error": "sign in"}, 401), _json_response({"detail": []}, 422),
         {"status": "auth-order", "body": "auth-order"}),
        ("DELETE", _response(404, b"<p>", content_type=HTML),
         _response(401, b'{"detail":"Not authenticated"}', content_type=JSON),
         {"status": "auth-order", "header:content-type": "auth-order", "body": "auth-order"}),
        ("PUT", _json_response({"error": "not yours"}, 403), _json_response({"detail": []}, 422),
         {"status": "auth-order", "body": "auth-order"}),
        ("POST", _json_response({"error": "sign in"}, 401), _json_response({"e": 1}, 400),
         {"status": None, "body": None}),
        ("POST", _json_response({"error": "no"}, 403), _json_response({"e": 1}, 500),
         {"status": None, "body": None}),
        ("GET", _json_response({"a": 1}, 200), _json_response({"a": 1}, 401), {"status": None}),
        # allow-first-route: Starlette names the first matching route's methods only
        ("PATCH", _response(405, allow="GET, HEAD, OPTIONS, POST"), _response(405, allow="GET"),
         {"header:allow": "allow-first-route"}),
        ("PATCH", _response(405, allow="GET, HEAD, OPTIONS"), _response(405, allow="GET, PUT"),
         {"header:allow": None}),
        ("PATCH", _response(405, allow="GET, POST"), _response(405),
         {"header:allow": None}),
        ("PATCH", _response(405, allow="GET, HEAD, OPTIONS, POST"),
         _response(405, allow="POST, GET"), {"header:allow": "allow-header"}),
    ],
)  # fmt: skip
def test_new_rules_recognise_their_difference_only(method, flask, fastapi, expected):
    diffs = parity.compare(Exchange(id="x", path="/a", method=method), flask, fastapi, ())
    assert {d.aspect: d.rule for d in diffs} == expected


CSS = "text/css; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "flask", "fastapi", "expected"),
    [
        # quoted-filename: the same download name, quoted by Starlette
        ("/r", _response(200, b"x", content_disposition="attachment; filename=r.txt"),
         _response(200, b"x", content_disposition='attachment; filename="r.txt"'),
         {"header:content-disposition": "quoted-filename"}),
        ("/r", _response(200, b"x", content_disposition="attachment; filename=r.txt"),
         _response(200, b"x", content_disposition='attachment; filename="s.txt"'),
         {"header:content-disposition": None}),
        # file-headers: Flask's send_file headers, absent from a FileResponse/StaticFiles
        ("/s.css", _response(200, b"a", content_type=CSS, cache_control="no-cache",
                             content_disposition="inline; filename=s.css"),
         _response(200, b"a", content_type=CSS),
         {"header:cache-control": "file-headers", "header:content-disposition": "file-headers"}),
        ("/s.css", _response(200, b"a", cache_control="no-cache"),
         _response(200, b"a", cache_control="max-age=60"), {"header:cache-control": None}),
        ("/s.css", _response(200, b"a", content_disposition="attachment; filename=s.css"),
         _response(200, b"a"), {"header:content-disposition": None}),
        # mount-slash-redirect: a mount's bare path adds its slash
        ("/static", _response(404, b"<p>", content_type=HTML),
         _response(307, location="http://testserver/static/"),
         {"status": "mount-slash-redirect", "header:content-type": "mount-slash-redirect",
          "header:location": "mount-slash-redirect", "body": "mount-slash-redirect"}),
        ("/static", _response(404, b"<p>", content_type=HTML),
         _response(307, location="http://testserver/elsewhere"),
         {"status": None, "header:content-type": None, "header:location": None, "body": None}),
    ],
)  # fmt: skip
def test_file_rules_recognise_their_difference_only(path, flask, fastapi, expected):
    diffs = parity.compare(
        Exchange(id="x", path=path, method="GET"),
        flask,
        fastapi,
        ("cache-control", "content-disposition"),
    )
    assert {d.aspect: d.rule for d in diffs} == expected


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ({"data": {"quantity": "abc"}}, "form-422"),  # Flask's type=int fell back
        ({"json": {"quantity": "abc"}}, None),  # a JSON body: not a form's fallback
        ({}, None),
    ],
)
def test_form_422_needs_a_form_body(request_, expected):
    flask = _json_response({"quantity": 1}, 200)
    fastapi = _json_response({"detail": [{"type": "int_parsing"}]}, 422)
    item = Exchange(id="x", path="/orders", method="POST", request=request_)
    diffs = parity.compare(item, flask, fastapi, ())
    assert {d.aspect: d.rule for d in diffs} == {"status": expected, "body": expected}


@pytest.mark.parametrize(
    ("flask", "fastapi", "expected"),
    [
        ({"total": "9.90"}, {"total": 9.9}, "json-decimal"),
        ({"total": "10"}, {"total": 10}, "json-decimal"),
        ({"total": "9.90"}, {"total": 9.91}, None),  # another value
        ({"total": "9.90"}, {"total": "9.9"}, None),  # both strings: not the encoder
        ({"ok": "1"}, {"ok": True}, None),
        ({"total": "NaN"}, {"total": 0}, None),
    ],
)
def test_json_decimal_is_the_same_number_only(flask, fastapi, expected):
    diffs = parity.compare(
        Exchange(id="x", path="/a"), _json_response(flask), _json_response(fastapi), ()
    )
    assert {d.aspect: d.rule for d in diffs} == {"body": expected}


def test_a_body_whose_fields_are_each_explained_is_known():
    flask = _json_response({"at": "Wed, 21 Oct 2015 07:28:00 GMT", "total": "9.90"})
    fastapi = _json_response({"at": "2015-10-21T07:28:00+00:00", "total": 9.9})
    [body] = parity.compare(Exchange(id="x", path="/a"), flask, fastapi, ())
    assert body.rule == "json-http-date"
    assert [fd.rule for fd in body.fields] == ["json-http-date", "json-decimal"]


def test_field_rules_name_their_page_in_the_report():
    body = parity.compare(
        Exchange(id="x", path="/a"),
        _json_response({"at": "Wed, 21 Oct 2015 07:28:00 GMT", "n": 1}),
        _json_response({"at": "2015-10-21T07:28:00+00:00", "n": 2}),
        (),
    )[0]
    assert [(f.pointer, f.rule) for f in body.fields] == [("/at", "json-http-date"), ("/n", None)]
    assert RULES["json-http-date"].page == "responses/json-responses.md"


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accept = 3\n", "`accept` must be a table of request keys to lists of rule ids, not 3"),
        ('headers = "vary"\n', "`headers` must be a list of header names"),
        ("headers = [1]\n", "`headers` must be a list of header names"),
        ('field = "x"\n', "`field` must be an array of tables"),
        ("[[field]]\nignore = true\n", "field[0].pointer must be a JSON Pointer"),
        ('[[field]]\npointer = "id"\nignore = true\n', "field[0].pointer must be a JSON Pointer"),
        ('[[field]]\npointer = "/id"\n', "field[0]: give exactly one of ignore, pattern, replace"),
        ('[[field]]\npointer = "/id"\nignore = true\npattern = "x"\n', "give exactly one of"),
        ('[[field]]\npointer = "/id"\nignore = "yes"\n', "field[0].ignore must be true"),
        ('[[field]]\npointer = "/id"\npattern = "(["\n', "field[0].pattern: not a regular"),
        ('[[field]]\npointer = "/id"\npattern = 3\n', "field[0].pattern must be a regular"),
        ('[[field]]\npointer = "/id"\nreplace = ["x"]\n', "field[0].replace must be [regular"),
        ('[[field]]\npointer = "/id"\nreplace = ["(", ""]\n', "field[0].replace: not a regular"),
        ('[[field]]\npointer = "/id"\nignore = true\nroute = 1\n', "field[0].route must be"),
        ('[[field]]\npointer = "/id"\nignore = true\ncolour = 1\n', "unknown keys ['colour']"),
    ],
)
def test_wrong_types_in_the_config_name_the_key(cli, sample_env, tmp_path, text, message):
    (tmp_path / "p.toml").write_text(text)
    run = cli(*SAMPLE_ARGS, "--config", tmp_path / "p.toml")
    assert (run.code, run.out) == (2, "")
    assert message in run.err and str(tmp_path / "p.toml") in run.err, run.err
    assert "Traceback" not in run.err


def test_only_difference_rules_may_be_accepted(cli, sample_env, tmp_path, monkeypatch):
    monkeypatch.setitem(RULES, "before-request", Rule("before-request", "index.md", "x", "scan"))
    (tmp_path / "p.toml").write_text('[accept]\n"*" = ["before-request"]\n')
    run = cli(*SAMPLE_ARGS, "--config", tmp_path / "p.toml")
    assert run.code == 2
    assert "'before-request' is a scan rule, not a difference" in run.err


ECHO_FLASK = """
from flask import Flask, request
app = Flask(__name__)

@app.get("/echo")
def echo():
    return {"name": request.headers.get("x-name")}
"""
ECHO_FASTAPI = """
from fastapi import FastAPI, Request
app = FastAPI()

@app.get("/echo")
def echo(request: Request):
    return {"name": request.headers.get("x-name")}
"""


def _echo(cli, tmp_path, headers_toml):
    (tmp_path / "echo_flask.py").write_text(ECHO_FLASK)
    (tmp_path / "echo_fastapi.py").write_text(ECHO_FASTAPI)
    (tmp_path / "r.toml").write_text(
        f'[[exchange]]\nid = "e"\npath = "/echo"\nheaders = {headers_toml}\n'
    )
    return cli(
        "parity", "--flask", "echo_flask:app", "--fastapi", "echo_fastapi:app",
        "--requests", tmp_path / "r.toml", "--path", tmp_path, "--accept-known",
        "--format", "json",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "seen"),
    [
        ("Zoë", "Zoë"),  # fits ISO-8859-1: sent as one byte, as a browser does
        ("東京", "東京".encode().decode("latin-1")),  # UTF-8 bytes, read back as ISO-8859-1
    ],
)
def test_non_ascii_header_values_are_sent_as_bytes(cli, tmp_path, value, seen):
    run = _echo(cli, tmp_path, f'{{"x-name" = {json.dumps(value)}}}')
    assert run.code == 0, run.err
    (result,) = json.loads(run.out)["results"]
    assert (result["flask_status"], result["fastapi_status"]) == (200, 200)
    # The same value; only how each framework writes JSON differs (escapes, final newline).
    assert {d["rule"] for d in result["differences"]} <= {"json-key-order", "json-trailing-newline"}
    for framework in ("flask", "fastapi"):  # what each app read from the header
        app = import_app(f"echo_{framework}:app", tmp_path)
        with client_for(framework, app) as client:
            (response,) = send_all(client, load_requests(tmp_path / "r.toml"))
        assert response.json() == {"name": seen}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ('{"x-name" = "a\\nb"}', "headers.x-name: a value cannot hold a line break or NUL"),
        ('{"bad name" = "a"}', "headers: 'bad name' is not a valid header name"),
        ('{"x-n" = 3}', "headers.x-n: must be text, not int"),
        ('"x"', "`headers` must be a table"),
    ],
)
def test_headers_no_client_sends_are_refused(cli, tmp_path, headers, message):
    run = _echo(cli, tmp_path, headers)
    assert (run.code, run.out) == (2, "")
    assert message in run.err and "r.toml: entry 0: exchange 'e'" in run.err, run.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("method = 3", "`method` must be an HTTP method name"),
        ('path = "http://elsewhere.example/"', "`path` must start with `/`"),
        ("show_headers = 'allow'", "`show_headers` must be a list"),
        ("content = 3", "`content` must be text"),
        ("data = {a = {b = 1}}", "`data` must be a table of form fields"),
        ("files = {f = 'x'}", "`files` must be a table of fields"),
    ],
)
def test_request_parts_of_the_wrong_type(tmp_path, text, message):
    path = "" if text.startswith("path") else 'path = "/"\n'
    (tmp_path / "r.toml").write_text(f'[[exchange]]\nid = "e"\n{path}{text}\n')
    with pytest.raises(TrafficError) as raised:
        load_requests(tmp_path / "r.toml")
    assert message in str(raised.value) and "entry 0: exchange 'e'" in str(raised.value)


def test_files_that_are_not_utf8_or_lack_a_key(cli, sample_env, tmp_path):
    (tmp_path / "r.toml").write_bytes(b'[[exchange]]\nid = "caf\xe9"\npath = "/"\n')
    (tmp_path / "p.toml").write_bytes(b'headers = ["caf\xe9"]\n')
    (tmp_path / "r.har").write_text('{"log": {"entries": [{"request": {"method": "GET"}}]}}')
    requests = [a if a != REQUESTS else tmp_path / "r.toml" for a in SAMPLE_ARGS]
    for args, message in (
        (requests, "r.toml: cannot be read as UTF-8 text"),
        ([*SAMPLE_ARGS, "--config", tmp_path / "p.toml"], "p.toml: 'utf-8' codec can't decode"),
        ([a if a != REQUESTS else tmp_path / "r.har" for a in SAMPLE_ARGS], "missing key 'url'"),
    ):
        run = cli(*args)
        assert (run.code, run.out) == (2, ""), run.err
        assert message in run.err


# ---------------------------------------------------------------------- what a run hides


def test_secure_cookies_over_http_are_named(cli, sample_env, monkeypatch):
    monkeypatch.delenv("INSECURE_COOKIES")  # the sample's cookies are Secure again
    run = cli(*SAMPLE_ARGS, "--config", CONFIG)
    assert run.code == 1  # signed-in requests go without the session: 401 where 201 was
    assert run.out.endswith(
        "20 requests: 3 same, 16 accepted, 1 known but not accepted, 0 unexpected "
        "(4 refused with 401/403 by both apps)\n"
    )
    for side in ("flask", "fastapi"):
        assert (
            f"warning: the {side} app set the Secure cookie(s) 'session'; over "
            "http://testserver the client does not send them back, so later requests go "
            "without them (run with --base-url https://testserver)\n"
        ) in run.out
    https = cli(*SAMPLE_ARGS, "--config", CONFIG, "--base-url", "https://testserver")
    assert https.code == 0, https.out
    assert "warning" not in https.out


def test_the_sample_needs_its_environment(cli, sample_env, monkeypatch):
    https = ("--config", CONFIG, "--base-url", "https://testserver")
    monkeypatch.setenv("DEMO_PASSWORD", "not-the-one-in-requests-toml")
    run = cli(*SAMPLE_ARGS, *https)
    assert run.out.endswith("(5 refused with 401/403 by both apps)\n")
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password")
    assert cli(*SAMPLE_ARGS, *https).out.endswith("(2 refused with 401/403 by both apps)\n")
    monkeypatch.delenv("SECRET_KEY")
    run = cli(*SAMPLE_ARGS, *https)
    assert run.code == 2
    assert "RuntimeError('set SECRET_KEY in the environment (no default on purpose)')" in run.err


def test_most_requests_refused_on_both_sides_is_a_warning(cli, sample_env, tmp_path):
    (tmp_path / "r.toml").write_text(
        '[[exchange]]\nid = "a"\nmethod = "POST"\npath = "/api/items"\njson = {}\n'
        '[[exchange]]\nid = "b"\nmethod = "POST"\npath = "/api/items"\njson = {name = "x"}\n'
        '[[exchange]]\nid = "c"\npath = "/api/items"\n'
    )
    args = [a if a != REQUESTS else tmp_path / "r.toml" for a in SAMPLE_ARGS]
    run = cli(*args, "--config", CONFIG, "--format", "json")
    assert run.code == 0  # every difference accepted, yet two of three tested nothing
    assert json.loads(run.out)["warnings"] == [
        "2 of 3 requests were refused (401/403) by both apps: they compare error answers, "
        "not the app. Is a sign-in failing on both sides (a secret, password or token missing "
        "from the environment, a cookie not sent back)?"
    ]
    assert "flask2fastapi: warning: 2 of 3 requests were refused" in run.err


@pytest.mark.parametrize("url", ["testserver", "ftp://testserver", "https://", "http://h/base"])
def test_a_bad_base_url(cli, sample_env, url):
    run = cli(*SAMPLE_ARGS, "--base-url", url)
    assert run.code == 2 and "--base-url" in run.err


# ---------------------------------------------------------------------- links and installs


def test_links_come_from_one_docs_address(cli, sample_env, monkeypatch):
    shipped = Knowledge.load().site_url
    assert docs_url() == shipped == "https://example.github.io/flask-to-fastapi-guide/"
    monkeypatch.setenv(DOCS_URL_ENV, "https://mirror.example/guide")
    assert docs_url() == "https://mirror.example/guide/"
    assert docs_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/"
    page = "routing/path-parameters/"
    run = cli(*SAMPLE_ARGS)
    assert f"known: converter-422 — https://mirror.example/guide/{page}" in run.out
    run = cli(*SAMPLE_ARGS, "--docs-url", "http://127.0.0.1:8000/")
    assert f"known: converter-422 — http://127.0.0.1:8000/{page}" in run.out
    assert "mirror.example" not in run.out and shipped not in run.out
    scan = cli("scan", SAMPLE / "flask_app")  # the same address for scan's links
    assert "extension Flask-Login: https://mirror.example/guide/extensions/flask-login/" in scan.out
    scan = cli(
        "scan", SAMPLE / "flask_app", "--format", "md", "--docs-url", "http://127.0.0.1:8000"
    )
    assert "(http://127.0.0.1:8000/extensions/flask-login/)" in scan.out
    assert "mirror.example" not in scan.out and shipped not in scan.out


#: A fresh interpreter where only the standard library and the kit can be imported.
ONLY_STDLIB = """
import sys

class NoThirdParty:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in sys.stdlib_module_names and top != "flask2fastapi":
            raise ImportError(f"blocked: {name}")

sys.meta_path.insert(0, NoThirdParty())
from flask2fastapi.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _without_third_party(*args):
    return subprocess.run(
        [sys.executable, "-c", ONLY_STDLIB, *map(str, args)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_source_scan_needs_no_third_party_package():
    run = _without_third_party("scan", SAMPLE / "flask_app")
    assert run.returncode == 0, run.stderr
    assert "9 routes (source)" in run.stdout


def test_parity_without_its_extra_says_how_to_install_it():
    run = _without_third_party(*SAMPLE_ARGS)
    assert run.returncode == 2
    assert run.stderr.startswith(
        "flask2fastapi: error: parity needs the `parity` extra (httpx2): "
        "pip install 'httpx2>=2.16' beside the kit, or reinstall it with [parity]."
    )
    assert "Traceback" not in run.stderr


BOOM_FLASK = """
from flask import Flask
app = Flask(__name__)
app.config["TESTING"] = True  # exceptions propagate to the caller instead of a 500

@app.get("/boom")
def boom():
    raise RuntimeError("boom")
"""
BOOM_FASTAPI = """
from contextlib import asynccontextmanager
from fastapi import FastAPI

@asynccontextmanager
async def lifespan(app):
    raise RuntimeError("no database")
    yield

broken = FastAPI(lifespan=lifespan)
app = FastAPI()

@app.get("/boom")
def boom():
    raise RuntimeError("boom")
"""


@pytest.mark.parametrize(
    ("fastapi", "requests", "code", "message"),
    [
        ("boom_fastapi:app", '[[exchange]]\nid = "b"\npath = "/boom"\n', 1,
         "KNOWN      GET /boom [b]\n    header:content-type: flask text/html; charset=utf-8 | "
         "fastapi text/plain; charset=utf-8\n      known: server-error"),
        ("boom_fastapi:broken", '[[exchange]]\nid = "b"\npath = "/boom"\n', 2,
         "boom_fastapi:broken: failed outside any request (start-up or shut-down) at "),
        ("boom_fastapi:app", "# no [[exchange]] table\n", 2,
         "r.toml: no requests in the file: nothing to compare"),
    ],
)  # fmt: skip
def test_apps_that_raise_and_files_without_requests(
    cli, tmp_path, fastapi, requests, code, message
):
    (tmp_path / "boom_flask.py").write_text(BOOM_FLASK)
    (tmp_path / "boom_fastapi.py").write_text(BOOM_FASTAPI)
    (tmp_path / "r.toml").write_text(requests)
    run = cli(
        "parity", "--flask", "boom_flask:app", "--fastapi", fastapi,
        "--requests", tmp_path / "r.toml", "--path", tmp_path,
    )  # fmt: skip
    assert run.code == code
    assert message in (run.out if code == 1 else run.err), (run.out, run.err)
    assert "Traceback" not in run.out + run.err


def test_the_config_examples_on_the_parity_page_and_in_the_docstring_load(tmp_path):
    page = (SAMPLE.parent.parent / "docs" / "your-app" / "parity.md").read_text()
    blocks = re.findall(r"```toml\n(.*?)```", page + parity.__doc__, re.S)
    configs = [b for b in blocks if "[accept]" in b or "[[field]]" in b]
    assert len(configs) == 4
    for number, block in enumerate(configs):
        (tmp_path / f"{number}.toml").write_text(block)
        parity.Config.load(tmp_path / f"{number}.toml")  # raises ConfigError if one is wrong


# ------------------------------------------------------------------ odd apps and bodies

ODD_FLASK = """\
from flask import Flask
app = Flask(__name__)

@app.get("/png")
def png():
    return b"\\x89PNG\\r\\n\\x1a\\n\\x00\\xff", {"Content-Type": "image/png"}

@app.get("/quit")
def quit():
    raise SystemExit(3)
"""
ODD_FASTAPI = """\
from fastapi import FastAPI, Response
app = FastAPI()

@app.get("/png")
def png():
    return Response(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\xfe", media_type="image/png")
"""


def _odd(cli, tmp_path, path, *args):
    (tmp_path / "odd_flask.py").write_text(ODD_FLASK)
    (tmp_path / "odd_fastapi.py").write_text(ODD_FASTAPI)
    (tmp_path / "r.toml").write_text(f'[[exchange]]\nid = "e"\npath = "{path}"\n')
    return cli(
        "parity", "--flask", "odd_flask:app", "--fastapi", "odd_fastapi:app",
        "--requests", tmp_path / "r.toml", "--path", tmp_path, *args,
    )  # fmt: skip


def test_binary_bodies_that_differ_show_their_bytes(cli, tmp_path):
    run = _odd(cli, tmp_path, "/png")
    assert run.code == 1, run.err
    # The excerpt starts a little before the first byte that differs.
    assert "    body: flask … 47 0d 0a 1a 0a 00 ff | fastapi … 47 0d 0a 1a 0a 00 fe\n" in run.out
    (result,) = json.loads(_odd(cli, tmp_path, "/png", "--format", "json").out)["results"]
    (body,) = result["differences"]
    assert body["flask"] == "(binary, 10 bytes) 89 50 4e 47 0d 0a 1a 0a 00 ff"
    junit = _odd(cli, tmp_path, "/png", "--format", "junit")
    assert ET.fromstring(junit.out).find(".//failure") is not None  # noqa: S314 - our own output


def test_an_app_that_exits_while_answering_stops_the_run(cli, tmp_path):
    run = _odd(cli, tmp_path, "/quit")
    assert (run.code, run.out) == (2, "")
    assert f"odd_flask:app: called sys.exit() at {tmp_path / 'odd_flask.py'}:10: SystemExit(3)" in (
        run.err
    )


def test_a_browser_har_sends_only_the_pages_own_requests(cli, tmp_path):
    def entry(url):
        return {"request": {"method": "GET", "url": url, "headers": []}, "response": {}}

    urls = [
        "data:image/png;base64,AAAA",  # an inline image: no request at all
        "https://shop.example/png",  # the host most requests go to: the app's
        "https://fonts.example.com/css?family=x",  # fetched from elsewhere: fewer requests
        "wss://shop.example/live",  # a WebSocket, not an HTTP request
        "https://shop.example/png?again=1",
    ]
    har = tmp_path / "browser.har"
    har.write_text(json.dumps({"log": {"entries": [entry(u) for u in urls]}}))
    skipped: list[str] = []
    items = load_requests(har, skipped)
    assert [(e.id, e.path) for e in items] == [("har-2", "/png"), ("har-5", "/png?again=1")]
    assert skipped == [
        "entry 1: not an HTTP request (data)",
        "entry 3: another host (fonts.example.com)",
        "entry 4: not an HTTP request (wss)",
    ]
    # Recording started on a sign-in page elsewhere: the app is still where most requests go.
    sso = tmp_path / "sso.har"
    sso.write_text(
        json.dumps({"log": {"entries": [entry(u) for u in ["https://sso.example/", *urls]]}})
    )
    assert [e.id for e in load_requests(sso)] == ["har-3", "har-6"]
    (tmp_path / "odd_flask.py").write_text(ODD_FLASK)
    (tmp_path / "odd_fastapi.py").write_text(ODD_FASTAPI)
    run = cli(
        "parity", "--flask", "odd_flask:app", "--fastapi", "odd_fastapi:app",
        "--requests", har, "--path", tmp_path,
    )  # fmt: skip
    assert run.code == 1  # the two PNGs differ
    assert f"flask2fastapi: {har}: 3 entries not sent: entry 1: not an HTTP request" in run.err
    assert run.out.endswith(
        "2 requests: 0 same, 0 accepted, 0 known but not accepted, 2 unexpected\n"
    )


def test_what_the_apps_print_goes_to_stderr_not_into_the_report(cli, tmp_path):
    (tmp_path / "chatty_flask.py").write_text(
        "from flask import Flask\nprint('flask booting')\napp = Flask(__name__)\n"
        "@app.get('/png')\ndef png():\n    print('in the view')\n    return 'x'\n"
    )
    (tmp_path / "odd_fastapi.py").write_text(ODD_FASTAPI)
    (tmp_path / "r.toml").write_text('[[exchange]]\nid = "e"\npath = "/png"\n')
    errors = ""
    for fmt, parse in (("json", json.loads), ("junit", ET.fromstring)):
        run = cli(
            "parity", "--flask", "chatty_flask:app", "--fastapi", "odd_fastapi:app",
            "--requests", tmp_path / "r.toml", "--path", tmp_path, "--format", fmt,
        )  # fmt: skip
        parse(run.out)  # the report alone
        assert "in the view" in run.err
        errors += run.err
    assert "flask booting" in errors  # printed once: the module is imported once


STREAM = """\
import itertools
{imports}

def events():
    for i in itertools.count():  # server-sent events that never end
        yield f"data: {{i}}\\n\\n"
"""


def test_a_stream_that_never_ends_is_cut_not_waited_for(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(parity, "MAX_CHUNKS", 50)  # the same cut as 10,000, sooner
    (tmp_path / "sse_flask.py").write_text(
        STREAM.format(imports="from flask import Flask\napp = Flask(__name__)")
        + "app.get('/events')(lambda: app.response_class(events(), mimetype='text/event-stream'))\n"
    )
    (tmp_path / "sse_fastapi.py").write_text(
        STREAM.format(
            imports="from fastapi import FastAPI\nfrom fastapi.responses import StreamingResponse\n"
            "app = FastAPI()"
        )
        + "app.get('/events')(\n"
        "    lambda: StreamingResponse(events(), media_type='text/event-stream')\n)\n"
    )
    (tmp_path / "r.toml").write_text('[[exchange]]\nid = "sse"\npath = "/events"\n')
    run = cli(
        "parity", "--flask", "sse_flask:app", "--fastapi", "sse_fastapi:app",
        "--requests", tmp_path / "r.toml", "--path", tmp_path, "--format", "json",
    )  # fmt: skip
    assert run.code == 0, run.out
    report = json.loads(run.out)
    assert report["warnings"] == [
        f"{side} GET /events: the body passed 16 MiB or 50 chunks (a stream that never ends?); "
        "compared as far as that"
        for side in ("flask", "fastapi")
    ]
    assert report["results"][0]["outcome"] == "same"
