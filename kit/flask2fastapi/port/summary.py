"""The summary of a port run, as text, Markdown or JSON: each rule's conversion count,
every TODO by `file:line`, the files copied unchanged because they did not parse."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask2fastapi.port.driver import PortReport
from flask2fastapi.rules import RULES


def to_dict(report: PortReport) -> dict:
    conversions = report.conversions()
    return {
        "src": report.src,
        "output": report.output,
        "rules": list(report.rules),
        "conversions": {r: conversions.get(r, 0) for r in report.rules},
        "todos": [
            {"file": t.file, "line": t.line, "rule": t.rule, "text": t.text} for t in report.todos
        ],
        "not_parsed": [{"file": f.path, "problem": f.problem} for f in report.problems],
        "blockers": report.blockers,
        "files_changed": sorted(f.path for f in report.files if f.changed),
        "files_copied": report.copied,
        "exit_code": int(report.exit_code),
    }


def to_text(report: PortReport) -> str:
    data = to_dict(report)
    lines = [f"port {report.src} → {report.output or '(dry run)'}"]
    lines.append("conversions: " + ", ".join(f"{r} {n}" for r, n in data["conversions"].items()))
    lines.append(f"files: {len(data['files_changed'])} changed, {len(report.copied)} copied")
    for t in report.todos:
        lines.append(f"{t.file}:{t.line}: TODO({t.rule}) {t.text}")
    for p in report.problems:
        lines.append(f"{p.path}: copied unchanged: {p.problem}")
    lines.append(f"{len(report.todos)} TODO(s) left")
    return "\n".join(lines) + "\n"


def to_markdown(report: PortReport) -> str:
    data = to_dict(report)
    out = [f"# Port of `{report.src}`", "", "| Rule | Conversions | Summary |", "|---|---:|---|"]
    out += [f"| `{r}` | {n} | {RULES[r].summary} |" for r, n in data["conversions"].items()]
    out += ["", f"## TODOs ({len(report.todos)})", ""]
    out += [f"- `{t.file}:{t.line}` ({t.rule}): {t.text}" for t in report.todos] or ["None."]
    if report.problems:
        out += ["", "## Copied unchanged (not parsed)", ""]
        out += [f"- `{p.path}`: {p.problem}" for p in report.problems]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[PortReport], str]] = {
    "text": to_text,
    "md": to_markdown,
    "json": lambda report: json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n",
}
