"""Version floors: every failure on the older release set is a declared, measured change.

data/floors.json is written by `nox -s floors` (what failed on the floor set, with the
`change(...)` marks of each test) and `nox -s bisect` (each change's measured first
release). These tests read it: the next undeclared version dependency fails here.
"""

from __future__ import annotations

import json

import pytest
from packaging.version import Version

from guidekit import bisect, floors
from guidekit.topics import DOCS

RECORD = json.loads(floors.FLOORS_FILE.read_text())


def _floor_lacks(change: str) -> bool:
    """Whether the floor set's release of the change's package predates its first release."""
    package = floors.CHANGES[change].package
    first = RECORD.get("bisect", {}).get(change, {}).get("first")
    return first is not None and Version(RECORD["versions"][package]) < Version(first)


def test_every_failure_on_the_floor_is_marked_with_a_change_the_floor_lacks():
    """A test that failed on the floor set must carry `change(NAME)` for a change whose
    measured first release is newer than the floor's. Otherwise: find the release that
    brought the behaviour, declare it in guidekit/floors.py and mark the test."""
    failed = RECORD["failed"]
    assert isinstance(failed, dict), "data/floors.json predates marks: run `nox -s floors`"
    unexplained = [
        f"{test} (marks: {', '.join(marks) or 'none'})"
        for test, marks in failed.items()
        if not any(name in floors.CHANGES and _floor_lacks(name) for name in marks)
    ]
    assert unexplained == []


@pytest.mark.parametrize("change", list(floors.CHANGES))
def test_every_change_is_measured(change):
    """`nox -s bisect -- NAME` found its first release; a problem it reported stays here."""
    measured = RECORD.get("bisect", {}).get(change, {})
    assert "problem" not in measured, measured.get("problem")
    assert floors.first_release(change) == measured["first"]
    assert _floor_lacks(change), f"the floor set already has {change}: drop it or lower the floor"
    assert bisect.test_files(change), f"no test is marked change({change!r})"


@pytest.mark.parametrize("change", list(floors.CHANGES))
def test_every_change_is_stated_where_it_matters(change):
    """Each page a change affects includes its since note; a tooling-only change says why."""
    item = floors.CHANGES[change]
    assert item.pages or item.reason, f"{change}: name the pages, or the reason it has none"
    include = f'--8<-- "includes/since/{change}.md"'
    for page in item.pages:
        assert include in (DOCS / page).read_text(encoding="utf-8"), f"{page} lacks {include}"


def test_the_floor_run_recorded_every_change():
    assert set(RECORD["changes"]) == set(floors.CHANGES), "run `nox -s floors`"


class FakeProber:
    """Outcomes by release instead of installs and pytest runs."""

    def __init__(self, outcomes: dict[str, str]) -> None:
        self.outcomes = outcomes
        self.lock = {"fastapi": max(outcomes, key=Version)}
        self.probed: list[tuple[str, str]] = []

    def probe(self, change, package, release, files, expect="after"):
        self.probed.append((release, expect))
        outcome = self.outcomes[release]
        if expect == "before" and outcome in ("passed", "failed"):
            outcome = "passed"
        return {"release": release, "outcome": outcome}


def _bisect(monkeypatch, outcomes, everything=False):
    prober = FakeProber(outcomes)
    monkeypatch.setattr(bisect, "releases", lambda package, floor, lock: list(outcomes))
    monkeypatch.setattr(bisect, "test_files", lambda change: ["tests/test_x.py"])
    floor = min(outcomes, key=Version)
    return bisect.bisect(prober, "bearer-401", floor, everything), prober


def test_bisect_finds_the_first_passing_release(monkeypatch):
    outcomes = {f"0.{n}.0": "passed" if n >= 7 else "failed" for n in range(1, 13)}
    result, prober = _bisect(monkeypatch, outcomes)
    assert (result["first"], result["previous"], result["previous_before"]) == (
        "0.7.0",
        "0.6.0",
        "passed",
    )
    assert len(prober.probed) < len(outcomes)  # a bisection, not a scan


def test_bisect_reports_a_release_it_cannot_install_at_the_boundary(monkeypatch):
    outcomes = {"1.0": "failed", "1.1": "failed", "1.2": "not installable", "1.3": "passed"}
    result, _ = _bisect(monkeypatch, outcomes)
    assert "first" not in result
    assert result["problem"] == "first passing 1.3, last failing 1.1, undecided between them: 1.2"


def test_bisect_steps_over_a_release_it_cannot_install_away_from_the_boundary(monkeypatch):
    outcomes = {"1.0": "failed", "1.1": "failed", "1.2": "not installable", "1.3": "failed"}
    outcomes["1.4"] = "passed"
    result, prober = _bisect(monkeypatch, outcomes)
    assert ("1.2", "after") in prober.probed
    assert (result["first"], result["previous"]) == ("1.4", "1.3")


@pytest.mark.parametrize(
    ("outcomes", "problem"),
    [
        ({"1.0": "passed", "1.1": "passed"}, "the floor (1.0) does not fail: passed"),
        ({"1.0": "failed", "1.1": "failed"}, "the lock (1.1) does not pass: failed"),
    ],
)
def test_bisect_refuses_a_floor_that_passes_or_a_lock_that_fails(monkeypatch, outcomes, problem):
    result, _ = _bisect(monkeypatch, outcomes)
    assert result["problem"] == problem


def test_a_full_scan_reports_a_history_that_is_not_monotonic(monkeypatch):
    outcomes = {"1.0": "failed", "1.1": "passed", "1.2": "failed", "1.3": "passed"}
    result, _ = _bisect(monkeypatch, outcomes, everything=True)
    assert result["problem"].startswith("not monotonic: 1.0 failed, 1.1 passed, 1.2 failed")


def test_an_unmeasured_change_is_never_guessed(monkeypatch):
    monkeypatch.setattr(floors, "_record", lambda: {"bisect": {"bearer-401": {"problem": "x"}}})
    with pytest.raises(LookupError, match=r"bearer-401.*x.*nox -s bisect -- bearer-401"):
        floors.has("bearer-401")
    note = floors.since_note("bearer-401", {"bisect": {"bearer-401": {"problem": "x"}}})
    assert "could not be measured (x)" in note


def test_forced_answers_win_over_the_installed_release(monkeypatch):
    monkeypatch.setattr(floors, "_ASSUMED", {})
    floors.assume("bearer-401", False)
    assert floors.has("bearer-401") is False
    with pytest.raises(KeyError):
        floors.assume("no-such-change", True)
