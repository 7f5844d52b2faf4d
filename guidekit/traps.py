"""Field reports: what people porting Flask apps reported, each pinned by a test.

`data/field-reports.toml` holds one `[[report]]` per public report (its schema is at the
top of that file). `python -m guidekit` turns it into:

- `includes/known-traps.md`, included by `docs/migrating/known-traps.md`: every report, by
  section of the nav, one line each (the problem, its page, its source);
- `includes/traps/<topic>.md` for each topic with at least one answered report, included
  by that topic's page just before its "Next" heading, so that a search for the reporter's
  own words (`title`) lands on the page that answers them. The generator also adds (or
  removes) that include line, so a report on a new topic needs no hand edit. Pages of
  topics without an answered report are left alone: they show nothing.

`python -m guidekit.traps` prints the test of every answered report, one pytest node id a
line (`nox -s traps` runs exactly those).
"""

from __future__ import annotations

import ast
import datetime
import posixpath
import re
import sys
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from guidekit import fragments
from guidekit.pages import mkdocs_config, nav_pages, page_for_topic
from guidekit.topics import DOCS, ROOT

REPORTS_FILE = ROOT / "data" / "field-reports.toml"
KNOWN_TRAPS_FILE = ROOT / "includes" / "known-traps.md"
KNOWN_TRAPS_PAGE = DOCS / "migrating" / "known-traps.md"
TRAPS_DIR = ROOT / "includes" / "traps"

WAS = ("answered", "partial", "missing")
VERDICTS = ("answered", "out-of-scope")
#: `tests/test_<topic_underscored>.py::test_name`: a module of tests/ and a function in it.
TEST_ID = re.compile(r"(?P<module>tests/test_[a-z0-9_]+\.py)::(?P<function>test_\w+)")
_GENERATED = "<!-- Generated from data/field-reports.toml by `nox -s generate`. Do not edit. -->"


@dataclass(frozen=True)
class Report:
    """One `[[report]]` of the corpus; `date` is `YYYY-MM-DD`, optional fields are None."""

    source: str
    date: str
    problem: str
    topic: str
    was: str
    verdict: str
    test: str | None = None
    why: str | None = None
    title: str | None = None
    query: str | None = None  # search side only (tests/site/search_queries.py)


REQUIRED = tuple(f.name for f in fields(Report) if f.default is not None)
KNOWN = tuple(f.name for f in fields(Report))


def _report(index: int, table: dict[str, Any]) -> Report:
    where = f"report #{index + 1} ({table.get('source', 'no source')})"
    missing = [key for key in REQUIRED if key not in table]
    unknown = sorted(set(table) - set(KNOWN))
    if missing or unknown:
        raise ValueError(f"{where}: missing {missing}, unknown {unknown}")
    values = dict(table)
    if isinstance(values["date"], datetime.date):  # a bare TOML date
        values["date"] = values["date"].isoformat()
    bad = [key for key, value in values.items() if not isinstance(value, str) or not value.strip()]
    if bad:
        raise ValueError(f"{where}: {bad} must be non-empty strings")
    return Report(**values)


def load(path: Path = REPORTS_FILE) -> list[Report]:
    """Every report of the corpus, in file order.

    Raises `tomllib.TOMLDecodeError` if the file does not parse, ValueError if a report lacks
    a required field, has a field the schema does not know, or holds a non-string value.
    """
    with path.open("rb") as file:
        data = tomllib.load(file)
    unexpected = sorted(set(data) - {"report"})
    if unexpected:
        raise ValueError(f"{path.name}: only [[report]] tables are expected, found {unexpected}")
    return [_report(i, table) for i, table in enumerate(data.get("report", []))]


def answered(reports: list[Report]) -> list[Report]:
    return [r for r in reports if r.verdict == "answered"]


@cache
def defined_tests(module: str) -> frozenset[str]:
    """Names of the module-level `test_*` functions of `tests/test_x.py` (parsed, not imported).

    Parametrized or not, a function is one name; pytest selects all its cases by
    `module::name`. Empty if the module does not exist.
    """
    path = ROOT / module
    if not path.is_file():
        return frozenset()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


def names_a_test(test: str) -> bool:
    """Whether `tests/test_x.py::test_name` names a test function that the module defines."""
    found = TEST_ID.fullmatch(test)
    return bool(found) and found["function"] in defined_tests(found["module"])


def pinning_tests(reports: list[Report] | None = None) -> list[str]:
    """The distinct tests of the answered reports, sorted: what `nox -s traps` runs."""
    return sorted({r.test for r in answered(reports if reports is not None else load()) if r.test})


# --- where reports appear -------------------------------------------------------------------


def sections() -> dict[str, str]:
    """Page path (relative to docs/) → title of its top-level nav section, in nav order."""
    out: dict[str, str] = {}
    for entry in mkdocs_config().get("nav", []):
        if isinstance(entry, dict):
            for title, children in entry.items():
                if isinstance(children, list):
                    for page in nav_pages_of(children):
                        out.setdefault(page, title)
    return out


def nav_pages_of(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node] if node.endswith(".md") else []
    if isinstance(node, list):
        return [page for child in node for page in nav_pages_of(child)]
    if isinstance(node, dict):
        return [page for child in node.values() for page in nav_pages_of(child)]
    return []


def topic_page(topic: str) -> str | None:
    """The nav page (relative to docs/) of a topic, or None if it has none."""
    page = page_for_topic(topic)
    if page is None:
        return None
    path = page.relative_to(DOCS).as_posix()
    return path if path in nav_pages() else None


def source_label(url: str) -> str:
    """A short, searchable name for a source: `fastapi/fastapi#123`, else the host."""
    parts = urlsplit(url)
    found = re.fullmatch(r"/([^/]+)/([^/]+)/(?:issues|pull|discussions)/(\d+)", parts.path)
    if parts.hostname == "github.com" and found:
        owner, repo, number = found.groups()
        return f"{owner}/{repo}#{number}"
    return (parts.hostname or url).removeprefix("www.")


def _text(text: str) -> str:
    """One line of Markdown: no line breaks, no table or emphasis surprises."""
    return " ".join(text.split()).replace("|", "\\|")


def _source(report: Report) -> str:
    return f"[{source_label(report.source)}]({report.source})"


def traps_fragment(topic: str) -> Path:
    return TRAPS_DIR / f"{topic}.md"


def include_line(topic: str) -> str:
    return f'--8<-- "{traps_fragment(topic).relative_to(ROOT).as_posix()}"'


def render_topic(topic: str, reports: list[Report]) -> str:
    """The trap list of one topic page: its answered reports, oldest first."""
    page = topic_page(topic) or ""
    known = posixpath.relpath("migrating/known-traps.md", posixpath.dirname(page))
    lines = [
        _GENERATED,
        "",
        "## Reported traps",
        "",
        "What people porting apps reported about this topic; the page above answers each, and a "
        f"test pins the answer ([every known trap]({known})).",
        "",
    ]
    for r in sorted(reports, key=lambda r: (r.date, r.source)):
        title = f"“{_text(r.title)}”: " if r.title else ""
        lines.append(f"- {title}{_text(r.problem)} ({_source(r)})")
    return "\n".join(lines) + "\n"


def render_known_traps(reports: list[Report]) -> str:
    """The body of the Known traps page: answered reports by nav section, then out-of-scope."""
    order = {page: i for i, page in enumerate(sections())}
    section_of = sections()
    pages = {r.topic: topic_page(r.topic) for r in reports}

    def key(r: Report) -> tuple[int, str, str]:
        return (order.get(pages[r.topic] or "", len(order)), r.date, r.source)

    lines = [_GENERATED, ""]
    total, kept = len(reports), answered(reports)
    plural = "" if total == 1 else "s"
    lines.append(
        f"{total} report{plural}: {len(kept)} answered by a page and pinned by a test, "
        f"{total - len(kept)} out of scope."
    )
    current = None
    for r in sorted(kept, key=key):
        section = section_of.get(pages[r.topic] or "", "Other")
        if section != current:
            lines += ["", f"## {section}", ""]
            current = section
        lines.append(f"- {_text(r.problem)} — {_page_link(pages[r.topic], r.topic)} ({_source(r)})")
    outside = sorted((r for r in reports if r.verdict != "answered"), key=key)
    if outside:
        lines += ["", "## Out of scope", ""]
        lines += [
            f"- {_text(r.problem)} — {_page_link(pages[r.topic], r.topic)}. "
            f"Out of scope: {_text(r.why or '')} ({_source(r)})"
            for r in outside
        ]
    return "\n".join(lines) + "\n"


def _page_link(page: str | None, topic: str) -> str:
    """A link from the Known traps page (in migrating/) to a topic page, by its title."""
    return f"[{_page_title(page)}]({posixpath.relpath(page, 'migrating')})" if page else topic


def _page_title(page: str) -> str:
    from guidekit.pages import front_matter

    return str(front_matter(DOCS / page).get("title", page))


def _with_include(text: str, topic: str, wanted: bool) -> str:
    """A page's text with its trap-list include line added before "## Next", or removed."""
    line = include_line(topic)
    present = line in text.splitlines()
    if wanted == present:
        return text
    if not wanted:
        return re.sub(rf"\n*^{re.escape(line)}\n", "\n", text, flags=re.M)
    found = re.search(r"^## Next\b", text, flags=re.M)
    if found is None:
        return text.rstrip("\n") + f"\n\n{line}\n"
    return text[: found.start()] + f"{line}\n\n" + text[found.start() :]


def generate(check: bool = False) -> list[Path]:
    """Write the Known traps body, each topic's trap list and the include lines on pages.

    Returns the paths that differed (with `check`, only compares). Trap lists of topics that
    no longer have an answered report are deleted, and their pages lose the include line.
    """
    reports = load()
    by_topic: dict[str, list[Report]] = {}
    for r in answered(reports):
        if topic_page(r.topic):
            by_topic.setdefault(r.topic, []).append(r)
    stale = fragments.sync(KNOWN_TRAPS_FILE, render_known_traps(reports), check)
    for topic, kept in sorted(by_topic.items()):
        stale += fragments.sync(traps_fragment(topic), render_topic(topic, kept), check)
    for orphan in sorted(TRAPS_DIR.glob("*.md")) if TRAPS_DIR.is_dir() else []:
        if orphan.stem not in by_topic:
            stale.append(orphan)
            if not check:
                orphan.unlink()
    for page in sorted(DOCS.rglob("*.md")):
        topic = page.stem
        text = page.read_text(encoding="utf-8")
        new = _with_include(text, topic, topic in by_topic)
        if new != text:
            stale += fragments.sync(page, new, check)
    return stale


def main() -> int:
    for test in pinning_tests():
        print(test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
