"""The "suite passed on this tree" stamp that lets `deploy` skip a second run: its digest
must change with any file git would commit, and only with those."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from guidekit.passed import committable_files, stamp_path, tree_digest


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # noqa: S607
    (tmp_path / ".gitignore").write_text("site/\n")
    (tmp_path / "app.py").write_text("x = 1\n")
    return tmp_path


def test_a_changed_byte_changes_the_digest(tree):
    before = tree_digest(tree)
    assert tree_digest(tree) == before  # stable
    (tree / "app.py").write_text("x = 2\n")
    assert tree_digest(tree) != before


def test_a_new_file_changes_the_digest_and_an_ignored_one_does_not(tree):
    before = tree_digest(tree)
    (tree / "site").mkdir()
    (tree / "site" / "index.html").write_text("<p>built</p>")
    assert tree_digest(tree) == before
    (tree / "new.py").write_text("")
    assert tree_digest(tree) != before
    assert committable_files(tree) == [".gitignore", "app.py", "new.py"]


def test_a_renamed_file_changes_the_digest(tree):
    before = tree_digest(tree)
    (tree / "app.py").rename(tree / "other.py")
    assert tree_digest(tree) != before


def test_the_stamp_is_named_by_the_digest(tree, tmp_path):
    assert stamp_path(tmp_path / "envs", tree) == tmp_path / "envs" / "passed" / tree_digest(tree)
