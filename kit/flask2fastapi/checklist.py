"""The checklist: a scan report ordered into the steps of the port."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask2fastapi.knowledge import Knowledge, Link

if TYPE_CHECKING:
    from flask2fastapi.scan import ApiUse, Report


@dataclass
class Step:
    """One checklist item: its `section` (extensions, structure, or a blueprint), the text
    (Markdown) and the pages to read."""

    section: str
    text: str
    pages: list[Link]


def checklist(report: Report, knowledge: Knowledge | None = None) -> list[Step]:
    """The port in order: extensions, then the app's structure, then routes by blueprint."""
    knowledge = knowledge or Knowledge.load()
    steps: list[Step] = []
    for ext in report.extensions:
        where = ", ".join(ext.where)
        if ext.page:
            text = f"Replace {ext.name} (`{ext.module}`, in {where}) with {ext.replacement}"
            steps.append(Step("extensions", text, [ext.page]))
        else:
            extra = f" with {ext.replacement}" if ext.replacement else ""
            text = (
                f"Replace {ext.name} (`{ext.module}`, in {where}){extra}: no guide page covers it"
            )
            steps.append(Step("extensions", text, []))
    by_page: dict[str, list[ApiUse]] = {}
    for api in report.apis:
        for link in api.pages:
            by_page.setdefault(link.url.partition("#")[0], []).append(api)
    order = [knowledge.page(p).url for p in knowledge.data["pages"]]
    for url in sorted(by_page, key=lambda u: order.index(u) if u in order else len(order)):
        apis = by_page[url]
        links = [link for link in apis[0].pages if link.url.partition("#")[0] == url]
        names = ", ".join(f"`{a.name}`" for a in apis)
        steps.append(Step("structure", f"Port the uses of {names}", links[:1]))
    if report.config_keys:
        keys = ", ".join(f"`{k}`" for k in report.config_keys)
        pages = [knowledge.page("structure/configuration.md")]
        steps.append(Step("structure", f"Move Flask settings {keys} to their FastAPI homes", pages))
    uncovered = [a for a in report.apis if not a.pages]
    if uncovered:
        names = ", ".join(f"`{a.name}`" for a in uncovered)
        steps.append(Step("structure", f"Port {names}: not covered by the guide", []))
    routes = sorted(
        report.routes, key=lambda r: (r.blueprint is not None, r.blueprint or "", r.rule)
    )
    prefixes = {bp.name: bp.url_prefix for bp in report.blueprints}
    announced: set[str] = set()
    for route in routes:
        section = f"blueprint {route.blueprint}" if route.blueprint else "app routes"
        if route.blueprint and route.blueprint not in announced:
            announced.add(route.blueprint)
            prefix = prefixes.get(route.blueprint, route.url_prefix)
            text = (
                f"Turn blueprint `{route.blueprint}` into `APIRouter("
                + (f'prefix="{prefix}"' if prefix else "")
                + ")` and include it in the app"
            )
            steps.append(Step(section, text, [knowledge.page("start/project-layout.md")]))
        text = f"`{' '.join(route.methods)} {route.rule}` → `{route.fastapi_decorator}`"
        steps.append(Step(section, text, _unique_links([c.page for c in route.changes])))
    return steps


def _unique_links(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())
