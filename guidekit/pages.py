"""Read pages the way the site build does: front matter, includes and rendering.

The Markdown extension settings come from `mkdocs.yml` itself, so the meta-tests check
pages with exactly the configuration that the build uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import yaml

from guidekit.topics import DOCS, ROOT

#: A `--8<--` include line: the path, and the section after `:` if any.
INCLUDE = re.compile(r'--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[^"]+))?"')
#: The YAML front matter block at the top of a page.
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


class _IgnoreTags(yaml.SafeLoader):
    """Loads mkdocs.yml without importing what its `!!python/...` tags name or reading `!ENV`."""


_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_IgnoreTags.add_constructor("!ENV", lambda loader, node: None)


@cache
def mkdocs_config() -> dict[str, Any]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)  # noqa: S506


def snippets_config() -> dict[str, Any]:
    """The pymdownx.snippets options of the build, with base paths made absolute."""
    for ext in mkdocs_config()["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            options = dict(ext["pymdownx.snippets"])
            options["base_path"] = [str(ROOT / p) for p in options["base_path"]]
            return options
    raise LookupError("pymdownx.snippets is not configured in mkdocs.yml")


def render(text: str, base_path: Path | None = None) -> str:
    """Render Markdown with the build's snippet settings; raises if an include is missing."""
    options = snippets_config()
    if base_path is not None:
        options["base_path"] = [str(base_path)]
    options["auto_append"] = []
    return markdown.markdown(
        text,
        extensions=["pymdownx.snippets", "pymdownx.superfences", "pymdownx.tabbed"],
        extension_configs={"pymdownx.snippets": options},
    )


def front_matter(page: Path) -> dict[str, Any]:
    """The YAML front matter of a page (empty if it has none)."""
    match = FRONT_MATTER.match(page.read_text())
    return yaml.safe_load(match.group(1)) if match else {}


def includes(page: Path) -> list[tuple[str, str | None]]:
    """`(path, section)` for every `--8<--` include on a page."""
    return [(m["path"], m["section"]) for m in INCLUDE.finditer(page.read_text())]


def nav_pages() -> list[str]:
    """Every page path named in the nav of mkdocs.yml, relative to docs/."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            for child in node.values():
                walk(child)

    walk(mkdocs_config().get("nav", []))
    return [p for p in found if p.endswith(".md")]


def page_for_topic(topic: str) -> Path | None:
    """The page named after a topic, in whichever section folder it lives."""
    matches = sorted(DOCS.rglob(f"{topic}.md"))
    return matches[0] if matches else None


@dataclass(frozen=True)
class TopicPage:
    """What the generators read from one page's front matter.

    `path` is relative to docs/; `cheatsheet` holds `(flask, fastapi)` rows; `flask_api` holds
    `(name, anchor or None)` for every Flask/Werkzeug name the page declares it explains.
    """

    path: str
    title: str
    cheatsheet: tuple[tuple[str, str], ...]
    flask_api: tuple[tuple[str, str | None], ...]


def flask_api_entries(meta: dict[str, Any]) -> tuple[tuple[str, str | None], ...]:
    """Normalise a page's `flask_api` list: a string, or `{name, anchor}`.

    Raises ValueError on any other shape, so a malformed entry fails loudly everywhere.
    """
    out = []
    for item in meta.get("flask_api") or []:
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, dict) and set(item) <= {"name", "anchor"} and "name" in item:
            out.append((str(item["name"]), item.get("anchor")))
        else:
            raise ValueError(f"flask_api entry must be a name or {{name, anchor}}: {item!r}")
    return tuple(out)


def topic_pages() -> list[TopicPage]:
    """Every page in the nav that exists, in nav order: the one loader of the cheat sheet,
    the Flask API index and the search keywords."""
    out = []
    for path in nav_pages():
        if not (DOCS / path).is_file():
            continue  # the strict build reports nav entries without a page
        meta = front_matter(DOCS / path)
        out.append(
            TopicPage(
                path=path,
                title=str(meta.get("title", path)),
                cheatsheet=tuple((r["flask"], r["fastapi"]) for r in meta.get("cheatsheet", [])),
                flask_api=flask_api_entries(meta),
            )
        )
    return out
