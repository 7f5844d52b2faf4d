"""Committed, generated fragments: write one only when its text changed."""

from __future__ import annotations

from pathlib import Path


def sync(path: Path, text: str, check: bool = False) -> list[Path]:
    """Make `path` hold `text` (or, with `check`, only compare). Returns `[path]` if it differed."""
    if path.is_file() and path.read_text() == text:
        return []
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return [path]
