"""The Flask API index: every introspected Flask/Werkzeug name has an entry, every declared
name exists, every anchor exists, and a missing entry is caught (guidekit/flaskapi.py)."""

from __future__ import annotations

import dataclasses

import pytest

from guidekit import flaskapi, pages
from guidekit.pages import TopicPage


def _problems_of(kind: str) -> list[str]:
    return [p for p in flaskapi.problems() if kind in p]


def test_introspection_finds_the_api_apps_use():
    """Names from every source the index reads: exports, class and instance attributes,
    proxies' types, submodules, Werkzeug modules and configuration keys."""
    names = set(flaskapi.names())
    for name in [
        "flask.redirect",
        "flask.Blueprint.before_app_request",
        "flask.Flask.url_map",  # an instance attribute, set in Flask.__init__
        "flask.Flask.instance_path",
        "flask.Request.method",  # set in Request.__init__
        "flask.Request.accept_mimetypes",
        "flask.Response.set_cookie",
        "flask.session.permanent",
        "flask.g.get",
        "flask.cli.with_appcontext",
        "flask.json.dumps",
        "flask.views.MethodView",
        "werkzeug.exceptions.NotFound",
        "werkzeug.security.check_password_hash",
        "werkzeug.utils.secure_filename",
        "werkzeug.http.HTTP_STATUS_CODES",
        "werkzeug.middleware.proxy_fix.ProxyFix",
        "config.MAX_CONTENT_LENGTH",
        "config.SESSION_COOKIE_SAMESITE",
    ]:
        assert name in names, name


def test_introspection_leaves_out_what_is_not_api():
    """Re-exported proxies, imported builtins, submodules and private names are not listed."""
    names = set(flaskapi.names())
    for name in [
        "flask.cli.current_app",  # flask.current_app, imported into flask.cli
        "werkzeug.http.sha1",  # hashlib's, imported by werkzeug.http
        "werkzeug.utils.time",
        "flask.json",  # a module: its names are listed as flask.json.<name>
        "flask.annotations",  # `from __future__ import annotations`
    ]:
        assert name not in names, name
    assert not [n for n in names if n.rpartition(".")[2].startswith("_")]


def test_every_introspected_name_has_an_entry():
    assert _problems_of("has no reason") == []


#: The index checks `config.KEY` names against the installed Flask's `default_config`.
FLASK_31_KEYS = pytest.mark.change("flask-31-config-keys")


@FLASK_31_KEYS
def test_a_missing_entry_fails(tmp_path):
    """Drop one name from the data file: the check names it."""
    text = flaskapi.DATA_FILE.read_text()
    assert '"flask.after_this_request"' in text
    trimmed = tmp_path / "flask-api.toml"
    trimmed.write_text(text.replace('"flask.after_this_request"', ""))
    problems = flaskapi.problems(data_file=trimmed)
    assert problems == [
        f"flask.after_this_request: no page declares it and {trimmed.name} has no reason"
    ]


@FLASK_31_KEYS
def test_every_declared_name_exists():
    """A typo in front matter (`flask.Request.get_jsn`) fails; extensions' names are allowed."""
    assert _problems_of("typo?") == []


def test_a_typo_and_a_missing_anchor_fail_but_extension_names_pass():
    page = TopicPage(
        path="requests/json-body.md",
        title="JSON request body",
        cheatsheet=(),
        flask_api=(
            ("flask.Request.get_jsn", None),
            ("flask_login.login_required", None),
            ("flask.Request.get_json", "no-such-heading"),
        ),
    )
    problems = flaskapi.problems(pages=[*pages.topic_pages(), page])
    assert any(
        p.startswith("flask.Request.get_jsn (declared on requests/json-body.md)") for p in problems
    )
    assert not any("flask_login" in p for p in problems)
    assert (
        "flask.Request.get_json: requests/json-body.md has no heading #no-such-heading" in problems
    )


def test_every_anchor_exists_on_its_page():
    assert _problems_of("has no heading") == []


def test_no_data_file_entry_shadows_a_page():
    """A name a page declares must leave the data file, so the index has one answer for it."""
    assert _problems_of("delete it from") == []


@FLASK_31_KEYS
def test_the_data_file_lists_only_current_names():
    assert _problems_of("any more") == []


def test_a_declaration_overrides_the_data_file():
    page = TopicPage(
        "structure/request-hooks.md", "Request hooks", (), (("flask.after_this_request", None),)
    )
    found = flaskapi.entries(pages=[*pages.topic_pages(), page])["flask.after_this_request"]
    assert [(e.page, e.reason) for e in found] == [("structure/request-hooks.md", None)]


@pytest.mark.parametrize(
    "entry",
    [{"name": "flask.redirect", "section": "x"}, {"anchor": "x"}, 42, ["flask.redirect"]],
)
def test_a_malformed_flask_api_entry_is_refused(entry):
    with pytest.raises(ValueError, match="flask_api entry"):
        pages.flask_api_entries({"flask_api": [entry]})


def test_flask_api_entries_accept_both_shapes():
    meta = {"flask_api": ["flask.g", {"name": "flask.abort", "anchor": "raising"}]}
    assert pages.flask_api_entries(meta) == (("flask.g", None), ("flask.abort", "raising"))


def test_search_keywords_are_last_parts_and_skip_qualifiers():
    assert flaskapi.keyword("flask.Request.get_json") == "get_json"
    assert flaskapi.keyword("config.MAX_CONTENT_LENGTH") == "MAX_CONTENT_LENGTH"
    assert flaskapi.keyword("flask.request") is None
    assert flaskapi.keyword("flask_login.login_required") is None
    keywords = flaskapi.search_keywords()
    assert "get_json" in keywords[("requests/json-body.md", None)]
    # A name no page declares is a strong match for its own heading on the index page.
    undeclared = next(name for name in flaskapi.no_counterpart() if flaskapi.keyword(name))
    assert flaskapi.keyword(undeclared) in keywords[(flaskapi.INDEX_PAGE, undeclared)]


def test_the_index_page_gives_every_name_a_heading():
    ids = flaskapi.heading_ids(flaskapi.INDEX_PAGE)
    assert {flaskapi.name_id(n) for n in flaskapi.names()} <= ids


def test_entry_is_a_frozen_record():
    with pytest.raises(dataclasses.FrozenInstanceError):
        flaskapi.Entry("flask.g").page = "x"  # type: ignore[misc]
