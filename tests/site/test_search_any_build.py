"""The search every build of the site must ship, whichever theme drew its search box.

Material's build (`nox -s site`) and Zensical's (`nox -s zensical`, which runs only this
module on site-zensical/) both start overrides/assets/javascripts/pagefind-worker.js for their
search box, each speaking its own protocol (pagefind-zensical.js answers Zensical's): a reader
presses `/`, types, gets Pagefind's results (nothing else answers: the
theme's own index ships no text), moves with the arrows and opens one with Enter.
The two boxes differ only in their markup (`UI`); the build is told apart by the index file
the theme ships beside the pages.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from .conftest import SITE_DIR

#: Zensical writes `search.json` at the site's root, Material `search/search_index.json`.
THEME = "zensical" if (SITE_DIR / "search.json").is_file() else "material"
#: The search box and its result links in each theme's markup. Zensical draws its dialog in
#: an open shadow root, which Playwright's CSS locators enter.
UI = {
    "material": {
        "box": "input.md-search__input",
        "results": ".md-search-result__item a",
    },
    "zensical": {
        "box": "dialog[aria-label=Search] input[role=combobox]",
        "results": "[role=listbox] a[role=option]",
    },
}[THEME]
QUERY, EXPECTED = "upload a file", "/requests/file-uploads/"


def open_search(page, errors: list[str], requests: list[str]):
    """The home page with the search box opened by `/`; records page errors and requests."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page.goto("/")
    page.keyboard.press("/")
    box = page.locator(UI["box"])
    box.wait_for()
    return box


def type_query(page, box, query: str) -> list[str]:
    """Enter `query` in the box; the result links' paths, best first.

    Filled at once, not typed key by key: the list that shows is then the answer to the
    whole query, not to a prefix the worker answered first. Zensical searches on the input
    event `fill` sends; Material on key events, which End sends.
    """
    box.fill(query)
    box.press("End")
    results = page.locator(UI["results"])
    results.first.wait_for()
    return [urlsplit(h).path for h in results.evaluate_all("a => a.map((l) => l.href)")]


def test_the_theme_ships_no_text_to_search():
    """The theme's own index keeps its settings and no text: Pagefind searches."""
    if THEME == "zensical":
        index = json.loads((SITE_DIR / "search.json").read_text(encoding="utf-8"))
        assert index["items"], "the UI draws result rows from these entries"
        assert {item["text"] for item in index["items"]} == {""}
        assert all(item["location"] is not None and item["title"] for item in index["items"])
    else:
        index = json.loads((SITE_DIR / "search/search_index.json").read_text(encoding="utf-8"))
        assert index["docs"] == []
    assert "separator" in index["config"]
    assert (SITE_DIR / "pagefind/pagefind.js").is_file()


def test_slash_type_arrows_enter_open_a_pagefind_result(page):
    """The whole keyboard flow in one page (one Pagefind start-up: CI time is counted)."""
    errors: list[str] = []
    requests: list[str] = []
    box = open_search(page, errors, requests)
    paths = type_query(page, box, QUERY)
    assert EXPECTED in paths[:5], paths[:5]
    assert "/assets/javascripts/pagefind-worker.js" in requests
    assert "/pagefind/pagefind.js" in requests  # the answer came from Pagefind's index
    assert len(paths) > 1, paths  # the arrow must have somewhere to go
    # One arrow: Material moves the focus from the box to the first link (a second could land
    # on a "more on this page" fold, no link); Zensical, whose box keeps the focus, moves the
    # selection from the first row to the second.
    page.keyboard.press("ArrowDown")
    links = page.locator(UI["results"])
    if THEME == "zensical":
        chosen = links.nth(1)
        assert chosen.get_attribute("aria-selected") == "true"
        assert links.first.get_attribute("aria-selected") == "false"
    else:
        chosen = links.first
        assert chosen.evaluate("link => link === document.activeElement")
    href = chosen.evaluate("link => link.href")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(href).path)
    assert page.locator("article h1").first.is_visible()
    assert errors == []


pytestmark = pytest.mark.site
