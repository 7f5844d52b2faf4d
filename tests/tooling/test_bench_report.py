"""The performance page shows the committed benchmark results, rendered, never typed.

These tests read `bench/results/results.json`; none of them runs the benchmark or
asserts anything about timing.
"""

from __future__ import annotations

import json

import pytest

from bench import load, report
from guidekit import pages
from guidekit.topics import DOCS

PAGE = DOCS / "performance" / "performance.md"


@pytest.fixture(scope="module")
def results():
    return json.loads(report.RESULTS_FILE.read_text())


def test_fragment_is_rendered_from_the_committed_results(results):
    assert report.FRAGMENT_FILE.read_text() == report.render_fragment(results), (
        "includes/performance-results.md is stale or was edited by hand: "
        "run `python -m bench.report` (or measure again with `nox -s bench`)"
    )


def test_committed_results_come_from_a_full_run_on_loopback(results):
    assert results["settings"]["mode"] == "full", "quick-mode results are not for publishing"
    assert results["settings"]["host"] == "127.0.0.1"
    assert results["command"] == "nox -s bench"


def test_the_settings_in_force_are_those_of_the_committed_results(results):
    """The table quotes the committed settings: a change to the load test needs a new run."""
    assert load.recorded_settings(load.FULL) == results["settings"]


def test_results_record_the_machine_and_versions(results):
    machine = results["machine"]
    assert machine["cpu_count"] >= 1
    assert machine["cpu_model"]
    assert machine["python"]
    for name in report.SHOWN_VERSIONS:
        assert machine["versions"][name]


def test_every_workload_measures_both_frameworks(results):
    seen = {(row["workload"], row["framework"]) for row in results["load"]}
    workloads = {workload for workload, _ in seen}
    assert workloads == {"hello", "json-body", "database", "io-wait"}
    assert seen == {(w, f) for w in workloads for f in ("flask", "fastapi")}


def test_the_page_includes_the_fragment_and_the_chart():
    assert ("includes/performance-results.md", None) in pages.includes(PAGE)
    assert f"]({report.CHART_FILE.name})" in PAGE.read_text()
    assert report.CHART_FILE.is_file()


def test_ratio_spans_the_widest_range_the_repeats_allow():
    def row(median, low, high):
        return {"summary": {"rps_median": median, "rps_min": low, "rps_max": high}}

    assert report.ratio(row(200, 150, 300), row(100, 50, 150)) == (2.0, 1.0, 6.0)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(1.1, 1.5, "FastAPI faster"), (0.5, 0.9, "Flask faster"), (0.9, 1.1, "no clear winner")],
)
def test_only_a_range_that_excludes_one_names_a_winner(low, high, expected):
    assert expected in report.verdict(low, high)
