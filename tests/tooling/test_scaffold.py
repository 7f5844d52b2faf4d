"""`nox -s new`: a scaffolded topic is complete for the meta-tests, and `nox -s topic` is red
until the contributor has written it.

Everything runs in a copy of the repository, in subprocesses started there, so the
scaffold and the meta-tests see the copy's files (guidekit finds the root from its own
location). The strict site build of a scaffolded topic is checked by hand or in CI's
`docs` session after `nox -s new`; here it would cost more than the rest of this module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidekit import pages, scaffold
from guidekit.topics import ENV as SHARED_ENV
from guidekit.topics import ROOT, topic_module_name, topic_pytest_args, topics

# Everything but history, build output and caches.
NOT_COPIED = {".git", ".nox", "site", "bench", ".ruff_cache", ".pytest_cache", ".venv"}
# A name no topic has yet (a contributor may have scaffolded `demo-topic` to try it out).
TOPIC = next(
    name
    for name in ("demo-topic", *(f"demo-topic-{n}" for n in range(2, 100)))
    if name not in topics() and pages.page_for_topic(name) is None
)
MODULE = topic_module_name(TOPIC)
ENTRY = f"      - routing/{TOPIC}.md\n"
# Coverage of this run's snippets/ must not pick up the copy's subprocesses.
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}
ENV |= SHARED_ENV


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's sources, with TOPIC scaffolded under routing/."""
    root = tmp_path_factory.mktemp("repo")
    for path in ROOT.iterdir():
        if path.name in NOT_COPIED or path.name.startswith(".coverage"):
            continue
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(path, root / path.name, ignore=ignore)
        else:
            shutil.copy(path, root)
    result = run(root, "-m", "guidekit.scaffold", TOPIC, "--section", "routing")
    assert result.returncode == 0, result.stderr
    return root


def test_files_and_nav_entry_exist(repo):
    for path in (
        f"docs/routing/{TOPIC}.md",
        *(f"snippets/{TOPIC}/{name}" for name in ("flask_app.py", "fastapi_app.py")),
        *(f"snippets/{TOPIC}/{name}" for name in ("exchanges.toml", "exchanges.md")),
        f"tests/{MODULE}.py",
    ):
        assert (repo / path).is_file(), path
    nav = (repo / "mkdocs.yml").read_text()
    assert ENTRY in nav
    last_routing = max(i for i, line in enumerate(nav.splitlines()) if "- routing/" in line)
    assert nav.splitlines()[last_routing] == ENTRY.rstrip("\n"), "not last of its section"
    # Inserted as text: comments and tags survive.
    assert nav.replace(ENTRY, "", 1) == (ROOT / "mkdocs.yml").read_text()


@pytest.mark.change("testclient-anyio-portal")  # its nested pytest turns warnings into errors
def test_the_topic_session_fails_until_the_topic_is_written(repo):
    """What `nox -s topic -- TOPIC` runs, in the copy: red for exactly the unwritten parts.

    The placeholders left in the scaffold's files, the missing checklist link (where the
    topic goes is the contributor's call) and the failing test; everything else passes.
    """
    result = run(repo, "-m", "pytest", *topic_pytest_args(TOPIC), "-rfE", "-vv")
    assert result.returncode == 1, result.stdout
    failed = sorted(
        line.split()[1].partition("::")[2]
        for line in result.stdout.splitlines()
        if line.startswith(("FAILED", "ERROR"))
    )
    assert failed == [
        "test_cases_are_written[fastapi]",
        "test_cases_are_written[flask]",
        f"test_migration_checklist_links_the_topic[{TOPIC}]",
        f"test_no_scaffold_placeholder_is_left[{TOPIC}]",
    ], result.stdout
    assert f"write the cases for {TOPIC}" in result.stdout
    assert f"docs/routing/{TOPIC}.md:3: description:" in result.stdout  # the first TODO
    for test in (
        f"test_topic_is_complete[{TOPIC}]",
        f"test_responses_shown_on_the_page_are_current[{TOPIC}]",
        f"test_every_include_resolves[routing/{TOPIC}.md]",
        "test_every_page_is_in_the_nav",
        "test_cheat_sheet_is_current",
        "test_every_section_marker_is_included",
    ):
        assert f"{test} PASSED" in result.stdout, test


def test_the_page_has_every_section_of_a_topic_page(repo):
    headings = [
        line
        for line in (repo / f"docs/routing/{TOPIC}.md").read_text().splitlines()
        if line.startswith("## ")
    ]
    reference = (ROOT / "docs/routing/path-parameters.md").read_text().splitlines()
    assert headings == [line for line in reference if line.startswith("## ")]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_the_new_python_files_are_lint_clean(repo, command):
    files = [f"snippets/{TOPIC}", f"tests/{MODULE}.py"]
    result = run(repo, "-m", "ruff", *command, "--no-cache", *files)
    assert result.returncode == 0, result.stdout


def test_refuses_a_topic_that_now_exists(repo):
    before = sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts)
    result = run(repo, "-m", "guidekit.scaffold", TOPIC, "--section", "routing")
    assert result.returncode != 0
    assert "already exists" in result.stderr
    after = sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts)
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hello-world", "--section", "start"], "already exists"),
        (["Demo_Topic", "--section", "routing"], "not a kebab-case"),
        (["demo--x", "--section", "routing"], "not a kebab-case"),
        ([TOPIC, "--section", "nowhere"], "unknown section 'nowhere'"),
    ],
)
def test_refuses(args, message, capsys):
    """In this repository, in-process: a refusal happens before anything is written."""
    planned = scaffold.planned_files(args[0], args[2])
    nav = scaffold.MKDOCS_YML.read_text()
    assert scaffold.main(args) == 1
    assert message in capsys.readouterr().err
    assert [p for p in planned if p.exists() and args[0] != "hello-world"] == []
    assert scaffold.MKDOCS_YML.read_text() == nav
