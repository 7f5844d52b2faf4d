"""The GitHub workflows: CI runs what `.ci/run` runs, actions are pinned, nothing more is granted
than a job uses, and zizmor (the workflow auditor, in the lock) has nothing to report."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from guidekit.topics import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
# `nox`, `nox -s NAME [NAME...]`, at the start of a command or after && / || / ; (not 'nox[uv]').
NOX_COMMAND = re.compile(r"(?:^|&&|\|\||;)\s*(nox(?:\s+-s(?:\s+[\w-]+)+)?)(?=\s|$)")


def load(path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on:` as True
    return workflow


def nox_commands(lines) -> list[str]:
    """The nox invocations in shell lines, in order: ["nox", "nox -s deploy_check", ...]."""
    found = []
    for line in lines:
        if not line.lstrip().startswith("#"):
            found += [" ".join(command.split()) for command in NOX_COMMAND.findall(line)]
    return found


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_ci_runs_what_the_ci_script_runs():
    script = nox_commands((ROOT / ".ci/run").read_text().splitlines())
    runs = [step.get("run", "") for step in steps(load(GITHUB / "workflows/ci.yml"))]
    workflow = nox_commands(line for run in runs for line in run.splitlines())
    assert script[0] == "nox", "the CI script runs the README's test command first"
    assert workflow == script


def test_command_parser_sees_what_a_script_runs():
    """The comparison above can fail: it reads each nox call and skips the pip install."""
    lines = ["python -m pip install 'nox[uv]' && nox || exit 1", "# nox -s old", "nox -s  x-y z"]
    assert nox_commands(lines) == ["nox", "nox -s x-y z"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_pinned_by_commit_hash(path):
    """`uses: owner/action@<40 hex> # vX.Y.Z`: a tag can be moved, a commit cannot;
    Dependabot (.github/dependabot.yml) updates hash and comment together."""
    lines = [line for line in path.read_text().splitlines() if re.match(r"\s*-?\s*uses:", line)]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\b", line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkout_keeps_no_credentials_unless_the_job_pushes(path):
    for job in load(path)["jobs"].values():
        pushes = (job.get("permissions") or {}).get("contents") == "write"
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                persist = (step.get("with") or {}).get("persist-credentials")
                assert persist is pushes, f"{path.name}: persist-credentials: {persist}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_a_push_to_main_is_never_cancelled(path):
    """`cancel-in-progress` only for pull requests: a newer push to a pull request may stop
    the old check, but a run for main (tests, deploy) always finishes."""
    workflow = load(path)
    concurrency = workflow.get("concurrency") or {}
    cancel = concurrency.get("cancel-in-progress", False)
    if "push" not in workflow["on"] or cancel is False:
        return
    assert cancel == "${{ github.event_name == 'pull_request' }}"
    # A pending run is replaced by a newer one of the same group: pushes get their own.
    assert "github.run_id" in concurrency["group"]


def test_dependabot_keeps_actions_and_python_pins_current():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert {"github-actions", "pip"} <= ecosystems


def test_zizmor_finds_nothing():
    """The same audit as the lint hook, so a workflow edit fails here too."""
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is installed with the lock (requirements.txt)"
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--format", "plain", str(GITHUB)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
