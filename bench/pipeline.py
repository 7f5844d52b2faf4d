"""The guide's own pipeline, timed: each topic's test module and the strict site build."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

from bench import ENV
from guidekit.topics import ROOT, topic_test_module, topics

QUICK_TOPICS = ("hello-world", "json-body", "databases")


@dataclass
class Timed:
    name: str
    seconds: float
    ok: bool
    tests: int | None = None


def timed(command: list[str], name: str, timeout: float) -> Timed:
    start = time.perf_counter()
    proc = subprocess.run(
        command, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=timeout, check=False
    )
    seconds = round(time.perf_counter() - start, 2)
    if proc.returncode != 0:  # recorded as failed; show why, then carry on timing
        print((proc.stdout + proc.stderr)[-2000:], file=sys.stderr)
    passed = re.search(r"(\d+) passed", proc.stdout)
    return Timed(name, seconds, proc.returncode == 0, int(passed.group(1)) if passed else None)


def pipeline(quick: bool) -> dict:
    """Wall time of each topic's test module and of the strict build, as a reader runs them."""
    names = [t for t in topics() if t in QUICK_TOPICS] if quick else topics()
    rows = []
    for topic in names:
        test_file = str(topic_test_module(topic).relative_to(ROOT))
        command = [sys.executable, "-m", "pytest", test_file, "-p", "no:xdist", "-q"]
        result = timed(command, topic, timeout=300)
        print(f"  tests   {topic:32} {result.seconds:6.2f} s  ok={result.ok}", flush=True)
        rows.append(asdict(result))
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", out]
        build = timed(command, "mkdocs build --strict", timeout=600)
    print(f"  build   {build.seconds:6.2f} s  ok={build.ok}", flush=True)
    return {
        "topics_total": len(topics()),
        "tests": rows,
        "build": {"command": build.name, "seconds": build.seconds, "ok": build.ok},
    }
