"""Measure the first release of each change: `nox -s bisect [-- CHANGE ...] [--all]`.

For one change of `guidekit.floors.CHANGES` (package P):

1. P's releases from the floor (the version the last `nox -s floors` installed, in
   data/floors.json) to the lock (requirements.txt), from PyPI's JSON API: final releases
   only (no pre-, dev- or yanked releases).
2. A probe of release R: the lock's packages are resolved again with `P==R` as a
   constraint and the lock itself as uv's preferences (`uv pip compile -o` keeps every pin
   it can), so every other package stays at the lock unless R's requirements force
   another; the probe records what the resolver moved. That set is installed, then
   pytest runs only the tests marked `change(NAME)` (conftest's `--change NAME`),
   expecting the new behaviour (`--change-expect after`: `has(NAME)` answers True
   whatever is installed).
3. The lock must pass and the floor must fail, else the change is not measurable as it
   stands; then a binary search finds the first passing release. With `--all` every
   release is probed instead, which shows a non-monotonic history (pass, fail, pass).

Then the release before the first one is probed once more expecting the old behaviour
(`--change-expect before`): `previous_before` says whether the tests' old answer holds there,
`previous_before_failed` names the tests where it does not (a test that does not branch on
`has()` fails there whatever the release: it pins no old answer).
Each change's result goes to data/floors.json under `bisect.<change>`: `first`, the release
before it (`previous`), every probe (`release`, `outcome`, `moved`: the packages the
resolver put at another version than the lock) and, when the search could not decide,
`problem` instead of `first` (a candidate that cannot be installed next to the boundary,
a floor that passes, a lock that fails, a non-monotonic history). Nothing is guessed.
The environment is put back at the lock at the end.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from guidekit import floors
from guidekit.topics import ROOT, TESTS

LOCK = ROOT / "requirements.txt"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
#: One probe's pytest run at most (seconds): a hung candidate is a failed probe.
PROBE_TIMEOUT = 600
#: Old releases warn about today's anyio, httpx...: not the behaviour measured here.
PYTEST_ARGS = ("-p", "no:xdist", "-q", "-W", "ignore::DeprecationWarning")
PYTEST_ARGS += ("-W", "ignore::PendingDeprecationWarning")


def pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file, by canonical name."""
    found = re.findall(r"^([A-Za-z0-9._-]+)==([^\s;#]+)", text, re.M)
    return {canonicalize_name(name): ver for name, ver in found}


def releases(package: str, floor: str, lock: str) -> list[str]:
    """Final, not yanked releases of `package` from `floor` to `lock` (both included),
    oldest first."""
    url = PYPI_JSON.format(name=canonicalize_name(package))
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
        data = json.load(response)
    low, high = Version(floor), Version(lock)
    found = []
    for text, files in data["releases"].items():
        try:
            release = Version(text)
        except InvalidVersion:
            continue
        if release.is_prerelease or release.is_devrelease or not low <= release <= high:
            continue
        if not files or all(f.get("yanked") for f in files):
            continue
        found.append(text)
    return sorted(found, key=Version)


def failed_tests(junit: Path) -> list[str]:
    """The tests a pytest JUnit report says failed or errored, named as data/floors.json does."""
    return sorted(
        f"{case.get('classname')}::{case.get('name')}"
        for case in ET.parse(junit).iter("testcase")  # noqa: S314 - our own pytest report
        if case.find("failure") is not None or case.find("error") is not None
    )


def test_files(change: str) -> list[str]:
    """The test modules that mention `change` (where its marks are): all pytest collects."""
    quoted = re.compile(rf"[\"']{re.escape(change)}[\"']")
    return sorted(
        str(path.relative_to(ROOT))
        for path in TESTS.rglob("test_*.py")
        if quoted.search(path.read_text(encoding="utf-8"))
    )


class Prober:
    """Installs a release of a package over the lock and runs one change's tests on it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.lock = pins(LOCK.read_text())

    def uv(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["uv", "pip", *args]
        run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if check and run.returncode:
            raise RuntimeError(f"{' '.join(command)}: {run.stderr.strip()[-2000:]}")
        return run

    def resolve(self, package: str, release: str) -> tuple[Path | None, dict[str, str], str]:
        """The lock re-resolved with `package==release`: (file, moved pins, error text).

        The input names every locked package without a version (pyproject's groups would
        refuse an older floor) and the output file starts as a copy of the lock, whose pins
        uv keeps wherever `package==release` allows.
        """
        target = self.workdir / f"{canonicalize_name(package)}-{release}.txt"
        target.write_text(LOCK.read_text())
        names = self.workdir / "lock-names.in"
        names.write_text("".join(f"{name}\n" for name in self.lock))
        constraint = self.workdir / "constraint.txt"
        constraint.write_text(f"{package}=={release}\n")
        run = self.uv(
            "compile", str(names), "--python-version=3.11", "--no-header", "--quiet",
            "-c", str(constraint), "-o", str(target), check=False,
        )  # fmt: skip
        if run.returncode:
            return None, {}, run.stderr.strip()[-1500:]
        resolved = pins(target.read_text())
        moved = {
            name: f"{self.lock.get(name, '(none)')} -> {ver}"
            for name, ver in sorted(resolved.items())
            if self.lock.get(name) != ver
        }
        return target, moved, ""

    def install(self, requirements: Path) -> None:
        self.uv("install", "--python", sys.executable, "-r", str(requirements))

    def probe(
        self, change: str, package: str, release: str, files: list[str], expect: str = "after"
    ) -> dict:
        """One release: its outcome ("passed", "failed", "not installable", "error ...").

        `expect`: the behaviour the tests expect (conftest's `--change-expect`).
        """
        started = time.monotonic()
        requirements, moved, error = self.resolve(package, release)
        result: dict = {"release": release}
        if requirements is None:
            result.update(outcome="not installable", error=error)
            return result
        try:
            self.install(requirements)
        except RuntimeError as exc:
            result.update(outcome="not installable", moved=moved, error=str(exc))
            return result
        report = self.workdir / "probe-junit.xml"
        report.unlink(missing_ok=True)
        command = [sys.executable, "-m", "pytest", *PYTEST_ARGS, f"--junitxml={report}"]
        command += ["--change", change, "--change-expect", expect, *files]
        try:
            run = subprocess.run(
                command, capture_output=True, text=True, cwd=ROOT, timeout=PROBE_TIMEOUT,
                check=False,
            )  # fmt: skip
            code = run.returncode
            summary = (run.stdout.strip().splitlines() or [""])[-1]
        except subprocess.TimeoutExpired:
            code, summary = -1, f"timed out after {PROBE_TIMEOUT} s"
        outcome = {0: "passed", 1: "failed"}.get(code, f"error (pytest exit {code})")
        result.update(outcome=outcome, summary=summary, moved=moved)
        if report.is_file():
            result["failed_tests"] = failed_tests(report)
        result["seconds"] = round(time.monotonic() - started, 1)
        print(f"  {package} {release} ({expect}): {outcome} ({summary})", flush=True)
        return result

    def restore(self) -> None:
        self.install(LOCK)


def bisect(prober: Prober, change: str, floor: str, everything: bool = False) -> dict:
    """The first release of `change` whose marked tests pass, or the problem that stops it."""
    package = floors.CHANGES[change].package
    lock = prober.lock[canonicalize_name(package)]
    files = test_files(change)
    result: dict = {"package": package, "floor": floor, "lock": lock, "test_files": files}
    if not files:
        return {**result, "problem": "no test module marks it"}
    candidates = sorted({*releases(package, floor, lock), floor, lock}, key=Version)
    result["releases"] = len(candidates)
    print(f"{change}: {package} {floor}..{lock}, {len(candidates)} releases", flush=True)
    probes: dict[str, dict] = {}

    def outcome(release: str) -> str:
        if release not in probes:
            probes[release] = prober.probe(change, package, release, files)
        return probes[release]["outcome"]

    def finish(**found: object) -> dict:
        ordered = sorted(probes.values(), key=lambda p: Version(p["release"]))
        return {**result, **found, "probes": ordered}

    if everything:
        for release in candidates:
            outcome(release)
    if outcome(lock) != "passed":
        return finish(problem=f"the lock ({lock}) does not pass: {probes[lock]['outcome']}")
    if outcome(floor) != "failed":
        return finish(problem=f"the floor ({floor}) does not fail: {probes[floor]['outcome']}")
    usable = list(candidates)
    low, high = usable.index(floor), usable.index(lock)  # failing, passing
    while high - low > 1:
        middle = (low + high) // 2
        state = outcome(usable[middle])
        if state == "passed":
            high = middle
        elif state == "failed":
            low = middle
        else:  # cannot be installed or errored: leave it out, search the rest
            del usable[middle]
            high -= 1
    first, previous = usable[high], usable[low]
    skipped = candidates[candidates.index(previous) + 1 : candidates.index(first)]
    if skipped:
        return finish(
            problem=f"first passing {first}, last failing {previous}, "
            f"undecided between them: {', '.join(skipped)}"
        )
    states = [(Version(p["release"]), p["outcome"]) for p in probes.values()]
    decided = [(v, s) for v, s in states if s in ("passed", "failed")]
    if any((v >= Version(first)) != (s == "passed") for v, s in decided):
        history = ", ".join(f"{v} {s}" for v, s in sorted(states))
        return finish(problem=f"not monotonic: {history}")
    # The release before the boundary, expecting the old behaviour: does it pin what the
    # tests say older releases do (not only fail the new expectation)?
    old = prober.probe(change, package, previous, files, expect="before")
    found = {"first": first, "previous": previous, "previous_before": old["outcome"]}
    return finish(**found, previous_before_failed=old.get("failed_tests", []))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bisect --", description=__doc__.split("\n")[0])
    parser.add_argument("changes", nargs="*", help="names in CHANGES (default: all)")
    parser.add_argument("--all", action="store_true", help="probe every release, not a bisection")
    parser.add_argument("--workdir", type=Path, required=True)
    options = parser.parse_args(argv)
    unknown = sorted(set(options.changes) - set(floors.CHANGES))
    if unknown:
        parser.error(f"not in CHANGES: {', '.join(unknown)}")
    record = json.loads(floors.FLOORS_FILE.read_text()) if floors.FLOORS_FILE.is_file() else {}
    versions = {canonicalize_name(k): v for k, v in record.get("versions", {}).items()}
    prober = Prober(options.workdir)
    results = dict(record.get("bisect", {}))
    try:
        for change in options.changes or list(floors.CHANGES):
            started = time.monotonic()
            package = floors.CHANGES[change].package
            floor = versions.get(canonicalize_name(package))
            if floor is None:
                results[change] = {"package": package, "problem": "no floor: run `nox -s floors`"}
            else:
                results[change] = bisect(prober, change, floor, options.all)
            results[change]["seconds"] = round(time.monotonic() - started)
            verdict = results[change].get("first") or f"PROBLEM: {results[change]['problem']}"
            print(f"{change}: {verdict} ({results[change]['seconds']} s)", flush=True)
            floors.write(bisect={k: results[k] for k in floors.CHANGES if k in results})
    finally:
        prober.restore()
    problems = [name for name in options.changes or floors.CHANGES if "problem" in results[name]]
    for name in problems:
        print(f"NOT MEASURED {name}: {results[name]['problem']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
