"""The exit codes of every `flask2fastapi` command: one table, shown in `--help` and on the
reference page (generated from `TABLE`).

A script can tell "done" (0) from "done, but you have work left" (1), "nothing done" (2)
and "done, but the tool knows its answer is incomplete" (3). Interrupted (Ctrl-C), a
command stops with 130, as shells report a process ended by SIGINT.
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2
    INCOMPLETE = 3


#: (code, what it means for scan, for parity, for port); one row per code.
TABLE: tuple[tuple[Exit, str, str, str], ...] = (
    (Exit.OK, "complete inventory", "every difference accepted", "nothing left by hand"),
    (Exit.FINDINGS, "-", "differences not accepted", "TODOs remain in the port"),
    (
        Exit.ERROR,
        "nothing done: bad arguments, no Flask app, an app that fails to import",
        "nothing done: bad arguments, an app, requests or config file that cannot be used, "
        "an app whose start-up fails, the `parity` extra (httpx2) not installed",
        "nothing done: bad arguments, no Flask app in SRC, an output folder not empty",
    ),
    (
        Exit.INCOMPLETE,
        "inventory known incomplete: files not parsed or registrations not resolved "
        "(try import mode)",
        "-",
        "files that could not be parsed were copied unchanged",
    ),
)


def help_text() -> str:
    """The table as plain text for `--help` epilogs: one line per code and command."""
    lines = ["exit codes:"]
    for code, *meanings in TABLE:
        first = True
        for command, meaning in zip(("scan", "parity", "port"), meanings, strict=True):
            if meaning != "-":
                lines.append(f"  {int(code) if first else ' '}  {command}: {meaning}")
                first = False
    return "\n".join(lines)


def to_markdown() -> str:
    """The table as Markdown, for the reference page (generated, checked for staleness)."""
    lines = ["| Code | `scan` | `parity` | `port` |", "|---|---|---|---|"]
    for code, *meanings in TABLE:
        cells = " | ".join(m.replace("|", "\\|") for m in meanings)
        lines.append(f"| {int(code)} | {cells} |")
    return "\n".join(lines) + "\n"
