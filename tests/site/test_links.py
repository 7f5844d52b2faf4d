"""Every internal link and #anchor in the built site resolves.

Links by LinkChecker (offline, over HTTP from the test server); #anchors by reading each
built page once with Beautiful Soup. LinkChecker's own anchor check fetches and parses the
whole page again for every link with a fragment (over 4,000 here: tables of contents,
permalinks, cross-page anchors), which took 7 minutes of the browser suite's time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

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
            # Pygments' per-line anchors: thousands of links that only point at their own line.
            "--ignore-url", "__codelineno",
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


def test_every_internal_anchor_names_an_element_of_its_page():
    pages = {
        p.resolve(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in SITE_DIR.rglob("*.html")
    }
    assert len(pages) >= 10, f"no built site in {SITE_DIR}"
    ids = {page: {tag["id"] for tag in soup.find_all(id=True)} for page, soup in pages.items()}
    broken, checked = [], 0
    for page, soup in pages.items():
        for link in soup.find_all("a", href=True):
            url = urlsplit(link["href"])
            if url.scheme or url.netloc or not url.fragment:
                continue  # another host, or no anchor: LinkChecker's part
            target = _page_of(page, url.path)
            checked += 1
            if target not in ids or unquote(url.fragment) not in ids[target]:
                broken.append(f"{page.relative_to(SITE_DIR.resolve())}: {link['href']}")
    assert checked > 1000  # tables of contents and permalinks on every page
    assert broken == [], f"{len(broken)} broken anchors:\n" + "\n".join(broken[:40])
