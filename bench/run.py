"""`python -m bench.run [--quick]`: measure the apps under real servers, and the guide's pipeline.

One job per module: `bench.load` (servers and wrk), `bench.pipeline` (test and build
times), `bench.machine` (what the numbers came from); this module runs them in turn and
hands the results to `bench.report`, which writes the results, the chart and the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import BENCH, load, report
from bench.machine import machine
from bench.pipeline import pipeline
from guidekit.topics import ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one short run per case (~2 min)")
    parser.add_argument(
        "--out",
        type=Path,
        help="write results, chart and table here instead of the committed files "
        "(default for --quick: bench/tmp/quick)",
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="load tests only")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk not found: install it (Debian: apt-get install wrk); nox -s bench does")
    settings = load.QUICK if args.quick else load.FULL
    out = args.out or (BENCH / "tmp" / "quick" if args.quick else None)
    started = time.monotonic()
    print(
        f"Benchmark ({settings.mode}): load on {load.HOST}, {load.WORKERS} worker per server",
        flush=True,
    )
    rows = []
    load_average = os.getloadavg()[0]
    for workload in load.WORKLOADS:
        rows += load.measure(workload, settings, BENCH / "tmp" / "logs")
    results = {
        "schema": 1,
        "command": "nox -s bench" + (" -- --quick" if args.quick else ""),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": load.recorded_settings(settings),
        "machine": machine() | {"load_average_before": round(load_average, 2)},
        "load": rows,
        "pipeline": None if args.skip_pipeline else pipeline(args.quick),
    }
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    for path in report.write(results, out):
        print(f"wrote: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"done in {results['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
