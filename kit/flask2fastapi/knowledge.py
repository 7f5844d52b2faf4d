"""What the guide knows, as shipped with the kit in `knowledge.json`.

The file is generated from the guide's pages (their `flask_api` front matter) and its
extensions map, so an installed kit links to the published pages without the repository
at hand. `Knowledge.load()` reads the copy inside the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Link:
    """A guide page: `title` and absolute `url` (with `#anchor` for one section)."""

    title: str
    url: str


class Knowledge:
    """Lookups over the generated knowledge: pages, Flask names, extensions."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.site_url: str = data["site_url"]
        self.flask_config: frozenset[str] = frozenset(data["flask_config"])
        self._by_module = {e["module"]: (pypi, e) for pypi, e in data["extensions"].items()}

    @classmethod
    @cache
    def load(cls) -> Knowledge:
        text = resources.files(__package__).joinpath("knowledge.json").read_text("utf-8")
        return cls(json.loads(text))

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
