"""`nox -s deploy` publishes only what passed: run for real against throwaway bare remotes.

Run by `nox -s deploy_check`; the default `tests` run skips this folder (it takes a minute
or two). Each test deploys a copy of the working tree, made into a git repo of its own,
so that the check covers what is about to be committed and never touches a real remote.
The nested nox reuses the calling session's virtualenvs (`--envdir`), so it installs nothing new,
and finds there the stamp a passing `nox -s tests` left for this exact tree (guidekit/passed.py):
the publishing deploy then skips a second run of the same suite, while the broken tree, whose
digest differs, runs it and is refused. That run stops at its first failure (`-x`), which comes
within seconds: the suite runs the topics first, in the guide's reading order (tests/conftest.py),
and the broken one, hello-world, is the first page of the guide. `nox -s deploy_check` runs
the two tests at once, one per xdist worker.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidekit.pages import page_for_topic
from guidekit.passed import committable_files
from guidekit.topics import DOCS, ROOT, topics

#: Seconds one `nox -s deploy` may take: the tests (unless stamped), a strict build and a push.
NOX_TIMEOUT = 600
#: The address the checked deploys build the site for (deploy reads SITE_URL).
SITE_URL = "https://deploy-check.example.invalid/guide/"
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "deploy check",
    "GIT_AUTHOR_EMAIL": "deploy-check@example.invalid",
    "GIT_COMMITTER_NAME": "deploy check",
    "GIT_COMMITTER_EMAIL": "deploy-check@example.invalid",
}


def _env() -> dict[str, str]:
    """This environment, less the outer session's virtualenv, with a git identity and SITE_URL."""
    drop = {"VIRTUAL_ENV", "DEPLOY_REMOTE", "SITE_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return env | _GIT_ENV | {"SITE_URL": SITE_URL}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],  # noqa: S607 - git from PATH, as the deploy itself uses it
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def nox_command() -> list[str]:
    """nox itself: `deploy_check` passes the interpreter that runs it, else nox on PATH."""
    if python := os.environ.get("NOX_PYTHON"):
        return [python, "-m", "nox"]
    if found := shutil.which("nox"):
        return [found]
    pytest.skip("nox is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The working tree as git sees it (tracked and new files, not ignored ones), committed."""
    dest = tmp_path / "repo"
    for name in committable_files():  # the files the suite's "passed" stamp is a digest of
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "Snapshot of the working tree")
    return dest


def deploy(repo: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`nox -s deploy -- --remote-name local` with `local` a fresh bare repo; returns it too."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "local", str(remote))
    command = [*nox_command(), "-s", "deploy", "--reuse-venv", "yes"]
    envdir = os.environ.get("NOX_ENVDIR", str(ROOT / ".nox"))
    command += ["--envdir", envdir, "--", "--remote-name", "local"]
    done = subprocess.run(
        command,
        cwd=repo,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=NOX_TIMEOUT,
    )
    sys.stdout.write(done.stdout[-5000:])  # shown by pytest when the test fails
    return done, remote


def test_deploy_publishes_the_site_when_tests_and_build_pass(repo, tmp_path):
    done, remote = deploy(repo, tmp_path)
    assert done.returncode == 0, "nox -s deploy failed; its output is above"
    published = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    expected = {"index.html", "404.html", "sitemap.xml", "llms.txt"}
    for topic in topics():
        page = page_for_topic(topic)
        assert page is not None, f"topic {topic} has no page"
        expected.add(f"{page.relative_to(DOCS).with_suffix('')}/index.html")
    assert expected <= published, f"missing from gh-pages: {sorted(expected - published)}"
    # Built for its published address, not the local default.
    assert SITE_URL in git(remote, "show", "gh-pages:sitemap.xml")


def test_deploy_pushes_nothing_when_a_test_fails(repo, tmp_path):
    app = repo / "snippets" / "hello-world" / "fastapi_app.py"
    source = app.read_text()
    assert '@app.get("/info")' in source
    app.write_text(source.replace('@app.get("/info")', '@app.get("/info", status_code=201)'))
    git(repo, "commit", "-q", "-am", "Break hello-world's FastAPI variant")
    done, remote = deploy(repo, tmp_path)
    assert done.returncode != 0
    # The unbroken tree's "passed" stamp (if `nox -s tests` left one) is not this tree's.
    assert "not rerun" not in done.stdout
    assert re.search(r"^FAILED tests/test_hello_world\.py::\w+\[fastapi\]", done.stdout, re.M)
    assert "nox > mkdocs gh-deploy" not in done.stdout  # never reached
    assert git(remote, "for-each-ref", "refs/heads") == ""  # no gh-pages, no branch at all
