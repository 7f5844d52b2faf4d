"""`python -m guidekit.scaffold TOPIC --section SECTION`: start a new topic in one command.

It writes the five files of a topic (page, both apps, example requests, test module),
adds the page to the nav of `mkdocs.yml` and regenerates the fragments the new page
changes, so the only thing left red is the point: the generated test module fails until
the contributor writes the real cases. `nox -s new -- TOPIC --section SECTION` runs it.

The nav entry is inserted as text, after the last entry of the section's folder: a YAML
dumper would drop the file's comments and its `!!python` tags.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from guidekit import cheatsheet, exchanges, pages
from guidekit.topics import DOCS, ROOT, SNIPPETS, topic_test_module

MKDOCS_YML = ROOT / "mkdocs.yml"
#: The same rule as the meta-tests' (tests/test_meta.py).
KEBAB_CASE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

PAGE = Template("""\
---
title: $title
description: "TODO: one sentence on what changes from Flask to FastAPI for $title_lower."
cheatsheet:
  - flask: "`TODO: the Flask API`"
    fastapi: "`TODO: its FastAPI equivalent`"
---

# $title

TODO: what the Flask code does, in two or three sentences.

## Flask

TODO: how Flask does it.

## FastAPI

TODO: how FastAPI does it, and why it differs.

=== "Flask"

    ```python
    --8<-- "snippets/$topic/flask_app.py"
    ```

=== "FastAPI"

    ```python
    --8<-- "snippets/$topic/fastapi_app.py"
    ```

## What each app answers

--8<-- "snippets/$topic/exchanges.md:index"

## What behaves differently

| | Flask | FastAPI |
|---|---|---|
| TODO | … | … |

The tests in `tests/$test_file` pin every row.

## Pitfalls

- TODO
""")

APP = Template('''\
"""$title in $label. Run it with: $run"""

from $package import $cls

app = $cls($args)


# TODO: replace with the code this topic is about.
@app.$decorator("/")
def index():
    return {"topic": "$topic", "framework": "$label"}
''')

EXCHANGES = Template("""\
# Requests whose real responses the page shows. Regenerate with: nox -s generate
[[exchange]]
id = "index"
path = "/"
""")

TESTS = Template('''\
"""$topic: TODO say what the page claims.

Every test that takes `client` runs twice, as test_x[flask] and test_x[fastapi].
"""

import pytest


def test_cases_are_written(client):
    assert client.get("/").status_code == 200
    pytest.fail(
        "write the cases for $topic: "
        "the happy path, bad input, and one test per row of the page's difference table "
        "(then delete this test)",
        pytrace=False,
    )
''')

_APPS = {
    "flask": {
        "label": "Flask",
        "package": "flask",
        "cls": "Flask",
        "args": "__name__",
        "decorator": "route",
        "run": "flask --app flask_app run",
    },
    "fastapi": {
        "label": "FastAPI",
        "package": "fastapi",
        "cls": "FastAPI",
        "args": "",
        "decorator": "get",
        "run": "fastapi dev fastapi_app.py",
    },
}


class ScaffoldError(Exception):
    """A topic that cannot be created; the message says why."""


def sections() -> list[str]:
    """Section folders, as the nav groups pages: `start`, `routing`, …"""
    folders = (page.partition("/")[0] for page in pages.nav_pages() if "/" in page)
    return list(dict.fromkeys(folders))


def planned_files(topic: str, section: str) -> list[Path]:
    folder = SNIPPETS / topic
    return [
        DOCS / section / f"{topic}.md",
        folder / "flask_app.py",
        folder / "fastapi_app.py",
        folder / "exchanges.toml",
        topic_test_module(topic),
    ]


def check(topic: str, section: str) -> None:
    """Refuse a name that is not kebab-case or already taken, and an unknown section."""
    if not KEBAB_CASE.fullmatch(topic):
        raise ScaffoldError(
            f"{topic!r} is not a kebab-case topic name (lowercase words joined by '-', "
            "e.g. 'path-parameters')"
        )
    known = sections()
    if section not in known:
        raise ScaffoldError(f"unknown section {section!r}; choose one of: {', '.join(known)}")
    taken = [p for p in planned_files(topic, section) if p.exists()]
    if (SNIPPETS / topic).exists() or pages.page_for_topic(topic) or taken:
        raise ScaffoldError(f"topic {topic!r} already exists; pick another name")


def add_to_nav(text: str, page: str) -> str:
    """Insert `- page` after the last nav entry in the same folder, with its indentation."""
    folder = page.partition("/")[0]
    entry = re.compile(rf"^(?P<indent>\s*)- (?:[^\n:]+:\s*)?{re.escape(folder)}/\S+\.md\s*$")
    lines = text.splitlines(keepends=True)
    last = max((i for i, line in enumerate(lines) if entry.match(line)), default=None)
    if last is None:
        raise ScaffoldError(f"mkdocs.yml has no nav entry under {folder}/ to add {page} after")
    indent = entry.match(lines[last])["indent"]
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{indent}- {page}\n")
    return "".join(lines)


def create(topic: str, section: str) -> list[Path]:
    """Write the topic's files, add its page to the nav, regenerate fragments; returns the files."""
    check(topic, section)
    title = topic.replace("-", " ").capitalize()
    fields = {
        "topic": topic,
        "title": title,
        "title_lower": title.lower(),
        "test_file": topic_test_module(topic).name,
    }
    page, flask_app, fastapi_app, toml, tests = planned_files(topic, section)
    contents = {
        page: PAGE.substitute(fields),
        flask_app: APP.substitute(fields, **_APPS["flask"]),
        fastapi_app: APP.substitute(fields, **_APPS["fastapi"]),
        toml: EXCHANGES.substitute(fields),
        tests: TESTS.substitute(fields),
    }
    for path, text in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    MKDOCS_YML.write_text(add_to_nav(MKDOCS_YML.read_text(), f"{section}/{topic}.md"))
    pages.mkdocs_config.cache_clear()  # the nav changed: the cheat sheet reads it
    generated = exchanges.generate(only=[topic]) + cheatsheet.generate()
    return [*contents, MKDOCS_YML, *generated]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nox -s new --", description="Create a topic: page, two apps, requests, tests."
    )
    parser.add_argument("topic", help="kebab-case name, e.g. url-building")
    parser.add_argument("--section", required=True, help="section folder under docs/")
    args = parser.parse_args(argv)
    try:
        written = create(args.topic, args.section)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote: {path.relative_to(ROOT)}")
    test = topic_test_module(args.topic).stem.removeprefix("test_")
    print(
        "\nNext: fill in the page and the two apps, list example requests in exchanges.toml,"
        f"\nlink the page from docs/migrating/migration-checklist.md, replace the failing test,"
        f"\nthen: nox -s generate && nox -s tests -- -k {test}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
