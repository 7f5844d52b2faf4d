"""The field-reports corpus (data/field-reports.toml) and the pages generated from it.

What these check: the file parses and each report has the schema's fields and values; no
source twice; each topic has a page in the nav; each answered report names a test function
that its topic's module defines (read with `ast`, parametrized or not), each out-of-scope
one says why; the trap lists and the Known traps page are current; a page includes its
topic's trap list exactly when the topic has an answered report. That the named tests also
*pass* is `nox -s traps`'s job: it runs exactly them.
"""

from collections import Counter

import pytest

from guidekit import traps
from guidekit.pages import includes, nav_pages
from guidekit.topics import DOCS, topic_module_name

REPORTS = traps.load()
#: Issue 19's "done when": at least this many reports, this share of them answered.
TARGET_REPORTS = 100
TARGET_ANSWERED = 0.9


def test_the_corpus_parses_into_reports():
    assert len(REPORTS) > 0


@pytest.mark.parametrize("field", ["was", "verdict"])
def test_every_report_has_a_known_value(field):
    allowed = {"was": traps.WAS, "verdict": traps.VERDICTS}[field]
    bad = [(r.source, getattr(r, field)) for r in REPORTS if getattr(r, field) not in allowed]
    assert bad == [], f"{field} must be one of {allowed}"


def test_every_date_is_an_iso_date():
    import datetime

    bad = []
    for r in REPORTS:
        try:
            datetime.date.fromisoformat(r.date)
        except ValueError:
            bad.append((r.source, r.date))
    assert bad == []


def test_no_source_twice():
    twice = [source for source, n in Counter(r.source for r in REPORTS).items() if n > 1]
    assert twice == []


def test_every_source_is_a_web_address():
    assert [r.source for r in REPORTS if not r.source.startswith(("https://", "http://"))] == []


def test_every_topic_has_a_page_in_the_nav():
    assert sorted({r.topic for r in REPORTS if traps.topic_page(r.topic) is None}) == []


def test_every_answered_report_names_a_test_in_its_topics_module():
    problems = []
    for r in REPORTS:
        if r.verdict != "answered":
            continue
        if not r.test or not traps.names_a_test(r.test):
            problems.append(f"{r.source}: no such test {r.test!r}")
        elif not r.test.startswith(f"tests/{topic_module_name(r.topic)}.py::"):
            problems.append(f"{r.source}: {r.test} is not in the module of topic {r.topic}")
    assert problems == []


def test_only_answered_reports_name_a_test_and_only_out_of_scope_ones_say_why():
    problems = [r.source for r in REPORTS if (r.verdict == "answered") != bool(r.test)]
    problems += [r.source for r in REPORTS if (r.verdict == "out-of-scope") != bool(r.why)]
    assert problems == []


def test_a_problem_is_one_sentence_in_our_words():
    """One line each on the pages: no line breaks, no quoted text."""
    bad = [r.source for r in REPORTS if "\n" in r.problem or '"' in r.problem]
    assert bad == []


def test_the_corpus_reaches_its_target():
    kept = traps.answered(REPORTS)
    assert len(REPORTS) >= TARGET_REPORTS
    assert len(kept) >= TARGET_ANSWERED * len(REPORTS)


def test_the_trap_lists_and_the_known_traps_page_are_current():
    assert traps.generate(check=True) == [], "run `nox -s generate`"


def test_a_page_includes_its_trap_list_exactly_when_its_topic_has_an_answered_report():
    """Pages of topics without an answered report show nothing: they do not include a list."""
    with_reports = {r.topic for r in traps.answered(REPORTS)}
    problems = []
    for page in nav_pages():
        path = DOCS / page
        if not path.is_file():
            continue
        listed = {p for p, _ in includes(path) if p.startswith("includes/traps/")}
        wanted = (
            {traps.include_line(path.stem).split('"')[1]} if path.stem in with_reports else set()
        )
        if listed != wanted:
            problems.append(f"{page}: includes {sorted(listed)}, expected {sorted(wanted)}")
    assert problems == [], "run `nox -s generate`"


def test_the_known_traps_page_is_in_the_nav_and_includes_its_body():
    page = traps.KNOWN_TRAPS_PAGE
    assert page.relative_to(DOCS).as_posix() in nav_pages()
    assert ("includes/known-traps.md", None) in includes(page)


def test_the_trap_list_of_a_topic_sits_before_its_next_heading():
    """Where the reader finishes the page, and where the generator puts it."""
    problems = []
    for topic in {r.topic for r in traps.answered(REPORTS)}:
        text = (DOCS / traps.topic_page(topic)).read_text()
        line, nxt = text.find(traps.include_line(topic)), text.find("\n## Next")
        if line < 0 or (nxt >= 0 and line > nxt):
            problems.append(topic)
    assert problems == []
