"""The parity harness as pytest fixtures.

Every test that asks for `client` runs twice, as `test_x[flask]` and `test_x[fastapi]`,
against `snippets/<topic>/<framework>_app.py`. The topic comes from the test module's
name (`test_path_parameters.py` → `path-parameters`) unless the module sets `TOPIC`.
Where the frameworks differ on purpose, a test says so with the `framework` fixture:
`assert r.status_code == {"flask": 404, "fastapi": 422}[framework]`.

A check that applies to one framework only carries a marker, never a skip in its body:

    @pytest.mark.only("fastapi", reason="Flask has no lifespan")
    def test_lifespan_runs(client): ...

The test still runs as a pair; the other variant is reported as skipped with the reason.

A test whose expectation depends on a release is marked `@pytest.mark.change(NAME)` (a key
of `guidekit.floors.CHANGES`). `pytest --change NAME` runs only the tests marked with NAME
(repeatable), and `--change-expect after|before` makes `has(NAME)` answer True/False
whatever is installed: `nox -s bisect` probes a release with `--change NAME
--change-expect after`, so the tests pass exactly where the release has the change.
Shared expectations (default 404/405/422 answers, `Allow`, redirects) live in `tests/expect.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from guidekit import floors
from guidekit.floors import CHANGES
from guidekit.harness import client_for, demo_environ, load_module
from guidekit.pages import nav_pages
from guidekit.topics import FRAMEWORKS, TESTS, topic_from_test_module, topic_module_name, topics

TOOLING = TESTS / "tooling"


@pytest.fixture(autouse=True)
def demo_environment(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A topic module's tests run with its `snippets/<topic>/env.toml` set (the throwaway
    secrets its apps refuse to start without), and every test gets its own `UPLOAD_DIR`.

    `load_module` sets the same values while an app is imported; setting them for the
    whole test also covers what reads them later (a CLI, a subprocess). A test that checks
    an app refuses to start without one passes `env=` to `load_module` without it.
    """
    module = request.module.__name__.rpartition(".")[2]
    topic = getattr(request.module, "TOPIC", None)
    if topic is None and module in {topic_module_name(t) for t in topics()}:
        topic = topic_from_test_module(module)
    for name, value in (demo_environ(topic) if topic else {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    """`"flask"` or `"fastapi"`; the test id carries it in brackets."""
    return request.param


@pytest.fixture
def topic(request: pytest.FixtureRequest) -> str:
    return getattr(request.module, "TOPIC", None) or topic_from_test_module(request.module.__name__)


@pytest.fixture
def snippet(topic: str, framework: str) -> Any:
    """The freshly imported snippet module (for tests that need more than `app`)."""
    return load_module(topic, framework)


@pytest.fixture
def app(snippet: Any) -> Any:
    return snippet.app


@pytest.fixture
def client(framework: str, app: Any) -> Iterator[httpx2.Client]:
    with client_for(framework, app) as client:
        yield client


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("floors", "version floors (guidekit/floors.py)")
    group.addoption(
        "--change", action="append", default=[], metavar="NAME",
        help="run only the tests marked change(NAME); repeatable",
    )  # fmt: skip
    group.addoption(
        "--change-expect", choices=("installed", "after", "before"), default="installed",
        help="has(NAME) for the --change names: from the installed release (default), "
        "or forced to the new (after) or old (before) behaviour",
    )  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    names = config.getoption("change")
    if unknown := sorted(set(names) - set(CHANGES)):
        raise pytest.UsageError(f"--change {', '.join(unknown)}: not in {sorted(CHANGES)}")
    if (expect := config.getoption("change_expect")) != "installed":
        if not names:
            raise pytest.UsageError("--change-expect needs --change NAME")
        for name in names:
            floors.assume(name, expect == "after")
    config.addinivalue_line(
        "markers",
        "only(framework, reason): the check applies to one framework; the other is skipped",
    )
    config.addinivalue_line(
        "markers",
        "change(name): the expectation depends on a release (guidekit.floors.CHANGES)",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Honour `@pytest.mark.only(framework, reason=...)`; record `change` marks in the report."""
    for mark in item.iter_markers("change"):
        (name,) = mark.args
        if name not in CHANGES:
            raise pytest.UsageError(f"{item.nodeid}: change({name!r}): not in {sorted(CHANGES)}")
        item.user_properties.append(("change", name))
    marker = item.get_closest_marker("only")
    if marker is None:
        return
    (wanted,) = marker.args
    if wanted not in FRAMEWORKS:
        raise pytest.UsageError(f"{item.nodeid}: only({wanted!r}): expected one of {FRAMEWORKS}")
    reason = marker.kwargs.get("reason")
    if not reason:
        raise pytest.UsageError(f"{item.nodeid}: only({wanted!r}) needs reason=...")
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("framework") != wanted:
        pytest.skip(f"{wanted} only: {reason}")


def _topic_of(value: Any, known: set[str]) -> str | None:
    """The topic a parameter stands for: its name, its page, or a block on its page."""
    path = getattr(value, "path", value)  # pytest-examples' CodeExample has a `path`
    name = Path(path).stem if isinstance(path, Path) else path
    return name if isinstance(name, str) and name in known else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A topic's tests must run on both variants: refuse any that does not use `framework`.

    A tooling test parametrized by a topic (`test_topic_is_complete[path-parameters]`), its
    page or a block on its page also answers to the topic's module keyword, so that
    `-k path_parameters` selects the topic's meta-tests with its own module.
    """
    known = set(topics())
    topic_modules = {topic_module_name(t) for t in known}
    unpaired = []
    for item in items:
        if TOOLING in item.path.parents:
            # Coverage is of snippets/, which topic modules cover; tracing the guide's own
            # tooling under it would only double its run time.
            item.add_marker(pytest.mark.no_cover)
        callspec = getattr(item, "callspec", None)
        for value in callspec.params.values() if callspec else ():
            if topic := _topic_of(value, known):
                item.extra_keyword_matches.add(topic_module_name(topic).removeprefix("test_"))
        in_topic = item.module.__name__.rpartition(".")[2] in topic_modules  # type: ignore[attr-defined]
        if in_topic and (callspec is None or "framework" not in callspec.params):
            unpaired.append(item.nodeid)
    # The guide's topics first, in its reading order: a broken snippet is the first failure
    # shown, and `nox -s deploy` (`-x`) refuses within seconds instead of after the kit's tests.
    reading = {topic_module_name(Path(page).stem): i for i, page in enumerate(nav_pages())}
    items.sort(key=lambda item: reading.get(item.path.stem, len(reading)))
    if names := set(config.getoption("change")):
        chosen = [i for i in items if names & {m.args[0] for m in i.iter_markers("change")}]
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
    if unpaired:
        raise pytest.UsageError(
            "every test in a topic module runs on both variants (use the `client` or "
            "`framework` fixture); these do not:\n  " + "\n  ".join(unpaired)
        )
