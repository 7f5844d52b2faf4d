"""`python -m bench.kit_scan`: how long `flask2fastapi scan` takes on a large app.

Generates a Flask app of 200 modules holding 1,000 routes (a factory registering one
blueprint per module, converters of every kind, the Flask API a real view uses), then times
the scan both ways: from source (parsed, not imported) and from the imported app's URL map.
Each is run `--repeat` times after one warm-up; the median, min and max are printed. The
target is under 2 s for the source scan on the project's 2-core machine. Not a test: the
figure depends on the machine, so it is reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask2fastapi import report
from flask2fastapi.scan import scan

MODULES = 200
ROUTES_PER_MODULE = 5
RULES = (
    ("/", "GET"),
    ("/<int:item_id>", "GET"),
    ("/<uuid:ref>/files/<path:name>", "GET"),
    ("/new/", "POST"),
    ("/<string(length=2):code>", "PUT"),
)
VIEW = """
@bp.route("{rule}", methods=["{method}"])
def view_{n}(**kwargs):
    if request.args.get("fail"):
        abort(404)
    data = request.get_json(silent=True) if request.method != "GET" else None
    current_app.logger.debug("view {n}")
    return jsonify(n={n}, args=kwargs, data=data, user=session.get("user"))
"""


def generate(root: Path) -> Path:
    """Write the app under `root/bigapp/`; returns the package folder."""
    package = root / "bigapp"
    (package / "views").mkdir(parents=True)
    (package / "views" / "__init__.py").write_text("")
    imports, registrations = [], []
    for m in range(MODULES):
        lines = [
            "from flask import Blueprint, abort, current_app, jsonify, request, session",
            f'bp = Blueprint("area{m}", __name__)',
        ]
        for r, (rule, method) in enumerate(RULES[:ROUTES_PER_MODULE]):
            lines.append(VIEW.format(rule=rule, method=method, n=m * ROUTES_PER_MODULE + r))
        (package / "views" / f"area{m}.py").write_text("\n".join(lines))
        imports.append(f"from bigapp.views import area{m}")
        registrations.append(f'    app.register_blueprint(area{m}.bp, url_prefix="/area{m}")')
    (package / "__init__.py").write_text(
        "\n".join(
            [
                "from flask import Flask",
                *imports,
                "",
                "def create_app():",
                "    app = Flask(__name__)",
                '    app.config["SECRET_KEY"] = "bench-only"',
                *registrations,
                "    return app",
            ]
        )
        + "\n"
    )
    return package


def timed(target: str, path: Path, repeat: int) -> list[float]:
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        result = scan(target, path)
        report.to_markdown(result)
        if i:  # the first run warms caches up and is thrown away
            times.append(time.perf_counter() - start)
    routes = len(result.routes) - 1  # without Flask's static route
    files = result.files_scanned
    print(f"  {target}: {routes} routes, {files} files", file=sys.stderr)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kit_scan", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = generate(Path(tmp))
        print(f"{MODULES} modules, {MODULES * ROUTES_PER_MODULE} routes; {os.cpu_count()} CPUs")
        for label, target in (("source", str(package)), ("import", "bigapp:create_app")):
            times = timed(target, Path(tmp), args.repeat)
            print(
                f"scan from {label} + Markdown report: median {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
