"""Shared set-up for the kit's tests: the CLI, the sample apps, and clean imports.

The kit imports apps by name (`flask_app:create_app`), which puts folders on `sys.path` and
modules in `sys.modules`; `fresh_imports` takes them away again after each test so that two
tests never share an app by accident.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask2fastapi.cli import main

from guidekit.topics import ROOT

APPS = Path(__file__).parent / "apps"
CORPUS = Path(__file__).parent / "corpus"
SAMPLE = ROOT / "examples" / "sample-app"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def fresh_imports(tmp_path_factory):
    path, before = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = path
    # Only what the test imported from the apps' folders: never by the system temp folder,
    # where a checkout (and its virtualenv, pytest included) may itself live.
    roots = (str(APPS), str(CORPUS), str(SAMPLE), str(tmp_path_factory.getbasetemp()))
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(roots):
            del sys.modules[name]


@pytest.fixture(autouse=True)
def published_links(monkeypatch):
    """Links as shipped, whatever docs address the machine running the tests points at."""
    monkeypatch.delenv("FLASK2FASTAPI_DOCS_URL", raising=False)


@pytest.fixture
def sample_env(monkeypatch):
    """What the sample shop refuses to start without (throwaway values for tests)."""
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password")
    monkeypatch.setenv("INSECURE_COOKIES", "1")  # the test client speaks http://


@pytest.fixture
def cli(capsys):
    """Run `flask2fastapi ARGS...` in-process; returns the exit code and both streams."""

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
