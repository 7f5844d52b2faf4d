"""Committed fragments must match what the apps and the installed packages give now."""

import ast
import json
import posixpath
import re
from importlib import metadata
from pathlib import Path, PurePosixPath

import pytest
from packaging.utils import canonicalize_name

from guidekit import (
    cheatsheet,
    exchanges,
    extensions,
    flaskapi,
    floors,
    kitdata,
    versions,
    yourapp,
)
from guidekit.__main__ import GENERATORS
from guidekit.topics import DOCS, ROOT, SNIPPETS

TOPICS = exchanges.topics_with_exchanges()
#: The modules holding a freshness test of one of `guidekit.__main__.GENERATORS`.
GENERATORS_TESTED_IN = ("test_generated.py", "test_field_reports.py")


@pytest.mark.parametrize("topic", TOPICS)
def test_responses_shown_on_the_page_are_current(topic):
    fragment = exchanges.fragment_file(topic)
    assert fragment.is_file(), f"{fragment} is missing: run `nox -s generate`"
    assert fragment.read_text() == exchanges.render_topic(topic), (
        f"{fragment} no longer matches what the apps answer: run `nox -s generate` "
        "and check the diff (a behaviour change must also change the page's prose)"
    )


def test_tested_with_line_matches_installed_versions():
    assert versions.generate(check=True) == [], "run `nox -s generate`"


def test_cheat_sheet_is_current():
    assert cheatsheet.generate(check=True) == [], "run `nox -s generate`"


def test_every_cheat_sheet_row_links_an_existing_page():
    links = re.findall(r"\]\(([^)]+\.md)\)", cheatsheet.CHEAT_SHEET_FILE.read_text())
    assert links, "the cheat sheet has no rows"
    missing = [
        link for link in links if not (DOCS / posixpath.normpath("migrating/" + link)).is_file()
    ]
    assert missing == []


def test_extensions_map_is_current():
    assert extensions.generate(check=True) == [], "run `nox -s generate`"


def test_every_package_in_the_extensions_map_has_a_checked_version():
    checked = json.loads(extensions.VERSIONS_FILE.read_text())["packages"]
    missing = [name for name in extensions.packages() if name not in checked]
    assert missing == [], "run `nox -s refresh-versions` (asks PyPI)"


def test_every_extensions_map_topic_exists():
    topics = [e["topic"] for e in extensions.extensions() if e["topic"]]
    assert topics
    missing = [t for t in topics if not (DOCS / posixpath.normpath("migrating/" + t)).is_file()]
    assert missing == []


def test_every_extension_has_a_topic_whose_flask_app_imports_it():
    """Each row of the extensions map links a topic whose Flask app imports the real extension.

    A row's import names come from the installed distribution's metadata
    (`importlib.metadata.packages_distributions`), so `Flask-Bcrypt` is `flask_bcrypt`.
    """
    provides: dict[str, set[str]] = {}
    for module, distributions in metadata.packages_distributions().items():
        for distribution in distributions:
            provides.setdefault(canonicalize_name(distribution), set()).add(module)
    problems = []
    for row in extensions.extensions():
        if not row["topic"]:
            problems.append(f"{row['name']}: no topic")
            continue
        app = SNIPPETS / PurePosixPath(row["topic"]).stem / "flask_app.py"
        tree = ast.parse(app.read_text()) if app.is_file() else ast.Module(body=[])
        imported = {
            alias.name.partition(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module.partition(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        if not provides.get(canonicalize_name(row["pypi"]), set()) & imported:
            problems.append(f"{row['name']}: {app.relative_to(ROOT)} does not import it")
    assert problems == []


def test_kit_knowledge_is_current():
    """The kit ships the guide's pages, `flask_api` names and extensions map as JSON."""
    assert kitdata.generate(check=True) == [], "run `nox -s generate`"


def test_migrate_your_app_reports_are_current():
    """docs/your-app/ shows the kit's scan and parity reports on the sample shop."""
    assert yourapp.generate(check=True) == [], "run `nox -s generate`"


def test_flask_api_index_is_current():
    assert flaskapi.generate(check=True) == [], "run `nox -s generate`"


def test_since_notes_are_current():
    assert floors.generate(check=True) == [], "run `nox -s generate`"


def test_the_suite_checks_every_generator_that_guidekit_check_runs():
    """`nox -s site` and `deploy` skip `python -m guidekit --check` on a tree whose full suite
    passed (guidekit/passed.py): that is sound only while each generator has its test."""
    here = Path(__file__).parent
    tests = "".join((here / name).read_text() for name in GENERATORS_TESTED_IN)
    untested = [
        module.__name__
        for module in GENERATORS
        if f"{module.__name__.rpartition('.')[2]}.generate(check=True)" not in tests
    ]
    assert untested == []
