"""Search quality in the built site: what a Flask developer types finds the topic that explains it.

The queries run through the site's own search: the Material search worker the page loads, fed
the built `search/search_index.json`, exactly as the search box feeds it (the box sends the raw
text; the worker splits, stems and ranks). Hundreds of queries share one page and one worker,
so the module takes seconds; `test_the_search_box_ranks_like_the_batch` checks, by typing into
the real box, that the batch sees what a reader sees.

What the queries are:

- every name of the Flask API index (`guidekit.flaskapi`), typed as code spells it
  (`request.get_json`, `app.errorhandler`, `MAX_CONTENT_LENGTH`) and as its full dotted name;
- the examples of the issue that motivated the search settings (`@app.errorhandler(404)`,
  `methods=['POST']`, ...);
- natural-language tasks, each with the topic that should be in the first three results.

A name's "topic" is the page declaring it in `flask_api` front matter; for a name with no
counterpart topic it is its heading on the Flask API index or the nearest topic that the index
names (`see` in data/flask-api.toml).

The settings (mkdocs.yml's search plugin and hooks/search_keywords.py), measured here on
2026-11-30 (533 names, first result right; tasks with their topic in the first three):

| settings                                                   | as code | full name | tasks |
|------------------------------------------------------------|---------|-----------|-------|
| code-aware separator, names as `tags` boosted 10000        | 91.0 %  | 89.3 %    | 30/51 |
| + lunr's stop words as separators (queries drop them too)  | 91.0 %  | 89.5 %    | 34/51 |
| + `description` front matter as a field boosted 1000       | 91.6 %  | 90.4 %    | 41/51 |
| + 5 tasks for topics that had none (3 of them found)       | 91.6 %  | 90.4 %    | 44/56 |

Material appends a wildcard to every query word and lunr runs no pipeline on wildcard words,
so `a` or `in` matched every word they start, and "validate" does not find "validation".
Measured and not kept, on the base settings: tags boosted 1000 (36/51 but 86.9 % / 80.9 %,
issue examples lost) or 100 (32/51, 75.4 % / 57.4 %), with or without the names also in the
text; descriptions in the text (no gain). On the kept settings: descriptions boosted 2000 or
3000 (41 and 43/51, names and other tasks lost); no tags for plain-word names (`form`,
`data`: 37/51, 87.1 % / 86.9 %) or for the Flask API index (44/51, 52.9 % / 40.2 %); the
index's names in a field of their own boosted 3000-7000 (41-44/51, 76-88 % / 83-85 %); the
index page's sections boosted 0.5 (42/51, 85.2 % / 84.4 %); the summary pages boosted 0.05
instead of 0.2 (no change); the stemmer (35/51, 64.2 % / 63.6 %: stemmed words no longer
start with what readers type) or the trimmer (no change); possessive `'s` as a separator
(no change); text boosted 5 or 20 (no change); titles boosted 500 or 2000 (41 and 42/56).
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from guidekit import flaskapi

# The search worker, set up from the page's own configuration and index, answering a batch.
# Results come grouped by page, best page first; the first item of a group is its best section.
_BATCH_SEARCH = """
async (queries) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base + "/", location.href);
  const index = await (await fetch(new URL("search/search_index.json", base))).json();
  const worker = new Worker(new URL(config.search, base));
  const next = () => new Promise(resolve =>
    worker.addEventListener("message", event => resolve(event.data), { once: true }));
  worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs,
                                        options: { suggest: false } } });
  while ((await next()).type !== 1) {}  // 1: ready
  const out = {};
  for (const query of queries) {
    worker.postMessage({ type: 2, data: query });  // 2: query
    let message;
    while ((message = await next()).type !== 3) {}  // 3: result
    out[query] = message.data.items.map(group => group[0].location);
  }
  worker.terminate();
  return out;
}
"""

#: How an app's code spells the owner of an attribute.
_CODE_OWNER = {
    "flask.Flask": "app",
    "flask.Blueprint": "bp",
    "flask.Request": "request",
    "flask.Response": "response",
    "flask.session": "session",
    "flask.g": "g",
}

#: The examples of the issue: they returned nothing or the wrong page before the search settings.
ISSUE_EXAMPLES = {
    "errorhandler": "errors/error-handlers.md",
    "@app.errorhandler(404)": "errors/error-handlers.md",
    "test_client": "testing/testing.md",
    "app.test_client()": "testing/testing.md",
    "app.cli.command": "structure/cli-commands.md",
    "methods=['POST']": "routing/http-methods.md",
    "request.get_json": "requests/json-body.md",
    "request.args": "routing/query-parameters.md",
    "before_app_request": "structure/blueprint-scope.md",
    "url_for": "routing/url-building.md",
    "MAX_CONTENT_LENGTH": "requests/file-uploads.md",
    "ProxyFix": "deployment/deployment.md",
}

#: Natural-language tasks and the topic that should be among the first three results.
TASKS = {
    "read the JSON body": "requests/json-body.md",
    "return 201 with a Location header": "responses/status-codes-and-headers.md",
    "run code before each request": "structure/request-hooks.md",
    "upload a file": "requests/file-uploads.md",
    "read query string parameters": "routing/query-parameters.md",
    "integer path parameter": "routing/path-parameters.md",
    "redirect to another URL": "routing/trailing-slashes-and-redirects.md",
    "build a URL for an endpoint": "routing/url-building.md",
    "read a form field": "requests/form-data.md",
    "read a request header": "requests/headers-and-cookies.md",
    "set a cookie on the response": "requests/headers-and-cookies.md",
    "return JSON from a view": "responses/json-responses.md",
    "custom error handler": "errors/error-handlers.md",
    "abort with 404": "errors/errors-and-abort.md",
    "validate the request data": "errors/validation.md",
    "load settings from environment variables": "structure/configuration.md",
    "store data for the current request": "structure/request-globals.md",
    "database session per request": "data/databases.md",
    "run code at startup and shutdown": "structure/lifespan.md",
    "add a middleware": "structure/middleware.md",
    "add a command line command": "structure/cli-commands.md",
    "run a task after the response is sent": "data/background-work.md",
    "signed session cookie": "security/sessions.md",
    "log in with a token": "security/authentication.md",
    "restrict an endpoint to admins": "security/authorization.md",
    "allow cross-origin requests": "security/cors.md",
    "CSRF protection for forms": "security/csrf-and-forms.md",
    "async def view": "async/async-views.md",
    "blocking call inside async code": "async/blocking-calls.md",
    "websocket endpoint": "real-time/websockets.md",
    "render an HTML template": "pages/templates.md",
    "serve static files": "pages/static-files.md",
    "flash a message to the user": "pages/flash-messages.md",
    "swagger UI documentation": "api-docs/openapi-docs.md",
    "test client for the app": "testing/testing.md",
    "deploy with gunicorn workers": "deployment/deployment.md",
    "stream a large response": "responses/streaming.md",
    "server-sent events": "responses/streaming.md",
    "send a file download": "responses/custom-responses.md",
    "split the app into blueprints": "start/project-layout.md",
    "answer HEAD and OPTIONS": "routing/http-methods.md",
    "trailing slash redirect": "routing/trailing-slashes-and-redirects.md",
    "hide fields in the response": "responses/response-models.md",
    "migrate one route at a time": "migrating/incremental-migration.md",
    "inject a dependency": "structure/dependency-injection.md",
    "run the development server": "start/running-the-app.md",
    "client IP address behind a proxy": "deployment/deployment.md",
    "raw request body bytes": "requests/request-object.md",
    # Tasks of the topics added after the settings were tuned.
    "update only the fields sent": "requests/partial-updates.md",
    "rate limit an endpoint": "extensions/flask-limiter.md",
    "add a request id to every log line": "structure/logging.md",
    # Topics that had no task, added when descriptions and stop words came in (not tuned:
    # written before measuring, misses declared below).
    "reject malformed JSON without a 500": "requests/hostile-input.md",
    "verify a webhook signature": "requests/request-object.md",
    "admin interface for database models": "extensions/flask-admin.md",
    "flask-smorest arguments and response schemas": "extensions/flask-smorest.md",
    "cache a view's response": "extensions/flask-caching.md",
}

#: Tasks the search does not answer yet (measured 2026-11-30): strict xfails, so a fix shows
#: up as XPASS. Every query word matches as a prefix and none is stemmed (see the module
#: docstring).
KNOWN_MISSED_TASKS = {
    # The word on the page has another ending: "validate" ≠ validation, "hide" ≠ hiding,
    # "migrate" ≠ migration.
    "validate the request data",
    "hide fields in the response",
    "migrate one route at a time",
    # A declared name starts with a task word and outranks the topic: `request_context`,
    # `origin`, `header_property`, `add_url_rule`, `endpoint`, the `SESSION_*` keys,
    # `logger`, `json`.
    "store data for the current request",
    "allow cross-origin requests",
    "answer HEAD and OPTIONS",
    "add a middleware",
    "restrict an endpoint to admins",
    "database session per request",
    "log in with a token",
    "reject malformed JSON without a 500",
    # "view's" leaves an `s`, which matches every word starting with s (`SECRET_KEY`, ...);
    # without it the topic comes fourth, after `cache_control` and `MethodView`.
    "cache a view's response",
}

#: Shares of names whose first result is their topic, measured when the settings were tuned;
#: the tests fail if the search gets worse than this.
MIN_SHARE_AS_CODE = 0.9  # measured: 488 of 533 (91.6 %)
MIN_SHARE_FULL_NAME = 0.89  # measured: 482 of 533 (90.4 %)
MIN_TASKS_IN_TOP_THREE = 44  # measured: 44 of 56


def location(page: str) -> str:
    """A docs/-relative page as the search index locates it: `requests/json-body/`."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def as_code(name: str) -> str:
    """A name as an app's code spells it: `request.get_json`, `app.errorhandler`, `redirect`."""
    group, _, leaf = name.rpartition(".")
    return f"{_CODE_OWNER[group]}.{leaf}" if group in _CODE_OWNER else leaf


def topics_of(entries: list[flaskapi.Entry]) -> set[str]:
    """The locations that count as right for a name (see the module docstring)."""
    out = set()
    for entry in entries:
        if entry.page:
            out.add(location(entry.page))
        else:
            out.add(location(flaskapi.INDEX_PAGE))
            if entry.see:
                out.add(location(entry.see))
    return out


def _page_of(result: str) -> str:
    return result.partition("#")[0]


@pytest.fixture(scope="module")
def entries() -> dict[str, list[flaskapi.Entry]]:
    return flaskapi.entries()


@pytest.fixture(scope="module")
def results(browser, base_url, entries) -> dict[str, list[str]]:
    """Every query of this module, answered in one page session: `{query: [location, ...]}`."""
    queries = {*ISSUE_EXAMPLES, *TASKS}
    for name in entries:
        queries |= {name, as_code(name)}
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/")
        return page.evaluate(_BATCH_SEARCH, sorted(queries))
    finally:
        context.close()


def _share(results, entries, form) -> tuple[float, list[str]]:
    misses = []
    for name, found in entries.items():
        query = form(name)
        first = _page_of(results[query][0]) if results[query] else None
        if first not in topics_of(found):
            misses.append(f"{query!r} → {first} (expected {sorted(topics_of(found))})")
    return 1 - len(misses) / len(entries), misses


def test_names_typed_as_code_find_their_topic_first(results, entries):
    share, misses = _share(results, entries, as_code)
    print(f"\nfirst result right for {share:.1%} of {len(entries)} names typed as code")
    assert share >= MIN_SHARE_AS_CODE, "\n".join(misses)


def test_full_dotted_names_find_their_topic_first(results, entries):
    share, misses = _share(results, entries, lambda name: name)
    print(f"\nfirst result right for {share:.1%} of {len(entries)} full dotted names")
    assert share >= MIN_SHARE_FULL_NAME, "\n".join(misses)


def test_no_indexed_name_returns_zero_results(results, entries):
    empty = [q for name in entries for q in (name, as_code(name)) if not results[q]]
    assert empty == []


@pytest.mark.parametrize(("query", "page"), ISSUE_EXAMPLES.items())
def test_the_issue_examples_find_their_topic_first(results, query, page):
    assert results[query], f"{query!r} finds nothing"
    assert _page_of(results[query][0]) == location(page), results[query][:3]


@pytest.mark.parametrize(
    ("task", "page"),
    [
        pytest.param(
            task,
            page,
            marks=[pytest.mark.xfail(strict=True, reason="known miss")]
            if task in KNOWN_MISSED_TASKS
            else [],
        )
        for task, page in TASKS.items()
    ],
)
def test_a_task_finds_its_topic_in_the_top_three(results, task, page):
    top_three = [_page_of(r) for r in results[task][:3]]
    assert location(page) in top_three, top_three


def test_enough_tasks_find_their_topic():
    assert len(TASKS) - len(KNOWN_MISSED_TASKS) >= MIN_TASKS_IN_TOP_THREE


def test_the_search_box_ranks_like_the_batch(page, results):
    """Typed into the real search box, a few queries show the batch's first result first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto("/")
    box = page.locator("input.md-search__input")
    for query in ["errorhandler", "before_app_request", "read the JSON body"]:
        expected = _page_of(results[query][0])
        box.click()
        box.fill("")
        box.press_sequentially(query)  # the theme searches on key events, not on fill()
        try:
            page.wait_for_function(
                "expected => document.querySelector('.md-search-result__item > a')"
                "?.href.includes(expected)",
                arg=expected,
                timeout=5_000,
            )
        except PlaywrightTimeout:
            first = page.locator(".md-search-result__item > a").first.get_attribute("href")
            pytest.fail(f"{query!r}: the box shows {first} first, the batch {expected}")


def test_matched_names_show_as_tags_in_the_results(page):
    """The keyword chips of a result: only the names the query matched are visible."""
    page.goto("/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("get_json")
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    visible = first.locator(".md-tag:visible").all_inner_texts()
    assert visible and all("get_json" in tag for tag in visible), visible


def _built_index() -> dict:
    from .conftest import SITE_DIR

    return json.loads((SITE_DIR / "search" / "search_index.json").read_text())


def test_keywords_are_in_the_built_index():
    """The hook ran: declared names are tags of their page in search_index.json."""
    tags = {doc["location"]: doc.get("tags", []) for doc in _built_index()["docs"]}
    assert "get_json" in tags[location("requests/json-body.md")]
    assert "errorhandler" in tags[location("errors/error-handlers.md")]


def test_descriptions_are_in_the_built_index():
    """The hook ran: a page's `description` front matter is its entry's `description` field."""
    index = _built_index()
    assert "description" in index["config"]["fields"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert "request.state" in docs[location("structure/request-globals.md")]["description"]
    assert all("description" not in doc for loc, doc in docs.items() if "#" in loc)


def test_the_separator_drops_the_stop_words_the_index_drops():
    """The hook's stop words are the search worker's own list, and the built separator ends
    with them: a query drops exactly the words the index's `stopWordFilter` drops."""
    from .conftest import ROOT, SITE_DIR

    spec = importlib.util.spec_from_file_location("hook", ROOT / "hooks" / "search_keywords.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    worker = next((SITE_DIR / "assets" / "javascripts" / "workers").glob("search.*.js"))
    listed = re.search(r"generateStopWordFilter\(\[([^\]]*)\]\)", worker.read_text())
    assert listed, f"no stop word list in {worker.name}"
    assert json.loads(f"[{listed[1]}]") == hook.STOP_WORDS
    separator = _built_index()["config"]["separator"]
    assert separator.endswith("|" + hook.stop_word_separator())
    pattern = re.compile(separator)
    assert [w for w in pattern.split("Read a request header") if w] == ["Read", "request", "header"]
    assert [w for w in pattern.split("request.is_json") if w] == ["request", "is_json"]
