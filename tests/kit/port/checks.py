"""The before/after checks every port rule's tests use (django-upgrade's pair):
`check_transformed(before, after, rule)` and `check_noop(source, rule)`.

Sources are dedented; each runs only the rules named (plus `routes` when a rule needs
views to exist), so a fixture shows one rule's work.
"""

from __future__ import annotations

import textwrap

from flask2fastapi.port import port_source
from flask2fastapi.port.base import TODO_LINE


def _run(source: str, rules: tuple[str, ...]) -> tuple[str, dict[str, int]]:
    out, counts = port_source(textwrap.dedent(source), rules)
    return out, dict(counts)


def check_transformed(before: str, after: str, *rules: str) -> dict[str, int]:
    """`before` becomes `after` exactly, and running the rules again changes nothing."""
    out, counts = _run(before, rules)
    assert out == textwrap.dedent(after), out
    again, _ = port_source(out, rules)
    assert again == out, "a second run changed the port"
    return counts


def check_noop(source: str, *rules: str) -> None:
    """The rules leave `source` exactly as it is (and count no conversion)."""
    out, counts = _run(source, rules)
    assert out == textwrap.dedent(source), out
    assert not counts


def todos(code: str) -> list[tuple[str, str]]:
    """The (rule, text) of every TODO in `code`, text without the page address."""
    found = []
    for line in code.splitlines():
        for piece in line.split("# TODO(flask2fastapi ")[1:]:
            match = TODO_LINE.search("# TODO(flask2fastapi " + piece)
            assert match, line
            found.append((match["rule"], match["text"].rsplit(" — ", 1)[0].strip()))
    return found


def load_module(path, code: str, name: str):  # type: ignore[no-untyped-def]
    """`code` written to `path` and imported as module `name` (Flask wants a module with a
    file): how the tests run a Flask app and its port side by side."""
    import importlib.util

    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module
