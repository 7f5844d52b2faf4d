"""What a reader does with the guide, in a real browser: search, tabs, copy, and nothing
loaded from elsewhere, no console errors, no accessibility violations."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from guidekit.topics import ROOT

from .conftest import site_paths

PATHS = site_paths()
TOPIC_PATHS = [p for p in PATHS if p.count("/") == 3]  # /<section>/<topic>/
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def search(page, query: str) -> list[str]:
    """Type a query into the search box and return the result links, best first."""
    page.goto("/")
    box = page.locator("input.md-search__input")
    box.click()
    # The theme searches on key events, not on fill(): End sends one, with the whole query,
    # so the list that shows is the answer to it (typed key by key, an earlier prefix's
    # answer could show first, the worker answering asynchronously).
    box.fill(query)
    box.press("End")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for()
    return [
        urlsplit(h).path + "#" + urlsplit(h).fragment
        for h in results.evaluate_all("links => links.map(a => a.href)")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("upload a file", "/requests/file-uploads/"),
        ("blueprint", "/start/project-layout/"),
        ("422", "/errors/validation/"),
        ("abort 404", "/errors/errors-and-abort/"),
    ],
)
def test_search_finds_the_topic(page, query, expected):
    links = search(page, query)
    assert any(link.startswith(expected) for link in links[:5]), links[:5]


def test_search_result_opens_the_page_at_the_heading(page):
    search(page, "malformed JSON")
    visible = page.locator(".md-search-result__item a:visible")
    hrefs = visible.evaluate_all("links => links.map(a => a.href)")
    section = next(h for h in hrefs if urlsplit(h).fragment)  # a heading, not a whole page
    path, anchor = urlsplit(section).path, urlsplit(section).fragment
    visible.nth(hrefs.index(section)).click()
    page.wait_for_url(f"**{path}*#{anchor}")
    heading = page.locator(f"[id='{anchor}']")
    assert heading.count() == 1
    assert heading.is_visible()


def _selected_tab(page) -> str:
    return (
        page.locator(".tabbed-set")
        .first.locator("input:checked + label, label")
        .evaluate_all(
            "labels => labels.filter(l => document.getElementById(l.htmlFor)?.checked)"
            ".map(l => l.innerText.trim())"
        )[0]
    )


def test_tab_choice_follows_the_reader_across_pages_and_reloads(page):
    page.goto("/start/hello-world/")
    assert _selected_tab(page) == "Flask"
    page.locator(".tabbed-labels label", has_text="FastAPI").first.click()
    assert _selected_tab(page) == "FastAPI"
    page.goto("/routing/path-parameters/")
    assert _selected_tab(page) == "FastAPI"
    page.reload()
    assert _selected_tab(page) == "FastAPI"


def test_copy_button_copies_exactly_the_snippet(new_context):
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto("/start/hello-world/")
    block = page.locator(".tabbed-block").first.locator(".highlight").first
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    source = (ROOT / "snippets/hello-world/flask_app.py").read_text()
    # The include drops section-marker lines; everything else is the file, byte for byte.
    expected = "".join(line for line in source.splitlines(keepends=True) if "--8<--" not in line)
    assert copied.rstrip("\n") == expected.rstrip("\n")


def test_sitemap_lists_the_pages():
    assert len(PATHS) >= 10, "the built site should list its pages in sitemap.xml"


def load_and_record(page, base_url: str, path: str) -> tuple[int, list[str], list[str]]:
    """Open a page; return its status, the URLs it requested elsewhere, and console errors."""
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(path, wait_until="networkidle")
    foreign = [url for url in requested if not url.startswith((base_url, "data:", "blob:"))]
    return (response.status if response else 0), foreign, errors


AXE_PATHS = {"/", *TOPIC_PATHS}


@pytest.mark.parametrize("path", PATHS)
def test_page_loads_clean(page, base_url, path):
    """One load per page: status 200, nothing requested from other hosts, no console
    errors, and (home and topic pages) no WCAG 2.1 AA violations found by axe."""
    status, foreign, errors = load_and_record(page, base_url, path)
    assert status == 200
    assert foreign == []
    assert errors == []
    if path in AXE_PATHS:
        assert_accessible(page)


def test_the_recorder_catches_a_third_party_font(page, base_url):
    """The check above can fail: a page that loads a web font from a CDN is caught."""
    html = (
        '<!doctype html><html lang="en"><head><title>canary</title><link rel="stylesheet" '
        'href="https://fonts.googleapis.com/css?family=Roboto"></head><body>x</body></html>'
    )
    page.route("**/canary/", lambda route: route.fulfill(content_type="text/html", body=html))
    status, foreign, errors = load_and_record(page, base_url, "/canary/")
    assert status == 200
    assert foreign == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert errors  # the blocked font also shows up as a console error


def assert_accessible(page) -> None:
    """No WCAG 2.1 A/AA violations on the page as loaded (axe-core)."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_the_accessibility_check_catches_a_violation(page):
    """The check above can fail: an image without alternative text is caught."""
    html = '<!doctype html><html lang="en"><head><title>canary</title></head><body><main>'
    html += '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    page.route("**/canary/", lambda route: route.fulfill(content_type="text/html", body=html))
    page.goto("/canary/")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_unknown_address_shows_a_helpful_404(page):
    response = page.goto("/no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("input.md-search__input").count() == 1
    page.get_by_role("link", name="home page").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert page.title().startswith("Flask → FastAPI, tested")
