"""`python -m bench.kit_port`: how long `flask2fastapi port` takes on a large app.

Ports the 1,000-route app that `bench.kit_scan` generates (200 modules, a factory
registering one blueprint per module), written as decorated blueprint views only
(`generate(..., shapes=False)`: RESTX and RESTful modules would keep the app in Flask and
leave the rules nothing to do), into a scratch folder, without the factory's one
`app.config` line (which would too),
`--repeat` times, and prints the median, min and max seconds, wall-clock and CPU (the
process's and its port workers', see `flask2fastapi.port.driver.PARALLEL_FROM`: on a
shared machine the CPU seconds are the fairer figure), with the load average at the start
(`os.getloadavg()`: above the CPU count, the wall figure says more about the neighbours).
The target is under 10 s on the project's 2-core machine. Not a test: the figure depends
on the machine (and on what else runs on it), so it is printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask2fastapi.port import port_tree

from bench.kit_scan import MODULES, ROUTES_PER_MODULE, generate


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished child processes."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kit_port", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = generate(Path(tmp), shapes=False)
        factory = package / "__init__.py"
        lines = factory.read_text().splitlines(keepends=True)
        factory.write_text("".join(line for line in lines if "app.config" not in line))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"{MODULES} modules, {MODULES * ROUTES_PER_MODULE} routes; {os.cpu_count()} CPUs; "
            f"load average {load}"
        )
        times, cpus = [], []
        for i in range(args.repeat):
            start, cpu = time.perf_counter(), _cpu()
            report = port_tree(package, Path(tmp) / f"port{i}")
            times.append(time.perf_counter() - start)
            cpus.append(_cpu() - cpu)
        conversions = report.conversions()
        print(f"  conversions: {dict(conversions)}; TODOs: {len(report.todos)}", file=sys.stderr)
        print(
            f"port of {MODULES * ROUTES_PER_MODULE} routes: "
            f"median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs); "
            f"CPU median {statistics.median(cpus):.2f} s "
            f"(min {min(cpus):.2f}, max {max(cpus):.2f}, workers included)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
