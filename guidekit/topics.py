"""Where things are: topics, their snippet files and their pages.

A *topic* is the unit of the guide. Its kebab-case name is shared by three places:
`snippets/<topic>/`, `docs/<section>/<topic>.md` and `tests/test_<topic_with_underscores>.py`.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"

#: The two variants of every topic, in the order they appear in tabs and test ids.
FRAMEWORKS = ("flask", "fastapi")


def topics() -> list[str]:
    """Names of all topics that have a snippet folder (folders starting with `_` are not topics)."""
    return sorted(
        p.name for p in SNIPPETS.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    )


def snippet_path(topic: str, framework: str) -> Path:
    """The file holding one variant of a topic, e.g. `snippets/hello-world/flask_app.py`."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; expected one of {FRAMEWORKS}")
    return SNIPPETS / topic / f"{framework}_app.py"


def topic_test_module(topic: str) -> Path:
    """The test module that pins a topic's behaviour."""
    return TESTS / f"test_{topic.replace('-', '_')}.py"


def topic_from_test_module(module_name: str) -> str:
    """`test_path_parameters` (or `tests.test_path_parameters`) → `path-parameters`."""
    stem = module_name.rpartition(".")[2]
    if not stem.startswith("test_"):
        raise ValueError(f"{module_name!r} is not a test module name")
    return stem.removeprefix("test_").replace("_", "-")


def pages() -> list[Path]:
    """Every Markdown page of the site."""
    return sorted(DOCS.rglob("*.md"))
