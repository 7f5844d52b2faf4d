"""`python -m bench.kit_port`: how long `flask2fastapi port` takes on a large app.

Ports the 1,000-route app that `bench.kit_scan` generates (200 modules, a factory
registering one blueprint per module), written as decorated blueprint views only
(`generate(..., shapes=False)`: RESTX and RESTful modules would keep the app in Flask and
leave the rules nothing to do), into a scratch folder, without the factory's one
`app.config` line (which would too),
`--repeat` times, and prints the median, min and max seconds. The target is under 10 s on
the project's 2-core machine. Not a test: the figure depends on the machine (and on what
else runs on it), so it is printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask2fastapi.port import port_tree

from bench.kit_scan import MODULES, ROUTES_PER_MODULE, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kit_port", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = generate(Path(tmp), shapes=False)
        factory = package / "__init__.py"
        lines = factory.read_text().splitlines(keepends=True)
        factory.write_text("".join(line for line in lines if "app.config" not in line))
        print(f"{MODULES} modules, {MODULES * ROUTES_PER_MODULE} routes; {os.cpu_count()} CPUs")
        times = []
        for i in range(args.repeat):
            start = time.perf_counter()
            report = port_tree(package, Path(tmp) / f"port{i}")
            times.append(time.perf_counter() - start)
        conversions = report.conversions()
        print(f"  conversions: {dict(conversions)}; TODOs: {len(report.todos)}", file=sys.stderr)
        print(
            f"port of {MODULES * ROUTES_PER_MODULE} routes: "
            f"median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs; "
            f"process CPU {time.process_time():.2f} s in all)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
