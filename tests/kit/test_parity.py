"""`flask2fastapi parity`: the same requests to both apps, differences explained or not."""

from __future__ import annotations

import json
import textwrap

import httpx2
import pytest
from flask2fastapi import parity
from flask2fastapi.apps import import_app
from flask2fastapi.traffic import Exchange, TrafficError, load_requests

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
    assert run.out == "20 requests: 3 same, 17 accepted, 0 known but not accepted, 0 unexpected\n"


def test_known_differences_fail_until_accepted(cli, sample_env):
    run = cli(*SAMPLE_ARGS)
    assert run.code == 1
    assert "KNOWN      GET /api/items/abc [item-malformed-id]" in run.out
    assert "0 unexpected" in run.out
    assert cli(*SAMPLE_ARGS, "--accept-known").code == 0


def test_an_injected_regression_is_unexpected(cli, sample_env, tmp_path):
    (tmp_path / "regressed.py").write_text(
        textwrap.dedent("""
        from fastapi_app import create_app as port

        def create_app():
            app = port()
            app.state.items_per_page = 5  # the regression: a different default page size
            return app
        """)
    )
    run = cli(
        "parity", "--flask", "flask_app:create_app", "--fastapi", "regressed:create_app",
        "--requests", REQUESTS, "--config", CONFIG, "--path", SAMPLE, "--path", tmp_path,
        "--format", "json",
        "--output", tmp_path / "parity.json",
    )  # fmt: skip
    assert run.code == 1
    report = json.loads((tmp_path / "parity.json").read_text())
    unexpected = [r for r in report["results"] if r["outcome"] == "unexpected"]
    assert [r["id"] for r in unexpected] == ["items"]
    assert [(d["aspect"], d["rule"], d["accepted"]) for d in unexpected[0]["differences"]] == [
        ("body", None, False)
    ]
    assert "1 unexpected" in run.err  # the summary still reaches the terminal


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
