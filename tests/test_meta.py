"""Meta-tests: the guide's own invariants (topics complete, includes resolve, nothing orphaned)."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys

import pytest

from guidekit import pages
from guidekit.topics import (
    DOCS,
    FRAMEWORKS,
    ROOT,
    SNIPPETS,
    snippet_path,
    topic_test_module,
    topics,
)
from guidekit.topics import pages as all_pages

ALL_TOPICS = topics()

ALL_PAGES = all_pages()
PAGE_IDS = [str(p.relative_to(DOCS)) for p in ALL_PAGES]


def test_there_are_topics():
    assert len(ALL_TOPICS) >= 1


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_topic_is_complete(topic):
    """Both variants, a test module, and a page named after the topic that includes both."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", topic), "topic names are kebab-case"
    for framework in FRAMEWORKS:
        assert snippet_path(topic, framework).is_file(), f"missing {framework}_app.py"
    assert topic_test_module(topic).is_file(), f"missing {topic_test_module(topic).name}"
    page = pages.page_for_topic(topic)
    assert page is not None, f"no docs/<section>/{topic}.md"
    included = {path for path, _ in pages.includes(page)}
    for framework in FRAMEWORKS:
        assert f"snippets/{topic}/{framework}_app.py" in included


@pytest.mark.parametrize("page", ALL_PAGES, ids=PAGE_IDS)
def test_every_include_resolves(page):
    """Rendering with the build's own settings raises on a missing file or section."""
    pages.render(page.read_text())


def test_no_snippet_file_is_orphaned():
    """Every Python file under snippets/ is shown on some page."""
    included = {path for page in ALL_PAGES for path, _ in pages.includes(page)}
    orphans = [
        str(p.relative_to(ROOT))
        for p in SNIPPETS.rglob("*.py")
        if str(p.relative_to(ROOT)) not in included
    ]
    assert orphans == []


def test_every_page_is_in_the_nav():
    in_nav = set(pages.nav_pages())
    on_disk = set(PAGE_IDS)
    assert sorted(on_disk - in_nav) == []


def test_a_missing_section_marker_fails_rendering(tmp_path):
    """What `check_paths: true` buys: deleting a section marker breaks the include."""
    snippet = tmp_path / "app.py"
    snippet.write_text("x = 1\n# --8<-- [start:part]\ny = 2\n# --8<-- [end:part]\n")
    page = '--8<-- "app.py:part"\n'
    assert pages.render(page, base_path=tmp_path) == "<p>y = 2</p>"
    snippet.write_text("x = 1\ny = 2\n")
    with pytest.raises(Exception, match="section 'part' could not be located"):
        pages.render(page, base_path=tmp_path)
    snippet.unlink()
    with pytest.raises(Exception, match="could not be found"):
        pages.render(page, base_path=tmp_path)


def test_strict_build_fails_when_a_snippet_file_is_removed(tmp_path):
    """The real build, on a copy of the site with one included snippet file deleted."""
    for name in ("docs", "snippets", "includes", "guidekit", "overrides", "bench", "hooks", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):  # the contributing page includes the latter
        shutil.copy(ROOT / name, tmp_path)
    (tmp_path / "snippets/hello-world/fastapi_app.py").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode != 0
    assert "snippets/hello-world/fastapi_app.py" in result.stderr + result.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"<!-- test-command -->\s*```\w*\n(.+?)\n```", readme, re.DOTALL)
    assert command, "README.md must mark its test command with <!-- test-command -->"
    assert command.group(1).strip() in (ROOT / ".ci" / "run").read_text()


def test_migration_checklist_links_every_topic():
    checklist = DOCS / "migrating" / "migration-checklist.md"
    linked = {
        posixpath.normpath(posixpath.join("migrating", link))
        for link in re.findall(r"\]\(([^)#]+\.md)\)", checklist.read_text())
    }
    topic_pages = {str(pages.page_for_topic(t).relative_to(DOCS)) for t in ALL_TOPICS}
    assert sorted(topic_pages - linked) == []
