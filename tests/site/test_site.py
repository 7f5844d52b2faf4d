"""What a reader does with the guide, in a real browser: search, tabs, copy, and nothing
loaded from elsewhere, no console errors, no accessibility violations."""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup, SoupStrainer

from guidekit.topics import ROOT

from .conftest import SITE_DIR, site_paths

PATHS = site_paths()
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


def load_and_record(page, base_url: str, path: str, check=lambda: None):
    """Open a page and call `check()` on it; return its status, the URLs it requested
    elsewhere, console errors, and what `check` returned.

    The page is read from `load` on. What it still fetches after that (its favicon, and the
    import of the search worker it started: pagefind-zensical.js) is recorded too: the
    recorder waits for `networkidle` (no request for 500 ms) before it answers. `check` runs
    in between, so that its time (an axe run takes seconds) overlaps that wait instead of
    adding to it; those late requests change nothing in the document it reads.
    """
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(path, wait_until="load")
    checked = check()
    page.wait_for_load_state("networkidle")
    foreign = [url for url in requested if not url.startswith((base_url, "data:", "blob:"))]
    return (response.status if response else 0), foreign, errors, checked


#: The parts of every page that are the same markup everywhere: the header but the page's
#: title, the navigation sidebar (less the page's own entry), the footer's site line.
#: Axe reads them whole on CHROME_SAMPLE and skips them on the other pages, where they took
#: about a third of each run; test_the_shared_chrome_is_the_same_markup_on_every_page proves
#: that what is skipped is what was checked.
SHARED_CHROME = (
    ".md-header__inner > :not(.md-header__title)",
    ".md-sidebar--primary",
    ".md-footer-meta",
)
CHROME_SAMPLE = "/routing/path-parameters/"
#: Axe's context for a page's own parts: all but the SHARED_CHROME.
OWN_PARTS = {"exclude": [[part] for part in SHARED_CHROME]}
#: The elements that hold the SHARED_CHROME (the only ones shared_chrome parses).
_CHROME_CLASSES = {"md-header", "md-sidebar--primary", "md-footer-meta"}


def _holds_chrome(classes: str | None) -> bool:
    return bool(classes and _CHROME_CLASSES.intersection(classes.split()))


#: Highlighted code: every token is a span whose colours axe's contrast rule works out,
#: about half of its work on a topic page. What axe can say of an element there is fixed
#: by its look (`code_looks`): its tag, classes and attributes and those of every element
#: above it, and whether it holds text. Axe reads all code on `code_samples()`, pages
#: chosen to hold every look the site has between them, and skips these elements elsewhere.
CODE = ".highlight code"
#: Axe's context for a page's own parts less its CODE.
WITHOUT_CODE = {"exclude": [*OWN_PARTS["exclude"], [CODE]]}


class _CodeLooks(HTMLParser):
    """The looks of every element at or under a CODE element, tokenizing a page once."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
        self.looks: set[tuple] = set()
        self._code = None  # the stack's depth of the CODE element being read, if any

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        found = dict(attrs)
        # The language of a block is a class no rule reads; ids differ on every block.
        classes = " ".join(sorted(c for c in (found.pop("class", None) or "").split()
                                  if not c.startswith("language-")))  # fmt: skip
        found.pop("id", None)
        self.stack.append((tag, classes, tuple(sorted((k, v or "") for k, v in found.items()))))
        in_highlight = any("highlight" in c.split() for _, c, _ in self.stack)
        if self._code is None and tag == "code" and in_highlight:
            self._code = len(self.stack) - 1
        if self._code is not None:
            self.looks.add(self._look())

    def handle_data(self, data: str) -> None:
        if self._code is not None and data.strip():
            self.looks.add((*self._look(), "text"))

    def _look(self) -> tuple:
        # Above the CODE, tag and classes: attribute values there (a tab set's count of
        # tabs, the `for` of its labels) differ from block to block and style no token.
        boxes = tuple((tag, classes) for tag, classes, _ in self.stack[: self._code])
        return (*boxes, *self.stack[self._code :])

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                if self._code is not None and depth <= self._code:
                    self._code = None
                return


def code_looks(path: str, html: str | None = None) -> set[tuple]:
    """The looks of the highlighted code in a built page's article (or in `html`): one
    tuple per element at or under a CODE element: `(tag, classes)` of each element above
    the CODE in the article, then `(tag, classes, attributes)` of the CODE and of each
    element down to it (ids and `language-*` classes left out), then "text" if it holds
    text of its own. Two elements of the same look are styled by the same rules of the
    same stylesheets, so axe finds the same on both."""
    if html is None:
        html = (SITE_DIR / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    start, end = html.find("<article"), html.rfind("</article>")
    parser = _CodeLooks()
    parser.feed(html[start:end] if 0 <= start < end else html)
    return parser.looks


@functools.cache
def code_samples() -> tuple[str, ...]:
    """CHROME_SAMPLE, then the page holding the most looks not yet held, and so on until
    the pages hold every look of the site (in sitemap order where two hold as many)."""
    looks = {path: code_looks(path) for path in PATHS}
    samples = [CHROME_SAMPLE]
    left = set().union(*looks.values()) - looks[CHROME_SAMPLE]
    while left:
        best = max(PATHS, key=lambda path: len(looks[path] & left))
        samples.append(best)
        left -= looks[best]
    return tuple(samples)


def axe_context(path: str) -> dict | None:
    """What axe reads on a page: all of CHROME_SAMPLE; all but the SHARED_CHROME on the
    other `code_samples()`; all but the SHARED_CHROME and the CODE elsewhere."""
    if path == CHROME_SAMPLE:
        return None
    if path in code_samples():
        return OWN_PARTS
    return WITHOUT_CODE


@pytest.mark.parametrize("path", PATHS)
def test_page_loads_clean(page, base_url, path):
    """One load per page: status 200, nothing requested from other hosts, no console
    errors, no WCAG 2.1 AA violations found by axe (what `axe_context` names)."""
    context = axe_context(path)
    status, foreign, errors, report = load_and_record(
        page, base_url, path, lambda: accessibility_report(page, context)
    )
    assert status == 200
    assert foreign == []
    assert errors == []
    assert report == "", report


def test_the_code_samples_hold_every_look_and_are_few():
    """Axe reads every look of the site's code on some page, on at most a quarter of them."""
    samples = code_samples()
    every = set().union(*(code_looks(path) for path in PATHS))
    assert set().union(*(code_looks(path) for path in samples)) == every
    assert any(look[-1] == "text" for look in every)  # text is a look of its own too
    assert len(samples) <= len(PATHS) // 4, samples


def test_the_looks_tell_apart_what_axe_could_tell_apart():
    """The check above can fail: a token of another class, a block in another box, a code
    element that lost its keyboard stop, a link inside code, are each a look of their own
    (and make their page a sample); the same markup on another page is not."""
    path = "/start/hello-world/"
    html = (SITE_DIR / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    looks = code_looks(path, html)
    assert code_looks("/elsewhere/", html) == looks
    first = html.index('<div class="language-python highlight">')
    changed = {
        "class": html.replace('<span class="kn">', '<span class="kn faint">', 1),
        "box": html[:first] + '<div class="admonition note">' + html[first:].replace(
            "</pre></div>", "</pre></div></div>", 1),
        "tabindex": html.replace('<code tabindex="0">', "<code>", 1),
        "link": html.replace('<span class="kn">from</span>', '<a href="/x/">from</a>', 1),
    }  # fmt: skip
    for name, other in changed.items():
        assert other != html, name
        assert code_looks(path, other) - looks, name


def shared_chrome(path: str, html: str | None = None) -> list[str]:
    """The SHARED_CHROME parts of a built page (or of `html`, served at `path`), one string
    each, with what tells one page from another taken out: links resolved to site paths,
    the `--active` marks and the open sections of the navigation (the entry of the page
    itself, with the table of contents nested in it for small screens, shown as any other
    entry), whitespace runs collapsed."""
    if html is None:
        html = (SITE_DIR / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    # The article, most of a page's bytes, is cut out unread: the parser would tokenize it
    # even to throw it away. Of the rest, only the elements holding the parts are kept.
    start, end = html.find("<article"), html.rfind("</article>")
    if 0 < start < end:
        html = html[:start] + html[end:]
    wanted = SoupStrainer(attrs={"class": _holds_chrome})
    soup = BeautifulSoup(html, "html.parser", parse_only=wanted)
    own = soup.select(".md-sidebar--primary li.md-nav__item--active:not(.md-nav__item--nested)")
    for entry in own:
        for extra in entry.select("input#__toc, label[for=__toc], nav.md-nav--secondary"):
            extra.decompose()
    for element in soup.find_all(True):
        if classes := element.get("class"):
            element["class"] = [c for c in classes if not c.endswith("--active")]
        for state in ("checked", "aria-expanded"):
            element.attrs.pop(state, None)
        for attribute in ("href", "src"):
            if value := element.get(attribute):
                element[attribute] = urljoin(path, value)
    parts = [part for selector in SHARED_CHROME for part in soup.select(selector)]
    return [" ".join(str(part).split()) for part in parts]


def test_the_shared_chrome_is_the_same_markup_on_every_page():
    """What axe reads on CHROME_SAMPLE only is the same on every other page."""
    sample = shared_chrome(CHROME_SAMPLE)
    assert len(sample) >= len(SHARED_CHROME)  # every selector finds its part
    assert any("md-nav__link" in part for part in sample)
    assert [path for path in PATHS if shared_chrome(path) != sample] == []


def test_the_chrome_comparison_catches_a_page_of_its_own():
    """The check above can fail: a navigation entry renamed on one page is caught."""
    html = (SITE_DIR / "start/hello-world/index.html").read_text(encoding="utf-8")
    assert shared_chrome("/start/hello-world/", html) == shared_chrome(CHROME_SAMPLE)
    renamed = html.replace("Query parameters", "Query strings")
    assert shared_chrome("/start/hello-world/", renamed) != shared_chrome(CHROME_SAMPLE)


def test_the_recorder_catches_a_third_party_font(page, base_url):
    """The check above can fail: a page that loads a web font from a CDN is caught."""
    html = (
        '<!doctype html><html lang="en"><head><title>canary</title><link rel="stylesheet" '
        'href="https://fonts.googleapis.com/css?family=Roboto"></head><body>x</body></html>'
    )
    page.route("**/canary/", lambda route: route.fulfill(content_type="text/html", body=html))
    status, foreign, errors, _ = load_and_record(page, base_url, "/canary/")
    assert status == 200
    assert foreign == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert errors  # the blocked font also shows up as a console error


def accessibility_report(page, context: dict | None = None) -> str:
    """Axe's WCAG 2.1 A/AA violations on the page as loaded, as its report ("" if none).

    `context` is axe-core's: which parts of the page to check (`{"exclude": [[selector]]}`);
    None: the whole page.
    """
    # resultTypes: every violating element is still listed, but of the passes (thousands of
    # elements on a topic page) axe keeps one each: less to collect, send and parse.
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    return results.generate_report() if results.violations_count else ""


def test_the_accessibility_check_catches_a_violation(page):
    """The check above can fail: an image without alternative text is caught, in the page's
    own parts also where the SHARED_CHROME is left out, and only there; a faint code token,
    only where the CODE is read."""
    image = '<img id="{}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'.format
    faint = '<span style="color:#ddd">faint</span>'
    faint_code = f'<div class="highlight"><pre><code tabindex="0">{faint}</code></pre></div>'
    html = (
        '<!doctype html><html lang="en"><head><title>canary</title></head><body>'
        f'<header><nav class="md-header__inner"><div class="md-header__title">{image("title")}'
        f'</div><div class="md-search">{image("search")}</div></nav></header>'
        f'<div class="md-sidebar--primary">{image("navigation")}</div>'
        f"<main>{image('article')}{faint_code}</main></body></html>"
    )
    page.route("**/canary/", lambda route: route.fulfill(content_type="text/html", body=html))
    page.goto("/canary/")
    whole = accessibility_report(page)
    assert "image-alt" in whole
    assert all(f'id="{name}"' in whole for name in ("title", "search", "navigation", "article"))
    own = accessibility_report(page, OWN_PARTS)
    assert 'id="title"' in own and 'id="article"' in own
    assert 'id="search"' not in own and 'id="navigation"' not in own
    assert "color-contrast" in own  # the faint code token, read on the CODE samples
    without_code = accessibility_report(page, WITHOUT_CODE)
    assert 'id="article"' in without_code and "color-contrast" not in without_code


def test_unknown_address_shows_a_helpful_404(page):
    response = page.goto("/no/such/page/")
    assert response is not None and response.status == 404
    assert page.locator("input.md-search__input").count() == 1
    page.get_by_role("link", name="home page").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert page.title().startswith("Flask → FastAPI, tested")
