"""`nox -s new`: a scaffolded topic is complete for the meta-tests and red until written.

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

from guidekit import pages
from guidekit.topics import ROOT, topics

# Everything but history, build output and caches.
NOT_COPIED = {".git", ".nox", "site", "bench", ".ruff_cache", ".pytest_cache", ".venv"}
# A name no topic has yet (a contributor may have scaffolded `demo-topic` to try it out).
TOPIC = next(
    name
    for name in ("demo-topic", *(f"demo-topic-{n}" for n in range(2, 100)))
    if name not in topics() and pages.page_for_topic(name) is None
)
MODULE = f"test_{TOPIC.replace('-', '_')}"
ENTRY = f"      - routing/{TOPIC}.md\n"
# Coverage of this run's snippets/ must not pick up the copy's subprocesses.
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**ENV, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"},
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


def test_meta_tests_see_the_topic_and_pass_but_for_the_checklist(repo):
    """Where the topic goes in the migration checklist is the contributor's call."""
    files = ["tests/test_meta.py", "tests/test_generated.py", "tests/test_inline_examples.py"]
    # The tests about one topic, and those about all pages (nav, includes, generated fragments).
    only = f"{TOPIC} or nav or orphaned or checklist or cheat_sheet or python_block"
    result = run(repo, "-m", "pytest", "-p", "no:xdist", "-v", *files, "-k", only)
    assert result.returncode == 1, result.stdout
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1, result.stdout
    assert "test_migration_checklist_links_every_topic" in failed[0]
    assert f"routing/{TOPIC}.md" in result.stdout
    for test in ("test_topic_is_complete", "test_responses_shown_on_the_page_are_current"):
        assert f"{test}[{TOPIC}] PASSED" in result.stdout
    assert "test_every_page_is_in_the_nav PASSED" in result.stdout


def test_the_new_topic_fails_until_its_cases_are_written(repo):
    result = run(repo, "-m", "pytest", "-p", "no:xdist", "-q", f"tests/{MODULE}.py")
    assert result.returncode == 1, result.stdout
    assert "2 failed" in result.stdout
    for framework in ("flask", "fastapi"):
        assert f"test_cases_are_written[{framework}]" in result.stdout
    assert f"write the cases for {TOPIC}" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_the_new_python_files_are_lint_clean(repo, command):
    files = [f"snippets/{TOPIC}", f"tests/{MODULE}.py"]
    result = run(repo, "-m", "ruff", *command, "--no-cache", *files)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([TOPIC, "--section", "routing"], "already exists"),
        (["hello-world", "--section", "start"], "already exists"),
        (["Demo_Topic", "--section", "routing"], "not a kebab-case"),
        (["demo--x", "--section", "routing"], "not a kebab-case"),
        (["other-topic", "--section", "nowhere"], "unknown section 'nowhere'"),
    ],
)
def test_refuses(repo, args, message):
    before = sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts)
    result = run(repo, "-m", "guidekit.scaffold", *args)
    assert result.returncode != 0
    assert message in result.stderr
    after = sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
