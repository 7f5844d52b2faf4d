"""Browser tests of the built site: pytest-playwright driving Debian's Chromium (headless shell).

Run with `nox -s site`, which builds the site first and runs these tests in parallel
(pytest-xdist). The plugins are off for the rest of the suite (pyproject's addopts); the
session turns them back on with `-p playwright -p base_url`. By hand, after `nox -s docs`:
`pytest tests/site -p playwright -p base_url -n auto`.

The site is served once, from `site/` (or `$SITE_DIR`), by a static file server on
127.0.0.1 that `pytest_configure` starts in the controlling process (all xdist workers
open the same address) and `pytest_unconfigure` stops.

Fixtures a test module here can ask for:

- `base_url` (pytest-base-url, session): "http://127.0.0.1:PORT", no trailing slash.
- `browser` (pytest-playwright, session, one per worker): Debian's Chromium headless
  shell (`CHROMIUM`), launched with `CHROMIUM_ARGS` (see `browser_type_launch_args`).
- `context` (per test): a fresh browser context whose relative URLs resolve against
  `base_url` and whose actions and waits time out after 10 s.
- `page` (per test): a page of that context; `page.goto("/start/hello-world/")` opens it.
- `new_context` (per test): `new_context(permissions=[...])` for a context with other
  options (closed after the test); or mark the test
  `@pytest.mark.browser_context_args(permissions=[...])` and use `page`.

Every test has a deadline (pytest-timeout, `DEADLINE_S`; the tests sharing the search batch
`BATCH_DEADLINE_S`): `page.evaluate` has no timeout of its own, so a promise that never settles
would otherwise hold its xdist worker, and the whole suite, forever. Past the deadline the
worker prints every thread's stack and exits; xdist reports the test as crashed and goes on.

Helpers: `site_paths()` lists every page of the sitemap; `SITE_DIR` is the built site.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from guidekit.topics import ROOT

SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
#: Chromium's headless shell, the browser Playwright itself runs headless tests in: the same
#: Blink and V8 as Chromium, less the desktop browser around them. Debian packages it beside
#: Chromium. Measured on the whole suite (2 cores): 289 CPU-s against 443 with the full
#: browser (a page's new context, load and settling cost ~1.3 CPU-s less), all tests alike.
#: `CHROMIUM=/usr/bin/chromium` runs them in the full browser; Lighthouse (`nox -s audit`)
#: always uses it.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
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
TIMEOUT_MS = 10_000
#: A browser test's deadline, setup included (the slowest, the link check, took 66 s on 2
#: cores busy with other work).
DEADLINE_S = 180
#: The deadline of the first test of the search batch, which builds it (search_queries.py
#: gives the batch itself BATCH_TIMEOUT_MS).
BATCH_DEADLINE_S = 420
# How the controlling process hands the address to xdist workers: they inherit its
# environment, and pytest-base-url reads this variable as the default of --base-url.
BASE_URL_VARIABLE = "PYTEST_BASE_URL"


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

    def end_headers(self):
        # LinkChecker paces itself to 10 requests a second per host unless the host answers
        # with this header (its documented opt-in); tests/site/linkcheckerrc then allows more.
        self.send_header("LinkChecker", "unthrottled: test server on 127.0.0.1")
        super().end_headers()

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


def pytest_configure(config: pytest.Config) -> None:
    """Serve the site once, in the process that runs (or hands out) the tests."""
    if hasattr(config, "workerinput"):  # an xdist worker: the address came in its environment
        return
    if not (SITE_DIR / "index.html").is_file():
        raise pytest.UsageError(
            f"no built site in {SITE_DIR}: run `nox -s site`, which builds it first"
        )
    handler = functools.partial(_SiteHandler, directory=str(SITE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    os.environ[BASE_URL_VARIABLE] = url
    config.option.base_url = url
    config.stash[_SERVER] = server


_SERVER = pytest.StashKey[http.server.ThreadingHTTPServer]()


def pytest_unconfigure(config: pytest.Config) -> None:
    if server := config.stash.get(_SERVER, None):
        server.shutdown()
        server.server_close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests first, so that the xdist workers finish together.

    First the tests that share the search batch (the module fixture `results` of
    test_search_quality.py, over a minute to build); then the link check; then the page
    loads by the page's size, largest first (axe's time grows with the page's elements);
    then the rest as collected. xdist's `load` scheduling starts each worker on a run of
    consecutive tests (a quarter of its share: 15 of the ~126), so the batch's five tests
    share one worker and one fixture. (`--dist loadgroup` cannot pin them: xdist 3.8 marks
    a group by renaming `item._nodeid`, which pytest 9 no longer reads.)
    """

    def rank(item: pytest.Item) -> tuple[int, int]:
        if "results" in getattr(item, "fixturenames", ()):
            return (0, 0)
        if item.name == "test_internal_links_resolve":
            return (1, 0)
        path = getattr(item, "callspec", None) and item.callspec.params.get("path")
        page = SITE_DIR / str(path).lstrip("/") / "index.html"
        if isinstance(path, str) and page.is_file():
            return (2, -page.stat().st_size)
        return (3, 0)

    items.sort(key=rank)  # stable: ties keep their collected order
    for item in items:
        if item.get_closest_marker("timeout") is None:
            seconds = BATCH_DEADLINE_S if rank(item) == (0, 0) else DEADLINE_S
            item.add_marker(pytest.mark.timeout(seconds, method="thread"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium: Playwright's own browser download does not work here."""
    if not Path(CHROMIUM).is_file():
        install = "apt-get install -y chromium-headless-shell"
        pytest.fail(f"{CHROMIUM} not found: {install} (or set CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's factory, with a 10 s default timeout on every context it makes."""

    def make(**options):
        context = new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return make
