"""The one entry point: `nox` runs what CI runs; `nox -l` lists every session.

Every session installs the pinned lock (requirements.txt), so a build next month uses what
was tested. Virtualenvs are reused and uv is used when present, so a second run is fast.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from guidekit.topics import ENV, is_topic_name, topic_pytest_args

# nox's own scheduler runs sessions side by side (`--parallel`, `allow_parallel=`): 2026.10.20.
nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
# `site` builds the site strictly before its browser tests, so `docs` is not run twice here.
nox.options.sessions = ["tests", "lint", "site"]
# The three run at once, each session's output printed whole as it ends; `nox` fails if any
# does. One after the other they leave a core idle: while virtualenvs are made (disk, not CPU),
# during the strict build (one core) and each suite's last tests.
# Only sessions marked allow_parallel=True overlap; any other runs alone (`docs` and
# `search_quality` build into site/ as `site` does).
nox.options.parallel = 3

LOCK = "requirements.txt"


def install(session: nox.Session) -> None:
    """The pinned lock, then the kit (kit/) editable: the guide's harness is built on it."""
    session.install("-r", LOCK)
    # The lock holds the kit's build backend: no build isolation, so nothing unpinned is fetched.
    session.install("--no-deps", "--no-build-isolation", "-e", "./kit")


def run_tests(session: nox.Session, *args: str, **kwargs: Any) -> Any:
    """pytest with `args` (by default the whole suite in parallel, as `latest` runs it)."""
    return session.run("pytest", *(args or ("-n", "auto")), env=ENV, **kwargs)


#: The kit's and the tooling's tests: the full run (`run_suite`) runs them apart, untraced.
UNTRACED = ("tests/kit", "tests/tooling")


def run_suite(session: nox.Session, *extra: str) -> None:
    """The gate `tests` and `deploy` share, in two pytest runs, `extra` passed to both.

    First the snippets' own tests (topics, the hostile-input battery) under coverage, which
    must reach 100 % of snippets/; then the UNTRACED folders without it. Those run snippet
    apps only as input and reach no line the first run misses, but tracing their
    pure-Python work (LibCST) cost ~100 of the suite's ~500 CPU-s (2 cores, `/usr/bin/time`).
    """
    ignore = [f"--ignore={folder}" for folder in UNTRACED]
    run_tests(session, "-n", "auto", "--cov", "--cov-report=term-missing", *ignore, *extra)
    run_tests(session, "-n", "auto", *UNTRACED, *extra)


def build_docs(session: nox.Session, *args: str, env: dict[str, str] = ENV) -> None:
    """Fresh fragments, then a strict build: the gate that every published site passes."""
    check_fragments(session, env)
    session.run("mkdocs", "build", "--strict", *args, env=env)


def check_fragments(session: nox.Session, env: dict[str, str] = ENV) -> None:
    """`python -m guidekit --check`, unless the full suite passed on this exact tree: its
    tooling tests check every generator (tests/tooling/test_generated.py proves they do)."""
    if (stamp := passed_stamp(session)).exists():
        session.log(f"fragments checked by the suite that passed on this tree ({stamp.name[:12]})")
    else:
        session.run("python", "-m", "guidekit", "--check", env=env)


@nox.session(allow_parallel=True)
def tests(session: nox.Session) -> None:
    """Snippet pairs, parity harness and meta-tests, in parallel, with coverage of snippets/.

    The full run (no arguments) records that it passed on this exact tree (guidekit/passed.py),
    so that `deploy` does not run the same suite again on the same files.
    """
    install(session)
    if session.posargs:
        run_tests(session, *session.posargs)
        return
    stamp = passed_stamp(session)  # the tree's digest, taken before the run
    run_suite(session)  # raises on a failure: the stamp below is written only if it passed
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def passed_stamp(session: nox.Session) -> Path:
    """The stamp of this tree in this nox envdir (its digest is taken before the run)."""
    from guidekit.passed import stamp_path

    return stamp_path(Path(session.virtualenv.location).parent)


@nox.session(allow_parallel=True)
def lint(session: nox.Session) -> None:
    """The hooks of .pre-commit-config.yaml: ruff check and format, whitespace, workflow schemas.

    One list of checks for this session, CI and the git hook. `--all-files` sees only what
    git tracks, so untracked files (a new topic before its `git add`) get a second run.
    Fixers rewrite what they fix and the session fails: rerun it to see it pass.
    """
    # pre-commit alone, at the lock's versions: each hook has its own environment.
    session.install("pre-commit", "-c", LOCK)
    # In CI the log shows what the fixers changed; locally `git diff` does, unmixed.
    options = ["--show-diff-on-failure"] if os.environ.get("CI") else []
    session.run("pre-commit", "run", "--all-files", *options)
    untracked = session.run(
        "git", "ls-files", "--others", "--exclude-standard", "-z", external=True, silent=True
    )
    if new := [name for name in untracked.split("\0") if name]:
        session.run("pre-commit", "run", *options, "--files", *new)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site in strict mode: any warning, missing include or broken link fails."""
    install(session)
    build_docs(session, *session.posargs)


@nox.session
def topic(session: nox.Session) -> None:
    """One topic while you work on it: `nox -s topic -- TOPIC` (seconds, not minutes).

    Its tests on both apps, its meta-tests (complete, in the nav and the migration
    checklist, no TODO left, includes resolve), its generated fragments and inline
    examples. Arguments after TOPIC go to pytest (`-x`, `-v`, `--lf`...).
    """
    if not session.posargs or not is_topic_name(session.posargs[0]):
        session.error("usage: nox -s topic -- TOPIC [PYTEST ARGS] (TOPIC in kebab-case)")
    name, *extra = session.posargs
    install(session)
    session.run("pytest", *topic_pytest_args(name), *extra, env=ENV)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site with live reload: `nox -s serve -- --port 8001` (default 8000).

    It rebuilds when a page, mkdocs.yml, a snippet or an include changes. Other arguments
    go to `mkdocs serve`.
    """
    parser = argparse.ArgumentParser(prog="nox -s serve --")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1")
    options, rest = parser.parse_known_args(session.posargs)
    install(session)
    address = f"127.0.0.1:{options.port}"
    watch = ["--watch", "snippets", "--watch", "includes"]
    session.run("mkdocs", "serve", "--dev-addr", address, *watch, *rest, env=ENV)


@nox.session(allow_parallel=True)
def site(session: nox.Session) -> None:
    """Build the site and test it in Chromium's headless shell (Debian's package)."""
    install(session)
    ensure_chromium(session)
    build_docs(session)
    run_browser_tests(session, *session.posargs)


#: pytest-playwright and pytest-base-url are off by default (pyproject's addopts).
BROWSER_PLUGINS = ("-p", "playwright", "-p", "base_url")


def run_browser_tests(session: nox.Session, *args: str, env: dict[str, str] = ENV) -> None:
    """tests/site in parallel (one Chromium per xdist worker, one server for all of them),
    handed out longest first (tests/site/conftest.py orders them)."""
    session.run("pytest", *BROWSER_PLUGINS, *(args or ("tests/site", "-n", "auto")), env=env)


@nox.session(name="search_quality")
def search_quality(session: nox.Session) -> None:
    """Top-1 and top-3 of the search query set and of the 533 Flask names, two engines.

    Builds the site keeping the theme's lunr index beside Pagefind's (hooks/pagefind_index.py),
    runs both engines in Chromium on data/search-queries.toml and the Flask names, prints
    the figures and rewrites data/search-results.json. The shipped engine's floors are asserted by
    tests/site/test_search_quality.py in `nox -s site`.
    """
    install(session)
    ensure_chromium(session)
    env = {**ENV, "KEEP_LUNR_INDEX": "1"}  # hooks/pagefind_index.py keeps the theme's index
    build_docs(session, env=env)
    module = "tests/site/test_search_quality.py"
    select = ["-k", "compare or built_index or separator"]
    run_browser_tests(session, module, *select, "-s", "-p", "no:xdist", *session.posargs)


@nox.session
def audit(session: nox.Session) -> None:
    """Lighthouse CI on the home page and one topic page, served gzip-compressed.

    Not part of `nox`: scores move with Lighthouse releases and machine load. Builds the
    site, installs Lighthouse CI from tools/audit/package-lock.json (npm), runs it three
    times per page in Debian's Chromium against lhci's own static server (which compresses,
    as a real host does), prints the four category scores and the bytes transferred, then
    fails below the targets of tools/audit/lighthouserc.json: 100 everywhere, < 300 KiB.
    In between, tools/audit/mainthread.py prints each page's main-thread work in CPU time.
    Lighthouse's default is a throttled phone; `nox -s audit -- --settings.preset=desktop`
    audits as a desktop browser.
    """
    install(session)
    ensure_chromium(session, "chromium")
    ensure_debian_package(session, "npm")
    build_docs(session)
    tools = Path("tools/audit")
    session.run("npm", "ci", "--prefix", str(tools), "--no-audit", "--no-fund", external=True)
    lhci = str(tools / "node_modules/.bin/lhci")
    config = f"--config={tools / 'lighthouserc.json'}"
    env = {**ENV, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    shutil.rmtree(".lighthouseci", ignore_errors=True)  # only this run's reports
    session.run(lhci, "collect", config, *session.posargs, env=env, external=True)
    session.run(lhci, "upload", config, env=env, external=True)  # to .lighthouseci/reports
    session.run("python", str(tools / "report.py"), ".lighthouseci/reports", env=ENV)
    # The same pages' main-thread work counted in CPU time: figures a busy machine moves little.
    session.run("python", str(tools / "mainthread.py"), env=ENV)
    session.run(lhci, "assert", config, env=env, external=True)


def ensure_chromium(session: nox.Session, package: str = "chromium-headless-shell") -> None:
    """Debian's Chromium: its headless shell for the browser tests (tests/site/conftest.py
    says why), the whole browser for Lighthouse. Playwright's own download does not work here."""
    ensure_debian_package(session, package)


def ensure_debian_package(session: nox.Session, command: str, package: str | None = None) -> None:
    """Install a tool from Debian when it is missing (as root), or say how to install it."""
    if shutil.which(command):
        return
    package = package or command
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        session.error(f"{command} not found: install it (Debian: apt-get install -y {package})")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", package, external=True)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate the committed fragments: responses shown on pages, "Tested with" line."""
    install(session)
    session.run("python", "-m", "guidekit", *session.posargs, env=ENV)


@nox.session
def traps(session: nox.Session) -> None:
    """Run exactly the tests that data/field-reports.toml names for its answered reports.

    `nox -s traps [-- PYTEST ARGS]`; the list comes from `python -m guidekit.traps`.
    """
    install(session)
    listed = session.run("python", "-m", "guidekit.traps", env=ENV, silent=True)
    tests = (listed or "").split()
    if not tests:
        session.error("data/field-reports.toml names no test")
    run_tests(session, *tests, *session.posargs)


@nox.session(name="refresh-versions")
def refresh_versions(session: nox.Session) -> None:
    """Ask PyPI for the newest release of every package on the extensions map."""
    install(session)
    session.run("python", "-m", "guidekit.extensions", *session.posargs, env=ENV)
    session.run("python", "-m", "guidekit", env=ENV)


#: The dependency groups of pyproject.toml that requirements.txt pins.
LOCK_GROUPS = ("snippets", "test", "docs", "zensical", "bench", "contrib", "site")


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Recompile requirements.txt from the dependency groups in pyproject.toml (needs uv)."""
    session.run(
        "uv", "pip", "compile", "pyproject.toml", *[f"--group={g}" for g in LOCK_GROUPS],
        "--python-version=3.11", "--no-header", "-o", LOCK, *session.posargs,
        env={**os.environ, "UV_CUSTOM_COMPILE_COMMAND": "nox -s lock"},
    )  # fmt: skip


@nox.session
def deploy(session: nox.Session) -> None:
    """Publish the site to the remote's gh-pages branch, only if the tests and strict build pass.

    `nox -s deploy -- --remote-name NAME` (or DEPLOY_REMOTE=NAME) picks the git remote;
    origin by default. SITE_URL overrides the address the site is built for, which is
    otherwise the GitHub Pages address of mkdocs.yml's repo_url.
    """
    parser = argparse.ArgumentParser(prog="nox -s deploy --")
    parser.add_argument("--remote-name", default=os.environ.get("DEPLOY_REMOTE", "origin"))
    remote = parser.parse_args(session.posargs).remote_name
    env = {**ENV, "SITE_URL": published_url(session)}
    install(session)
    if (stamp := passed_stamp(session)).exists():
        session.log(f"the full suite passed on this exact tree ({stamp.name[:12]}): not rerun")
    else:
        # -x: a failure refuses the deploy at once; a failure raises: nothing below runs.
        run_suite(session, "-x")
    check_fragments(session, env)
    # gh-deploy builds the site (strict) once more from the same files: that build ships.
    session.run(
        "mkdocs", "gh-deploy", "--strict", "--force",
        "--remote-name", remote, "--remote-branch", "gh-pages", env=env,
    )  # fmt: skip


def published_url(session: nox.Session) -> str:
    """SITE_URL, or https://OWNER.github.io/NAME/ from repo_url, the one place naming the repo."""
    if url := os.environ.get("SITE_URL"):
        return url
    config = Path("mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(r"^repo_url: https://github\.com/([^/\s]+)/([^/\s]+?)/?\s*$", config, re.M)
    if not found:
        session.error("mkdocs.yml's repo_url is not on GitHub: set SITE_URL to deploy")
    owner, name = found.groups()
    return f"https://{owner.lower()}.github.io/{name}/"


@nox.session(allow_parallel=True)
def deploy_check(session: nox.Session) -> None:
    """Prove `deploy` for real: what passes reaches a bare remote's gh-pages, what fails doesn't."""
    install(session)
    # The nested nox runs on the interpreter running this one and reuses its virtualenvs.
    envdir = str(Path(session.virtualenv.location).parent)
    # The two deploys run at once (-n 2): the virtualenv they share is made first, not by both.
    nested = [sys.executable, "-m", "nox", "--envdir", envdir, "--reuse-venv", "yes"]
    session.run(*nested, "-s", "deploy", "--install-only", external=True)
    args = session.posargs or ["tests/deploy", "-n", "2", "-v"]
    session.run("pytest", *args, env={**ENV, "NOX_PYTHON": sys.executable, "NOX_ENVDIR": envdir})


@nox.session
def new(session: nox.Session) -> None:
    """Start a topic: `nox -s new -- TOPIC --section SECTION` (page, apps, requests, tests, nav)."""
    install(session)
    session.run("python", "-m", "guidekit.scaffold", *session.posargs, env=ENV)


@nox.session
def bench(session: nox.Session) -> None:
    """Measure Flask and FastAPI under real servers with wrk; rewrite the performance results.

    `nox -s bench` (under 10 minutes on 2 cores) rewrites bench/results/results.json,
    docs/performance/throughput.svg and includes/performance-results.md;
    `nox -s bench -- --quick` (under 2 minutes) writes to bench/tmp/quick/ instead.
    """
    install(session)
    ensure_debian_package(session, "wrk")
    session.run("python", "-m", "bench.run", *session.posargs, env=ENV)


@nox.session(name="kit-bench")
def kit_bench(session: nox.Session) -> None:
    """Time `flask2fastapi scan` on a generated app: 200 modules, 1,000 routes (target < 2 s)."""
    install(session)
    session.run("python", "-m", "bench.kit_scan", *session.posargs, env=ENV)


@nox.session(name="port-bench")
def port_bench(session: nox.Session) -> None:
    """Time `flask2fastapi port` on the same generated 1,000-route app (target < 10 s)."""
    install(session)
    session.run("python", "-m", "bench.kit_port", *session.posargs, env=ENV)


@nox.session
def port_proof(session: nox.Session) -> None:
    """Port every topic's Flask app and the sample shop, compare each with `parity`, and
    rewrite includes/your-app/port-proof.md (`-- --check`: only compare the inputs' hash)."""
    install(session)
    session.run("python", "-m", "guidekit.portproof", *session.posargs, env=ENV)


@nox.session(allow_parallel=True)
def zensical(session: nox.Session) -> None:
    """Build the site with Zensical, Material's successor, from the same mkdocs.yml.

    Into site-zensical/ (SITE_DIR), strict: broken links, anchors and includes fail it.
    Pinned at 0.0.73 by the lock: later releases need `zensical-ui`, which the package
    index here does not serve. What it renders differently: CONTRIBUTING.md, "Zensical
    compatibility". Then the search tests that hold on any build (ZENSICAL_BROWSER_TESTS: the
    Pagefind worker answering Zensical's search dialog) run on it in Chromium.
    `nox -s zensical -- --browser` runs all the browser tests instead; the others expect
    Material's markup and contrast fixes, so today many of them fail.
    """
    install(session)
    ensure_chromium(session)
    env = {**ENV, "SITE_DIR": "site-zensical"}
    session.run("zensical", "build", "--strict", env=env)
    # Zensical runs no MkDocs hooks: the Pagefind index the search worker reads, made here
    # (and Zensical's search.json trimmed to what its dialog draws results from).
    session.run("python", "hooks/pagefind_index.py", "site-zensical", env=env)
    if "--browser" in session.posargs:
        run_browser_tests(session, env=env)
    else:  # three tests: one Chromium is quicker than xdist's workers
        run_browser_tests(session, ZENSICAL_BROWSER_TESTS, "-p", "no:xdist", env=env)


#: The browser tests that hold on Zensical's build as on Material's.
ZENSICAL_BROWSER_TESTS = "tests/site/test_search_any_build.py"


#: What `latest` upgrades past the lock: the frameworks and what their behaviour rests on.
UPSTREAM = ("flask", "werkzeug", "fastapi", "starlette", "pydantic", "pydantic-core", "httpx2")
PRINT_VERSIONS = (
    "import sys, importlib.metadata as m; [print(n, m.version(n)) for n in sys.argv[1:]]"
)


@nox.session
def latest(session: nox.Session) -> None:
    """The test suite on the newest Flask, Werkzeug, FastAPI, Starlette, Pydantic and httpx2.

    Installs the lock, upgrades those past it (requirements.txt is left as it is), runs every
    test without stopping at a failure, and names the topics that broke: fails if any did.
    The "Tested with" line is not checked: it is meant to lag until the lock moves.
    """
    install(session)
    session.install("--upgrade", *UPSTREAM)
    session.run("python", "-c", PRINT_VERSIONS, *UPSTREAM)
    report = Path(session.create_tmp()) / "latest-junit.xml"
    stale_on_purpose = (
        "tests/tooling/test_generated.py::test_tested_with_line_matches_installed_versions"
    )
    run_tests(
        session, "-n", "auto", f"--junitxml={report}", "--deselect", stale_on_purpose,
        success_codes=[0, 1],  # failures are summarised below; anything worse stops here
    )  # fmt: skip
    session.run("python", "-m", "guidekit.junit", str(report), env=ENV)


#: The older release set `floors` installs over the lock: the FastAPI, Starlette and
#: Pydantic releases of November 2025, and the first Flask 3 with its Werkzeug.
FLOOR_SET = (
    "fastapi==0.121.3",
    "fastapi-cli==0.0.16",
    "starlette==0.50.0",
    "pydantic==2.12.4",
    "flask==3.0.0",
    "werkzeug==3.0.0",
    "httpx",  # Starlette < 1 builds its TestClient on httpx, not httpx2
)


@nox.session
def floors(session: nox.Session) -> None:
    """The topic suite on an older release set (FLOOR_SET); records what held.

    Installs the lock, then the floor set over it (requirements.txt is left as it is), runs
    every test without stopping at a failure, and writes data/floors.json: the versions, the
    tests that failed (with their `change(...)` marks), and the outcome of each marked test.
    Commit that file and run `nox -s generate`: pages read their "since" notes from it, and
    tests/tooling/test_floors.py fails on a failure no change explains. The first release of
    each change is `nox -s bisect`'s. Not in the default run.
    """
    install(session)
    session.install(*FLOOR_SET)
    report = Path(session.create_tmp()) / "floors-junit.xml"
    stale_on_purpose = "tests/tooling/test_generated.py"  # fragments show the lock's answers
    record_checks = "tests/tooling/test_floors.py"  # they read the record this run rewrites
    run_tests(
        session, "-n", "auto", f"--junitxml={report}", "--ignore", stale_on_purpose,
        "--ignore", record_checks,
        # Old releases warn about today's anyio, httpx...: not the behaviour measured here.
        "-W", "ignore::DeprecationWarning", "-W", "ignore::PendingDeprecationWarning",
        success_codes=[0, 1],
    )  # fmt: skip
    session.run("python", "-m", "guidekit.floors", str(report), env=ENV)


@nox.session
def bisect(session: nox.Session) -> None:
    """Measure each change's first release: `nox -s bisect [-- CHANGE ...] [--all]`.

    For each change of guidekit/floors.py (all by default): its package's releases from the
    floor (data/floors.json, from `nox -s floors`) to the lock, each installed over the lock
    (other packages move only where its requirements force them), the tests marked with the
    change run expecting the new behaviour, a binary search for the first release that
    passes them (`--all`: every release). Writes `bisect` in data/floors.json; commit it and
    run `nox -s generate`. Fails naming each change it could not measure. Not in the default
    run; about a minute per change. How it works: guidekit/bisect.py.
    """
    install(session)
    workdir = session.create_tmp()
    session.run("python", "-m", "guidekit.bisect", "--workdir", workdir, *session.posargs, env=ENV)
