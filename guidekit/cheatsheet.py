"""Build the cheat sheet from the pages themselves.

Each topic page lists its rows in front matter:

```yaml
cheatsheet:
  - flask: "`abort(404)`"
    fastapi: "`raise HTTPException(404)`"
```

`python -m guidekit` gathers them in nav order into `includes/cheat-sheet.md`, which
`docs/migrating/cheat-sheet.md` includes. A new topic appears in the table without anyone
editing it, and a row can only link to a page that exists.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from guidekit import fragments
from guidekit.pages import topic_pages
from guidekit.topics import ROOT

CHEAT_SHEET_FILE = ROOT / "includes" / "cheat-sheet.md"
#: Links in the fragment are relative to the page that includes it.
_INCLUDED_FROM = "migrating"


def rows() -> list[tuple[str, str, str, str]]:
    """`(flask, fastapi, title, page)` for every row, pages in nav order."""
    return [
        (flask, fastapi, page.title, page.path)
        for page in topic_pages()
        for flask, fastapi in page.cheatsheet
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    lines = [
        "<!-- Generated from the pages' front matter by `nox -s generate`. Do not edit. -->",
        "",
        "| Flask | FastAPI | Topic |",
        "|---|---|---|",
    ]
    for flask, fastapi, title, page in rows():
        link = posixpath.relpath(page, _INCLUDED_FROM)
        lines.append(f"| {_cell(flask)} | {_cell(fastapi)} | [{title}]({link}) |")
    return "\n".join(lines) + "\n"


def generate(check: bool = False) -> list[Path]:
    return fragments.sync(CHEAT_SHEET_FILE, render(), check)
