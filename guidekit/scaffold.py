"""`python -m guidekit.scaffold TOPIC --section SECTION`: start a new topic in one command.

It writes the five files of a topic (page, both apps, example requests, test module),
adds the page to the nav of `mkdocs.yml` and regenerates the fragments the new page
changes, so the only thing left red is the point: the generated test module fails until
the contributor writes the real cases, and every place they must write says `TODO`
(`PLACEHOLDER`), which a meta-test refuses. `nox -s new -- TOPIC --section SECTION` runs it.

The nav entry goes in after the last entry of the section's folder, through ruamel.yaml's
round trip, which keeps the file's comments, quotes and `!!python` tags as they are.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from string import Template
from typing import Any

from ruamel.yaml import YAML

from guidekit import cheatsheet, exchanges, pages
from guidekit.topics import (
    DOCS,
    LABELS,
    ROOT,
    SNIPPETS,
    is_topic_name,
    topic_module_name,
    topic_test_module,
)

MKDOCS_YML = ROOT / "mkdocs.yml"
#: What the scaffold writes wherever the contributor has to write; tests/tooling/test_meta.py
#: fails while one is left in a topic's files.
PLACEHOLDER = "TODO"

# Every section a topic page has, in order (CONTRIBUTING.md, "A topic is the unit").
PAGE = Template("""\
---
title: $title
description: "TODO: one sentence on what changes from Flask to FastAPI for $title_lower."
cheatsheet:
  - flask: "`TODO: the Flask API`"
    fastapi: "`TODO: its FastAPI equivalent`"
flask_api:
  - "TODO: flask.the_name_this_page_explains"
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

TODO: what the request below shows.

--8<-- "snippets/$topic/exchanges.md:index"

## What behaves differently

| | Flask | FastAPI |
|---|---|---|
| TODO | … | … |

The tests in `tests/$test_file` pin every row.

## Pitfalls

- TODO

Read more: TODO link Flask's and FastAPI's own documentation of this.

## Next

TODO: [the next topic](../start/hello-world.md): why a reader goes there from here.
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
# TODO: the requests the page's claims need (bad input too); the format is in guidekit/exchanges.py.
[[exchange]]
id = "index"
path = "/"
""")

TESTS = Template('''\
"""$topic: TODO say what the page claims.

Every test that takes `client` runs twice, as test_x[flask] and test_x[fastapi].
Default error answers come from tests/expect.py; a check for one framework only
carries @pytest.mark.only("fastapi", reason="...") (CONTRIBUTING.md, "Test conventions").
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
        "label": LABELS["flask"],
        "package": "flask",
        "cls": "Flask",
        "args": "__name__",
        "decorator": "route",
        "run": "flask --app flask_app run",
    },
    "fastapi": {
        "label": LABELS["fastapi"],
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
    if not is_topic_name(topic):
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


def _yaml() -> YAML:
    """A round-trip YAML with mkdocs.yml's layout: indented lists, long lines kept whole."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_to_nav(text: str, page: str) -> str:
    """`text` (mkdocs.yml) with `page` after the last nav entry of the page's folder."""
    yaml = _yaml()
    config = yaml.load(text)
    folder = page.partition("/")[0] + "/"
    last: tuple[list[Any], int] | None = None

    def walk(entries: list[Any]) -> None:
        nonlocal last
        for i, entry in enumerate(entries):
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.startswith(folder):
                last = (entries, i)

    walk(config["nav"])
    if last is None:
        raise ScaffoldError(f"mkdocs.yml has no nav entry under {folder} to add {page} after")
    entries, i = last
    entries.insert(i + 1, page)
    out = io.StringIO()
    yaml.dump(config, out)
    return out.getvalue()


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
    print(
        f"\nNext: replace every {PLACEHOLDER} in the page and the two apps, list example requests"
        "\nin exchanges.toml, link the page from docs/migrating/migration-checklist.md, replace"
        f"\nthe failing test in tests/{topic_module_name(args.topic)}.py, then, while you work:"
        f"\n  nox -s generate && nox -s topic -- {args.topic}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
