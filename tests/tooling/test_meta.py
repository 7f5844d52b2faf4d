"""Meta-tests: the guide's own invariants (topics complete, includes resolve, nothing orphaned).

Tests about one topic are parametrized by its name (`test_x[path-parameters]`); the
conftest adds the test module's keyword to them, so `-k path_parameters` and
`nox -s topic -- path-parameters` select them with the topic's own tests.
"""

from __future__ import annotations

import posixpath
import re
import shutil

import pytest

from guidekit import pages
from guidekit.scaffold import PLACEHOLDER
from guidekit.topics import (
    DOCS,
    FRAMEWORKS,
    ROOT,
    SNIPPETS,
    is_topic_name,
    snippet_path,
    topic_files,
    topic_test_module,
    topics,
)
from guidekit.topics import pages as all_pages

ALL_TOPICS = topics()

ALL_PAGES = all_pages()
PAGE_IDS = [str(p.relative_to(DOCS)) for p in ALL_PAGES]
CHECKLIST = DOCS / "migrating" / "migration-checklist.md"
#: A `--8<-- [start:name]` marker, in any comment syntax.
SECTION_START = re.compile(r"--8<-- \[start:(?P<section>[^\]]+)\]")


def test_there_are_topics():
    assert len(ALL_TOPICS) >= 1


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_topic_is_complete(topic):
    """Both variants, a test module, and a page named after the topic that includes both."""
    assert is_topic_name(topic), "topic names are kebab-case"
    for framework in FRAMEWORKS:
        assert snippet_path(topic, framework).is_file(), f"missing {framework}_app.py"
    assert topic_test_module(topic).is_file(), f"missing {topic_test_module(topic).name}"
    page = pages.page_for_topic(topic)
    assert page is not None, f"no docs/<section>/{topic}.md"
    included = {path for path, _ in pages.includes(page)}
    for framework in FRAMEWORKS:
        assert f"snippets/{topic}/{framework}_app.py" in included


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_no_scaffold_placeholder_is_left(topic):
    """`nox -s new` writes TODO where the contributor has to write; none may stay."""
    left = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in topic_files(topic)
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PLACEHOLDER in line
    ]
    assert left == [], f"replace the scaffold's {PLACEHOLDER} placeholders"


def test_no_placeholder_on_other_pages():
    topic_pages = {pages.page_for_topic(t) for t in ALL_TOPICS}
    left = [
        str(page.relative_to(ROOT))
        for page in ALL_PAGES
        if page not in topic_pages and PLACEHOLDER in page.read_text()
    ]
    assert left == []


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


def test_every_section_marker_is_included():
    """A `[start:x]` marker that no page includes is noise a reader copies: remove it."""
    included = {(path, section) for page in ALL_PAGES for path, section in pages.includes(page)}
    dead = [
        f"{path.relative_to(ROOT)}:{match['section']}"
        for path in sorted(SNIPPETS.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".md", ".toml", ".html", ".txt"}
        for match in SECTION_START.finditer(path.read_text())
        if (str(path.relative_to(ROOT)), match["section"]) not in included
    ]
    assert dead == []


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


def test_strict_build_fails_when_a_snippet_file_is_removed(tmp_path, monkeypatch):
    """The real build (MkDocs with our mkdocs.yml) on one page whose included app is deleted.

    One page is enough: the include fails while that page is read, before any other page
    or plugin matters; the full strict build of every page is the `docs` session's job.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from pymdownx.snippets import SnippetMissingError

    page = "start/hello-world.md"
    (tmp_path / "docs" / "start").mkdir(parents=True)
    (tmp_path / "docs" / page).write_text((DOCS / page).read_text())
    for folder in ("snippets/hello-world", "includes", "overrides", "hooks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "mkdocs.yml").write_text(
        # Search alone (no git plugins); hooks/search_keywords.py needs it to set a separator.
        f"INHERIT: {ROOT / 'mkdocs.yml'}\nnav: [{page}]\n"
        "plugins: [{search: {separator: '[\\s\\-]+'}}]\n"
    )
    (tmp_path / "snippets/hello-world/fastapi_app.py").unlink()
    monkeypatch.chdir(tmp_path)  # snippets' base_path "." is the working directory
    config = load_config(str(tmp_path / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "out"))
    with pytest.raises(SnippetMissingError, match=r"snippets/hello-world/fastapi_app\.py"):
        build(config)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"<!-- test-command -->\s*```\w*\n(.+?)\n```", readme, re.DOTALL)
    assert command, "README.md must mark its test command with <!-- test-command -->"
    assert command.group(1).strip() in (ROOT / ".ci" / "run").read_text()


def _checklist_links() -> set[str]:
    return {
        posixpath.normpath(posixpath.join("migrating", link))
        for link in re.findall(r"\]\(([^)#]+\.md)\)", CHECKLIST.read_text())
    }


@pytest.mark.parametrize("topic", ALL_TOPICS)
def test_migration_checklist_links_the_topic(topic):
    page = pages.page_for_topic(topic)
    assert page is not None, f"no docs/<section>/{topic}.md"
    link = str(page.relative_to(DOCS))
    assert link in _checklist_links(), (
        f"link {link} from the step of {CHECKLIST.relative_to(ROOT)} where a reader needs it"
    )


def test_a_topics_demo_environment_is_set_only_while_its_apps_load(monkeypatch):
    """Fail-closed snippets get their throwaway secrets from snippets/<topic>/env.toml."""
    import os

    from guidekit.harness import demo_environ, load_module

    env = demo_environ("flask-login")
    assert env and all(isinstance(v, str) for v in env.values())
    for name in env:
        monkeypatch.delenv(name, raising=False)
    module = load_module("flask-login", "flask")
    assert module.app.config["SECRET_KEY"] == env["SECRET_KEY"]
    assert not any(name in os.environ for name in env)  # restored afterwards
    assert demo_environ("hello-world") == {}
