"""Render a scan `Report` as Markdown, a short terminal summary, or JSON."""

from __future__ import annotations

import json
from itertools import groupby

from flask2fastapi.knowledge import Knowledge, Link
from flask2fastapi.scan import Report, checklist


def _link(link: Link) -> str:
    return f"[{link.title}]({link.url})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_text(report: Report) -> str:
    """The coverage line (always printed): routes per discovery method, and each
    registration seen but not resolved, with a hint when the inventory is incomplete."""
    cov = report.coverage
    methods = ", ".join(f"{n} {how}" for how, n in cov.by_method.items()) or "none"
    lines = [
        f"coverage: {len(report.routes)} routes ({methods}); "
        f"{len(cov.unresolved)} registrations not resolved; "
        f"{len(report.problems)} files not parsed"
    ]
    lines += [f"  not resolved: {u.file}:{u.line} {u.call}: {u.reason}" for u in cov.unresolved]
    if not cov.complete:
        hint = " (import mode reads the real url_map: `module:app` or `module:create_app`)"
        lines.append("  the inventory is incomplete" + (hint if report.mode == "source" else ""))
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_markdown(report: Report, heading_level: int = 1, knowledge: Knowledge | None = None) -> str:
    """The migration plan: summary, checklist, routes, then the Flask API in use.

    `heading_level` is the level of the title (2 to embed the plan under a page's heading).
    """
    h = "#" * heading_level
    out = [f"{h} Migration plan for `{report.target}`", ""]
    source = "its `url_map` (imported)" if report.mode == "import" else "its source (not imported)"
    out += [
        f"{len(report.routes)} routes read from {source}, {len(report.blueprints)} blueprints, "
        f"{len(report.extensions)} extensions, {len(report.apis)} Flask and Werkzeug names "
        f"({sum(1 for a in report.apis if not a.pages)} not covered by the guide), "
        f"{report.files_scanned} files scanned.",
        "",
    ]
    out += ["```text", coverage_text(report).rstrip("\n"), "```", ""]
    if report.problems:
        out += [f'!!! warning "{len(report.problems)} files could not be read"', ""]
        out += [f"    - `{p.file}`: {p.message}" for p in report.problems]
        out += ["", "    The rest of the folder was scanned; these files are not in the plan.", ""]
    out += [f"{h}# Checklist", ""]
    for section, steps in groupby(checklist(report, knowledge), key=lambda s: s.section):
        out += [f"**{section.capitalize()}**", ""]
        for step in steps:
            pages = "; ".join(_link(p) for p in step.pages)
            out.append(f"- [ ] {step.text}" + (f" — {pages}" if pages else ""))
        out.append("")
    out += [f"{h}# Routes", ""]
    out += [
        "| Flask | Endpoint | FastAPI | Parameters | What changes for clients |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(
        report.routes, key=lambda r: (r.blueprint is not None, r.blueprint or "", r.rule)
    ):
        params = "<br>".join(
            _cell(f"`{p.name}`: `<{p.converter}>` → `{p.fastapi_type}`") for p in r.parameters
        )
        changes = "<br>".join(f"{_cell(c.text)} ([{c.rule}]({c.page.url}))" for c in r.changes)
        out.append(
            f"| `{' '.join(r.methods)} {_cell(r.rule)}` | `{_cell(r.endpoint)}` | "
            f"`{_cell(r.fastapi_decorator)}` | {params or '—'} | {changes} |"
        )
    out += ["", f"{h}# Flask and Werkzeug API in use", ""]
    out += ["| Name | Where | Guide |", "|---|---|---|"]
    for api in report.apis:
        where = _where(api.where)
        guide = "<br>".join(_link(p) for p in api.pages) or "not covered by the guide"
        out.append(f"| `{api.name}` | {where} | {guide} |")
    if report.hooks or report.findings:
        out += ["", f"{h}# Hooks, handlers and extension API", ""]
        out += ["| What | On | Where | Guide |", "|---|---|---|---|"]
        for hook in report.hooks:
            out.append(
                f"| `{hook.name}` | {hook.owner} | {_where(hook.where)} | {_link(hook.page)} |"
            )
        for found in report.findings:
            out.append(f"| {_cell(found.text)} | — | {_where(found.where)} | {_link(found.page)} |")
    if report.extensions:
        out += [
            "",
            f"{h}# Extensions",
            "",
            "| Extension | Names used | Where | Guide |",
            "|---|---|---|---|",
        ]
        for ext in report.extensions:
            names = ", ".join(f"`{n}`" for n in ext.names) or "—"
            guide = _link(ext.page) if ext.page else "not covered by the guide"
            out.append(f"| {ext.name} (`{ext.module}`) | {names} | {_where(ext.where)} | {guide} |")
    if report.config_keys or report.app_settings:
        out += ["", f"{h}# Settings", ""]
        if report.config_keys:
            out.append("Flask's own: " + ", ".join(f"`{k}`" for k in report.config_keys) + ".")
        if report.app_settings:
            out.append("The app's own: " + ", ".join(f"`{k}`" for k in report.app_settings) + ".")
    return "\n".join(out) + "\n"


def _where(places: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{p}`" for p in places[:limit])
    return shown + (f" and {len(places) - limit} more" if len(places) > limit else "")


def to_text(report: Report) -> str:
    """A few lines for the terminal: counts, what needs attention, where the plan is."""
    uncovered = [a.name for a in report.apis if not a.pages]
    changes = sum(len(r.changes) for r in report.routes)
    lines = [
        f"{report.target}: {len(report.routes)} routes ({report.mode}), "
        f"{len(report.blueprints)} blueprints, {len(report.extensions)} extensions, "
        f"{len(report.apis)} Flask/Werkzeug names, {report.files_scanned} files",
        f"  {changes} client-visible changes across the routes",
    ]
    for ext in report.extensions:
        lines.append(f"  extension {ext.name}: " + (ext.page.url if ext.page else "not covered"))
    for hook in report.hooks:
        lines.append(f"  {hook.owner} {hook.name} ({len(hook.where)}x): {hook.page.url}")
    for found in report.findings:
        lines.append(f"  {found.text} ({len(found.where)}x): {found.page.url}")
    if uncovered:
        lines.append(f"  not covered by the guide: {', '.join(uncovered)}")
    for p in report.problems:
        lines.append(f"  could not read {p.file}: {p.message}")
    lines.append("  full plan: --format md (or json) --output FILE")
    return "\n".join(lines) + "\n"


RENDERERS = {"md": to_markdown, "text": to_text, "json": to_json}
