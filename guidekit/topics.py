"""Where things are: topics, their snippet files and their pages.

A *topic* is the unit of the guide. Its kebab-case name is shared by three places:
`snippets/<topic>/`, `docs/<section>/<topic>.md` and `tests/test_<topic_with_underscores>.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"

#: The two variants of every topic, in the order they appear in tabs and test ids.
FRAMEWORKS = ("flask", "fastapi")
#: How each variant is named on pages: tab labels, generated fragments, charts.
LABELS = {"flask": "Flask", "fastapi": "FastAPI"}
#: A topic name: lowercase words (letters, digits) joined by single hyphens.
KEBAB_CASE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

#: Environment of every command nox and the tools start. MkDocs 1.x prints a banner about
#: its successor on every run (the `zensical` session is our answer to it). Bytecode goes
#: to one cache under .nox/ instead of `__pycache__` folders among the snippets: imports
#: stay fast (uv installs packages without .pyc files) and the tree stays clean.
ENV = {
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONDONTWRITEBYTECODE": "",
    "PYTHONPYCACHEPREFIX": str(ROOT / ".nox" / "pycache"),
}


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


def is_topic_name(name: str) -> bool:
    """Whether `name` is kebab-case (`path-parameters`, not `Path_Parameters` or `a--b`)."""
    return KEBAB_CASE.fullmatch(name) is not None


def topic_module_name(topic: str) -> str:
    """`path-parameters` → `test_path_parameters`: the module's name (and `-k` keyword)."""
    return f"test_{topic.replace('-', '_')}"


def topic_test_module(topic: str) -> Path:
    """The test module that pins a topic's behaviour: `tests/test_<topic_underscored>.py`."""
    return TESTS / f"{topic_module_name(topic)}.py"


def topic_files(topic: str) -> list[Path]:
    """Everything a contributor writes for a topic: page, both apps, requests, test module."""
    from guidekit.pages import page_for_topic  # pages imports this module

    page = page_for_topic(topic)
    return [
        *([page] if page else []),
        *(snippet_path(topic, framework) for framework in FRAMEWORKS),
        SNIPPETS / topic / "exchanges.toml",
        topic_test_module(topic),
    ]


def topic_from_test_module(module_name: str) -> str:
    """`test_path_parameters` (or `tests.test_path_parameters`) → `path-parameters`."""
    stem = module_name.rpartition(".")[2]
    if not stem.startswith("test_"):
        raise ValueError(f"{module_name!r} is not a test module name")
    return stem.removeprefix("test_").replace("_", "-")


#: The tooling modules whose tests about one topic `nox -s topic` runs with the topic's own.
TOPIC_TOOLING = (
    "tests/tooling/test_meta.py",
    "tests/tooling/test_generated.py",
    "tests/tooling/test_inline_examples.py",
)
#: Checks about all topics at once that a new or edited topic can break; cheap, so they run too.
CHECKS_FOR_ANY_TOPIC = (
    "every_page_is_in_the_nav",
    "orphaned",
    "section_marker",
    "cheat_sheet_is_current",
)


def topic_pytest_args(topic: str) -> list[str]:
    """What `nox -s topic -- TOPIC` passes to pytest: parity tests, meta-tests, fragments.

    Tooling tests about one topic answer to its module keyword (tests/conftest.py), so one
    `-k` selects them all. Paths are relative to ROOT, where nox runs.
    """
    keyword = topic_module_name(topic).removeprefix("test_")
    module = topic_test_module(topic).relative_to(ROOT).as_posix()
    selected = " or ".join((keyword, *CHECKS_FOR_ANY_TOPIC))
    return [module, *TOPIC_TOOLING, "-p", "no:xdist", "-q", "-k", selected]


def pages() -> list[Path]:
    """Every Markdown page of the site."""
    return sorted(DOCS.rglob("*.md"))
