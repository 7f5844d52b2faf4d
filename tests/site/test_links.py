"""Every internal link and #anchor in the built site resolves.

Links by LinkChecker (offline, over HTTP from the test server); #anchors by reading each
built page once with the standard library's HTML tokenizer. LinkChecker's own anchor check
fetches and parses the whole page again for every link with a fragment (over 4,000 here:
tables of contents, permalinks, cross-page anchors), which took 7 minutes of the browser
suite's time; Beautiful Soup's tree over the same tokenizer took five times longer than
collecting the two attributes while tokenizing (10 s against 2 s of CPU for 12 MB of HTML).
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .conftest import SITE_DIR

CONFIG = Path(__file__).with_name("linkcheckerrc")


def test_internal_links_resolve(base_url):
    linkchecker = shutil.which("linkchecker")
    assert linkchecker, "linkchecker is installed with the lock (requirements.txt)"
    # Over HTTP from the test server: LinkChecker drops root privileges to "nobody", who
    # may not read the build directory. Only URLs on this host are checked (no --check-extern).
    result = subprocess.run(
        [
            linkchecker,
            "--config", str(CONFIG),
            "--no-status",
            "--no-warnings",
            "--threads", "4",
            base_url + "/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
    assert "0 errors found" in result.stdout


def _page_of(page: Path, path: str) -> Path:
    """The built file a relative link's path (`../json-body/`, empty: this page) names."""
    target = (page.parent / unquote(path)).resolve() if path else page
    return target / "index.html" if target.is_dir() else target


class _Anchors(HTMLParser):
    """Collects a page's element ids and its links' hrefs while tokenizing it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])

    handle_startendtag = handle_starttag


def _read(page: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_every_internal_anchor_names_an_element_of_its_page():
    pages = {p.resolve(): _read(p) for p in SITE_DIR.rglob("*.html")}
    assert len(pages) >= 10, f"no built site in {SITE_DIR}"
    broken, checked = [], 0
    for page, parsed in pages.items():
        for href in parsed.hrefs:
            url = urlsplit(href)
            if url.scheme or url.netloc or not url.fragment:
                continue  # another host, or no anchor: LinkChecker's part
            target = _page_of(page, url.path)
            checked += 1
            if target not in pages or unquote(url.fragment) not in pages[target].ids:
                broken.append(f"{page.relative_to(SITE_DIR.resolve())}: {href}")
    assert checked > 1000  # tables of contents and permalinks on every page
    assert broken == [], f"{len(broken)} broken anchors:\n" + "\n".join(broken[:40])
