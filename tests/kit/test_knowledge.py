"""The guide's knowledge shipped in the kit: generated from the pages, linked absolutely."""

from __future__ import annotations

import pytest
from flask2fastapi.knowledge import Knowledge
from flask2fastapi.rules import RULES

from guidekit.topics import DOCS


def test_every_rule_names_a_page_of_the_guide():
    pages = Knowledge.load().data["pages"]
    assert {rule.page for rule in RULES.values()} <= set(pages)
    assert all((DOCS / rule.page).is_file() for rule in RULES.values())


def test_links_are_absolute_on_the_published_site():
    knowledge = Knowledge.load()
    assert knowledge.site_url == "https://example.github.io/flask-to-fastapi-guide/"
    link = knowledge.page("routing/path-parameters.md", "what-behaves-differently")
    assert link.url == knowledge.site_url + "routing/path-parameters/#what-behaves-differently"
    assert link.title == "Path parameters"


def test_extensions_come_from_the_extensions_map():
    row = Knowledge.load().extension("flask_sqlalchemy")
    assert row["name"] == "Flask-SQLAlchemy"
    assert row["link"].url.endswith("/data/databases/")
    assert Knowledge.load().extension("flask_not_on_the_map") is None


@pytest.mark.change("flask-31-config-keys")  # the knowledge file lists Flask 3.1's keys
def test_flask_config_keys_are_flasks_own():
    from flask import Flask

    assert Knowledge.load().flask_config == frozenset(Flask.default_config)
