"""The one entry point: `nox` runs what CI runs; `nox -l` lists every session.

Every session installs the pinned lock (requirements.txt), so a build next month uses what
was tested. Virtualenvs are reused and uv is used when present, so a second run is fast.
"""

from __future__ import annotations

import os
import shutil

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests", "lint", "docs", "site"]

LOCK = "requirements.txt"
# MkDocs 1.x prints a banner about its successor on every run; the `zensical` session
# is our answer to it, so keep the output readable.
ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def install(session: nox.Session) -> None:
    session.install("-r", LOCK)


@nox.session
def tests(session: nox.Session) -> None:
    """Snippet pairs, parity harness and meta-tests, in parallel, with coverage of snippets/."""
    install(session)
    args = session.posargs or ["-n", "auto", "--cov", "--cov-report=term-missing"]
    session.run("pytest", *args, env=ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check (incl. security rules on snippets) and ruff format --check."""
    install(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site in strict mode: any warning, missing include or broken link fails."""
    install(session)
    session.run("python", "-m", "guidekit", "--check", env=ENV)
    session.run("mkdocs", "build", "--strict", *session.posargs, env=ENV)


@nox.session
def serve(session: nox.Session) -> None:
    """Build and serve the site on http://127.0.0.1:8000 with live reload."""
    install(session)
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=ENV)


@nox.session
def site(session: nox.Session) -> None:
    """Build the site and test it in headless Chromium (Debian's /usr/bin/chromium)."""
    install(session)
    ensure_chromium(session)
    session.run("mkdocs", "build", "--strict", env=ENV)
    args = session.posargs or ["tests/site", "-p", "no:xdist"]
    session.run("pytest", *args, env=ENV)


@nox.session
def audit(session: nox.Session) -> None:
    """Lighthouse on the home page and one topic page: prints scores and page weight."""
    install(session)
    ensure_chromium(session)
    session.run("mkdocs", "build", "--strict", env=ENV)
    session.run("python", "tools/lighthouse_audit.py", *session.posargs, env=ENV)


def ensure_chromium(session: nox.Session) -> None:
    """Browser tests use Debian's Chromium; Playwright's own download does not work here."""
    if shutil.which("chromium") or os.path.exists("/usr/bin/chromium"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        session.error("Chromium not found: install it (Debian: apt-get install -y chromium)")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the committed fragments: responses shown on pages, "Tested with" line."""
    install(session)
    session.run("python", "-m", "guidekit", *session.posargs, env=ENV)


@nox.session(name="refresh-versions")
def refresh_versions(session: nox.Session) -> None:
    """Ask PyPI for the newest release of every package on the extensions map."""
    install(session)
    session.run("python", "-m", "guidekit.extensions", env=ENV)
    session.run("python", "-m", "guidekit", env=ENV)


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Recompile requirements.txt from the dependency groups in pyproject.toml (needs uv)."""
    groups = ["snippets", "test", "docs", "zensical", "bench", "contrib", "site"]
    session.run(
        "uv", "pip", "compile", "pyproject.toml", *[f"--group={g}" for g in groups],
        "--python-version=3.11", "--no-header", "-o", LOCK, *session.posargs,
        env={**os.environ, "UV_CUSTOM_COMPILE_COMMAND": "nox -s lock"},
    )  # fmt: skip
