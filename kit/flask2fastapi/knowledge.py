"""What the guide knows, as shipped with the kit in `knowledge.json`.

The file is generated from the guide's pages (their `flask_api` front matter) and its
extensions map, so an installed kit links to the published pages without the repository
at hand. `Knowledge.load()` reads the copy inside the package.

Every link a report prints starts with one address, `docs_url()`: the published site
(derived from mkdocs.yml's `repo_url` when the file is generated), unless the environment
variable `FLASK2FASTAPI_DOCS_URL` or a command's `--docs-url` names another (a mirror, a
fork's site, a local `mkdocs serve`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

#: The environment variable that overrides the docs address (see `docs_url`).
DOCS_URL_ENV = "FLASK2FASTAPI_DOCS_URL"


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("knowledge.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def docs_url(override: str | None = None) -> str:
    """The address every guide link starts with, ending in `/`.

    In order: `override` (a command's `--docs-url`), the environment variable
    `FLASK2FASTAPI_DOCS_URL`, else the published address shipped in `knowledge.json`
    (generated from mkdocs.yml's `repo_url` by `guidekit/kitdata.py`). Empty values count as
    unset. Any prefix is accepted: `https://mirror.example/guide/`, `http://127.0.0.1:8000/`.
    """
    url = (override or os.environ.get(DOCS_URL_ENV, "")).strip() or _shipped()["site_url"]
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Link:
    """A guide page: `title` and absolute `url` (with `#anchor` for one section)."""

    title: str
    url: str


class Knowledge:
    """Lookups over the generated knowledge: pages, Flask names, extensions."""

    def __init__(self, data: dict[str, Any], site_url: str | None = None) -> None:
        self.data = data
        #: The prefix of every link: `site_url` if given, else the data's own.
        self.site_url: str = site_url or data["site_url"]
        self.flask_config: frozenset[str] = frozenset(data["flask_config"])
        self._by_module = {e["module"]: (pypi, e) for pypi, e in data["extensions"].items()}

    @classmethod
    def load(cls, docs: str | None = None) -> Knowledge:
        """The shipped knowledge, its links under `docs_url(docs)`."""
        return cls(_shipped(), docs_url(docs))

    def page(self, page: str, anchor: str | None = None) -> Link:
        """The link to a page given by its path under `docs/`; `KeyError` if the guide has
        no such page."""
        info = self.data["pages"][page]
        url = self.site_url + info["url"] + (f"#{anchor}" if anchor else "")
        return Link(info["title"], url)

    def links_for(self, name: str) -> list[Link]:
        """The pages covering a dotted Flask name (`flask.redirect`), empty if none do."""
        return [self.page(e["page"], e["anchor"]) for e in self.data["names"].get(name, [])]

    def extension(self, module: str) -> dict[str, Any] | None:
        """The extensions-map row for an import name (`flask_login`), or None.

        The row has `pypi`, `name`, `replacement` and `link` (None when no page covers it).
        """
        found = self._by_module.get(module)
        if found is None:
            return None
        pypi, row = found
        link = self.page(row["page"]) if row["page"] else None
        return {"pypi": pypi, "name": row["name"], "replacement": row["replacement"], "link": link}

    def is_extension_module(self, module: str) -> bool:
        return module in self._by_module
