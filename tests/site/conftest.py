"""Browser tests of the built site: Playwright driving Debian's Chromium.

Run with `nox -s site`, which builds the site first. The site is served from `site/` (or
`$SITE_DIR`) by a static file server on 127.0.0.1 that this module starts and stops.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guidekit.topics import ROOT

SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google's hosts at start-up.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, answering unknown paths with its 404 page as a host would."""

    def send_error(self, code, message=None, explain=None):
        page = SITE_DIR / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format, *args):  # keep test output quiet
        pass


def site_paths() -> list[str]:
    """Every page of the built site, from its sitemap, as paths ("/", "/start/hello-world/")."""
    sitemap = SITE_DIR / "sitemap.xml"
    if not sitemap.is_file():
        return []
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = ET.parse(sitemap).getroot().findall("s:url/s:loc", ns)  # noqa: S314 - our own file
    return [urlsplit(loc.text or "").path for loc in locs]


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(f"no built site in {SITE_DIR}: run `nox -s site`, which builds it first")
    handler = functools.partial(_SiteHandler, directory=str(SITE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, base_url):
    context = browser.new_context(base_url=base_url)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page
