"""Search quality in the built site: what a Flask developer types finds the topic that explains it.

The queries are data: data/search-queries.toml (Flask names as readers type them, pasted
error messages, tasks in readers' words, report titles) plus the titles of
data/field-reports.toml, each with the pages that answer it; and, measured separately, the
533 names of the Flask API index typed as code (`request.get_json`) and as full dotted names.
tests/site/search_queries.py loads them and runs them through an engine in one page of the
built site: the search the site ships (Material's lunr worker on its own index, exactly as the
search box feeds it) or Pagefind (hooks/pagefind_index.py), which `nox -s search_quality`
compares on the same set and writes to data/search-results.json.

Measured on 2026-12-06 (load average 10-17 on 2 cores: figures do not depend on it), top-1 /
top-3; "+ reports" adds the 150-168 field-report titles that data/field-reports.toml holds once
the traps corpus is merged (measured with SEARCH_FIELD_REPORTS):

| engine                                    | set (227)   | + reports  | names: code, full |
|-------------------------------------------|-------------|------------|-------------------|
| Material, mkdocs.yml and its hook         | 51.5 / 72.2 | not run    | 91.6 %, 90.4 %    |
| Pagefind, weights, no name lookup         | 71.8 / 86.3 | not run    | 84.8 %, 82.9 %    |
| Pagefind + exact Flask-name lookup        | 74.0 / 86.8 | 59.4 / 72.1 | 100 %, 100 %     |
| + h2/h3 weighted 9                        | 72.7 / 86.3 | 58.6 / 71.6 | 100 %, 100 %     |
| + no bare blueprint mirrors               | 73.1 / 86.3 | 58.9 / 71.6 | 100 %, 100 %     |

Then on 2026-12-06 with the traps corpus merged: 408 queries (216 of our own, 192 report
titles), measured on the whole set only, top-1 / top-3:

| change                                                      | set (408)   |
|-------------------------------------------------------------|-------------|
| before (the last row above, corpus merged)                  | 79.2 / 90.4 |
| pages say readers' words (descriptions, the 422 status line) | 82.1 / 94.1 |
| + summary pages' headings weighted like the page (0.2)      | 82.8 / 94.1 |
| + a name's attribute or subscript finds its owner (shipped) | 84.3 / 94.9 |
| + descriptions weighted 9 instead of 5 (not kept: +1 top-1) | 84.6 / 94.9 |

Then (issue 22 items 1-3), on the same 408 queries, top-1 / top-3:

| change                                                        | set (408)   |
|---------------------------------------------------------------|-------------|
| before (shipped above, same build)                            | 84.6 / 94.9 |
| + fewer than 3 full matches: the best partial matches after   | 84.6 / 95.3 |
| + descriptions as Pagefind metadata too                       | 85.5 / 96.1 |
| + title and description boost in the worker (not kept)        | 80.9 / 94.4 |
| + 4 report titles accept a 2nd page (data/search-queries.toml) | 86.8 / 97.3 |
|   and 2 descriptions say readers' words (one combined run)      |             |
| + extension pages' body text weighted 0.7 (0.5: 87.0)         | 87.3 / 97.3 |

Then (issue 22 again, same 408 queries; each row adds to the one above):

| change                                                          | set (408)   |
|-----------------------------------------------------------------|-------------|
| before (the last row above)                                     | 87.3 / 97.3 |
| declaring pages ranked by the name's own words, a section-only   | 88.2 / 97.3 |
| declaration after whole-page ones (partial updates' get_json),  |             |
| summary pages' scores x 0.3                                     |             |
| + phrase proximity, PHRASE 1 (0.5: 89.2 / 97.5; 3: 90.0 / 96.8) | 90.0 / 97.3 |
| + request globals and streaming name the RuntimeError text      | 90.7 / 97.3 |
| + 3 report titles accept a second page (the data file says why) | 91.4 / 97.3 |
| + `+ * |` split pasted words; a summary page matching every word | 91.7 / 97.3 |
|   waits with the partial matches when fewer than 3 match fully  |             |
| + the form-data page answers the int-parsing 422 (query data)   | 91.9 / 97.3 |

Then (issue 22 items 1-3 once more, same 408 queries; each row adds to the one above):

| change                                                          | set (408)   |
|-----------------------------------------------------------------|-------------|
| before (the last row above)                                     | 91.9 / 97.3 |
| + a title, description or one h2/h3 holding every content word  | 92.9 / 97.8 |
|   of the query doubles the page's score (worker's HEADING)      |             |
| + five descriptions say readers' words (form field, validate    | 93.9 / 97.8 |
|   request data, log in for a token, pool created at startup,   |             |
|   password hash leaking; one first result lost: "value is not a |             |
|   valid integer" now second)                                    |             |
| + two more (requests.get blocks the event loop; read a header)  | 94.1 / 97.8 |

Not kept there: a heading holding only some of the words, weighted by their share (91.7 /
98.0: -1 first result, +3 in the first three), the same limited to title and description
(92.2 / 98.0), a share of 2/3 or more (92.4 / 97.8), HEADING 2 or 0.5 instead of 1 (92.6 /
97.8 both). The ranking rule was chosen on this set; the description edits were made looking
at the queries they fix (named in their commits), each a sentence the page's content bears out.

Not kept: per-word scores merged for every query of 4 or more words (90.4-90.7 / 96.1-96.3),
an extra x2 or x3 for the exact phrase (90.0-90.2 / 97.1-97.3), core pages before extension
pages among those declaring a name (no change). The ranking changes were chosen on this set;
the 1,066 Flask-name queries were measured only after them, as a held-out check, and stayed
at 100 %. The page and data changes were made looking at the queries they fix (named in
their commits and in data/search-queries.toml).

Flask names stayed at 100 % both ways.

Material left 2 queries of the set with no result, Pagefind none. The heading weight costs
3 first results and brings the validation page into the first five links for `422`
(tests/site/test_site.py); Pagefind's ranking knobs (page length 0.3, term frequency 0.5,
saturation 1.0) moved top-1 by at most one query on the non-name queries and were not kept.

Then (issue 22 items 1-3, a third time), top-1 / top-3. The set changed first: the three
report titles that say only "it" are asked as title + first line(s) (data/field-reports.toml's
`query`), 30 unseen queries were added (written before any result was looked at), then 3 for
the kit's pages; each row adds to the one above:

| change                                                        | 408     | set            |
|---------------------------------------------------------------|---------|----------------|
| before, the "it" titles with their first lines                | 385/402 | 404/427 of 438 |
| + tool pages (your-app/, contributing/): body text 0.5, and    | 385/402 | 406/427        |
|   they wait with the partial matches, as summary pages do      |         |                |
| + the partial-match pass sums content words only (not "for")  | 385/403 | 406/428        |
| + that pass runs when fewer than 3 *topic* pages match fully  | 385/404 | 406/430        |
| + five descriptions say readers' words ("Field required"; CSS | 387/405 | 410/433        |
|   and JavaScript; a frontend on another origin; your          |         |                |
|   endpoints; "Is FastAPI faster than Flask?")                  |         |                |
| + 3 queries for the kit's pages (they miss before and after)  | 387/405 | 410/433 of 441 |
| + a traceback line is looked up by its exception's name       | 388/405 | 411/433        |
| + two descriptions (maximum upload size; RecursionError)      | 389/405 | 413/433        |
| + the partial matches join below 5 full topic matches, not 3  | 390/405 | 414/433        |
|   (10: the same; 4: no change)                                 |         |                |

The "408" column is the queries of the rounds before (top-1/top-3): 95.6 % / 99.3 % at the
end. The 30 unseen queries scored 19 / 25 of 30 (63.3 % / 83.3 %) when first measured, the held-out
figure; 24 / 28 at the end, but 4 of the changes were prompted by them. Not kept: Pagefind
asked without grammar words (set -4 first results), the partial-match pass always merged
(-31), tool pages' scores x 0.5 (+1 on the set, and `port my Flask app automatically` lost
the port page), a heading holding the query's words as typed x 3 (+1 -1, with or without
`test_client` split), the kit pages' descriptions in readers' words (-1 first result).

Issue 22's targets for the set (95 % top-1, 99 % top-3) are still not met on the 441: 27
queries miss the first place and 8 the first three (3 of them the kit queries, 2 unseen).
Before this round: 24 queries missed the first place, 9 the first three (three of them the
titles that say only "it"). The floors below are today's figures, so the search cannot get
worse unnoticed.

After the merges of that round (pagination, Flask-Login and databases pages grew), on the 441:
415 / 432. Then, each row adding to the one above, measured on the whole set:

| change                                                        | set            |
|---------------------------------------------------------------|----------------|
| after the merges                                              | 415/432 of 441 |
| + the databases page says its `with` block closes the session | 417/433        |
|   (and that Flask-SQLAlchemy removed it at the request's end)  |                |
| + the kit pages' descriptions say what readers ask of them    | 417/436        |
|   (port: converts ... automatically; parity: compares the     |                |
|   responses; scan: which parts need work before porting)       |                |
| + pagination's description: "validation errors that name the  | 417/436        |
|   parameter" for "422s" (`422` then finds validation third)    |                |
| + error handlers' description names its custom 404 and 500    | 417/437        |
|   answers (the page's handlers give both)                      |                |
| + a tool page whose title, description or a heading holds the  | 418/437        |
|   query keeps its place among the full matches (the tool is    |                |
|   what is asked about; its body's examples still wait)         |                |
| + parity's description says "to compare their responses" (the  | 419/437        |
|   worker's heading stems read "compares" as another word)      |                |

That meets issue 22's targets on the set: 95.0 % top-1, 99.1 % top-3 (4 misses). These last
changes were made looking at the misses they fix; the 30 unseen queries' held-out figure
stays the one measured before any change of that round (19 / 25 of 30).

Not kept: a page whose title, description and a heading all hold the query counting x3 instead
of x2 (-1 first result: `test client for the app`); the topic pages' tables weighted 0.5
(status codes fill their rows; -7 first results, +1 in the first three).

The batch asks the worker for the whole set in one message (`rankAll`: the search box's
ranking, each page's location read once instead of every result's excerpts built): the
1,440 queries took 602 s in this module's setup before, 76 s after, under the same load.

The Material settings' history (the separator, tags, stop words, descriptions) is in
hooks/search_keywords.py and mkdocs.yml; measured then on the 56 tasks this set replaces:
boosting tags 1000 or 100, the stemmer, the trimmer, and titles 500 or 2000 all lost more
than they won.
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from . import search_queries as sq

#: The engine the site ships (see the module docstring).
SITE_ENGINE = "pagefind"
#: Floors: today's figures for SITE_ENGINE (module docstring); raise them when search improves.
MIN_SET_TOP1 = 0.950  # measured 419 of 441 (249 of our own queries, 192 report titles)
MIN_SET_TOP3 = 0.990  # measured 437 of 441
MAX_SET_EMPTY = 0
MIN_SHARE_AS_CODE = 0.95  # measured 533 of 533 (issue 22's target: 95 %)
MIN_SHARE_FULL_NAME = 0.95  # measured 533 of 533


@pytest.fixture(scope="module")
def results(browser, base_url) -> dict[str, list[str]]:
    """Every query, answered by the site's engine in one page: `{query: [location, ...]}`."""
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/")
        return sq.run_batch(page, SITE_ENGINE, sq.all_texts())
    finally:
        context.close()


@pytest.fixture(scope="module")
def figures(results) -> dict[str, sq.Score]:
    out = sq.figures(results)
    print()
    for label, found in out.items():
        print(found.line(f"{SITE_ENGINE} {label}"))
    return out


def test_the_query_set_is_big_and_points_at_pages():
    """At least 150 queries, every answer a page of docs/, no summary page as an answer."""
    from guidekit.topics import ROOT

    set_ = sq.queries()
    assert len(set_) >= 150
    summaries = {
        "migrating/cheat-sheet.md",
        "migrating/known-traps.md",
        "your-app/flask-api-index.md",
    }
    for query in set_:
        assert query.pages, query
        for page in query.pages:
            assert (ROOT / "docs" / page).is_file(), (query.text, page)
            assert page not in summaries, (query.text, page)


def test_the_query_set_finds_its_pages(figures):
    found = figures["set"]
    assert found.top1 / found.total >= MIN_SET_TOP1, "\n".join(found.misses)
    assert found.top3 / found.total >= MIN_SET_TOP3, "\n".join(found.misses)
    assert found.empty <= MAX_SET_EMPTY


def test_names_typed_as_code_find_their_topic_first(figures):
    found = figures["flask names as code"]
    assert found.top1 / found.total >= MIN_SHARE_AS_CODE, "\n".join(found.misses)


def test_full_dotted_names_find_their_topic_first(figures):
    found = figures["flask names full name"]
    assert found.top1 / found.total >= MIN_SHARE_FULL_NAME, "\n".join(found.misses)


def test_no_flask_name_returns_zero_results(figures):
    assert figures["flask names as code"].empty == 0
    assert figures["flask names full name"].empty == 0


def test_compare_engines(browser, base_url):
    """Both engines on the same queries; writes data/search-results.json (`nox -s
    search_quality`, which builds the Pagefind index first). Prints, asserts nothing."""
    from .conftest import SITE_DIR

    if not (SITE_DIR / sq.LUNR_INDEX).is_file():
        pytest.skip("the theme's index is kept only by `nox -s search_quality`")
    context = browser.new_context(base_url=base_url)
    table = {}
    try:
        page = context.new_page()
        page.goto("/")
        for engine in sq.ENGINES:
            found = sq.figures(sq.run_batch(page, engine, sq.all_texts()))
            print()
            for label, score in found.items():
                print(score.line(f"{engine} {label}"))
            table[engine] = {label: score.as_dict() for label, score in found.items()}
    finally:
        context.close()
    sq.RESULTS_FILE.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")


def test_the_search_box_ranks_like_the_batch(page, results):
    """Typed into the real search box, a few queries show the batch's first result first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto("/")
    box = page.locator("input.md-search__input")
    for query in ["errorhandler", "before_app_request", "read the JSON body"]:
        expected = results[query][0]
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
    box.fill("get_json")
    box.press("End")  # one key event: the theme searches for the whole query
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    visible = first.locator(".md-tag:visible").all_inner_texts()
    assert visible and all("get_json" in tag for tag in visible), visible


def _built_index() -> dict:
    """The theme's lunr index as hooks/search_keywords.py finished it (KEEP_LUNR_INDEX=1)."""
    from .conftest import SITE_DIR

    kept = SITE_DIR / sq.LUNR_INDEX
    if not kept.is_file():
        pytest.skip("the theme's index is kept only by `nox -s search_quality`")
    return json.loads(kept.read_text())


def test_the_search_box_talks_to_the_pagefind_worker(page):
    """overrides/main.html swapped the theme's worker for ours, the theme's index is empty,
    and opening a page downloads no search data until the reader types."""
    from .conftest import SITE_DIR

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/routing/path-parameters/", wait_until="networkidle")
    config = json.loads(page.locator("#__config").text_content())
    assert config["search"].split("?")[0].endswith("/" + sq.PAGEFIND_WORKER)
    shipped = json.loads((SITE_DIR / "search" / "search_index.json").read_text())
    assert shipped["docs"] == []
    assert not [url for url in requested if "/pagefind/" in url]
    page.keyboard.press("/")
    page.keyboard.type("get_json")
    page.locator(".md-search-result__item").first.wait_for()
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert [url for url in requested if "/pagefind/" in url]


def test_the_keyboard_opens_a_result(page):
    """`s` focuses the box, typing searches, ArrowDown moves to the first result, Enter opens it."""
    page.goto("/")
    page.keyboard.press("s")
    # The whole query in one key event (End): typed key by key, a prefix's late answer could
    # redraw the list between ArrowDown and Enter (1 run in 5 failed so, on 2 busy cores).
    page.keyboard.insert_text("errorhandler")
    page.keyboard.press("End")
    page.wait_for_function(
        "document.querySelector('.md-search-result__item > a')"
        "?.href.includes('/errors/error-handlers/')"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/errors/error-handlers/**")


def test_keywords_are_in_the_built_index():
    """The hook ran: declared names are tags of their page in search_index.json."""
    tags = {doc["location"]: doc.get("tags", []) for doc in _built_index()["docs"]}
    assert "get_json" in tags[sq.location("requests/json-body.md")]
    assert "errorhandler" in tags[sq.location("errors/error-handlers.md")]


def test_descriptions_are_in_the_built_index():
    """The hook ran: a page's `description` front matter is its entry's `description` field."""
    index = _built_index()
    assert "description" in index["config"]["fields"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert "request.state" in docs[sq.location("structure/request-globals.md")]["description"]
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
