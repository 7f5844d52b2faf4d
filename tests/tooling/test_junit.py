"""guidekit.junit: the summary `nox -s latest` prints names the topics that broke."""

from __future__ import annotations

from guidekit.junit import NOT_A_TOPIC, broken, main

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_hello_world" name="test_dict_is_json_in_both[flask]"/>
  <testcase classname="tests.test_hello_world" name="test_dict_is_json_in_both[fastapi]">
    <failure message="assert 201 == 200">...</failure></testcase>
  <testcase classname="tests.test_cors" name="test_preflight[flask]">
    <error message="fixture failed">...</error></testcase>
  <testcase classname="tests.test_generated" name="test_responses_are_current[cors]">
    <failure message="stale">...</failure></testcase>
  <testcase classname="tests.test_meta" name="test_every_page_is_in_the_nav">
    <failure message="missing">...</failure></testcase>
  <testcase classname="tests.test_cors" name="test_skipped[fastapi]"><skipped/></testcase>
</testsuite></testsuites>
"""


def test_failures_and_errors_are_grouped_by_topic(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    assert broken(report) == {
        NOT_A_TOPIC: ["tests.test_meta::test_every_page_is_in_the_nav"],
        "cors": [
            "tests.test_cors::test_preflight[flask]",
            "tests.test_generated::test_responses_are_current[cors]",
        ],
        "hello-world": ["tests.test_hello_world::test_dict_is_json_in_both[fastapi]"],
    }


def test_exit_code_says_whether_anything_broke(tmp_path, capsys):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    assert main([str(report)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Topics that broke (2): cors, hello-world\n")
    assert "  hello-world:\n    tests.test_hello_world::test_dict_is_json_in_both[fastapi]\n" in out
    clean = tmp_path / "clean.xml"
    clean.write_text(REPORT.split("<testcase")[0] + "</testsuite></testsuites>")
    assert main([str(clean)]) == 0
    assert capsys.readouterr().out == "No test failed: no topic broke.\n"
    assert main([]) == 2
