"""The contribution machinery agrees with itself: hook pins, workflows and the README."""

from __future__ import annotations

import re

import pytest
import yaml

from guidekit.topics import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def locked() -> dict[str, str]:
    """`name → version` from requirements.txt, names normalised as pip does."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def hook_pins() -> list[str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return [
        dep for repo in config["repos"] for hook in repo["hooks"]
        for dep in hook.get("additional_dependencies", [])
    ]  # fmt: skip


@pytest.mark.parametrize("requirement", hook_pins())
def test_hooks_pin_what_the_lock_pins(requirement):
    """`nox -s lint` and the git hook must run the same ruff as the lock (and so the editor)."""
    name, _, version = requirement.partition("==")
    assert version, f"pin {requirement!r} to an exact version"
    assert locked().get(name.lower()) == version, f"{requirement} differs from requirements.txt"


def test_ci_workflow_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"<!-- test-command -->\s*```\w*\n(.+?)\n```", readme, re.DOTALL)
    assert command
    assert command.group(1).strip() in (WORKFLOWS / "ci.yml").read_text()


@pytest.mark.parametrize(("workflow", "session"), [("deploy", "deploy"), ("latest", "latest")])
def test_workflows_call_their_nox_session(workflow, session):
    jobs = yaml.safe_load((WORKFLOWS / f"{workflow}.yml").read_text())["jobs"]
    commands = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert any(f"nox -s {session}" in command for command in commands)
