"""`python -m bench.kit_scan`: how long `flask2fastapi scan` takes on a large app.

Generates a Flask app of 200 modules holding 1,000 routes (a factory registering one
blueprint per module, converters of every kind, the Flask API a real view uses; one module
in ten a Flask-RESTX namespace under an API on a prefixed blueprint, one in ten a
Flask-RESTful API on its own blueprint, one in ten views registered by the app's own helper
in a loop), then times
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


RESOURCE = """
@ns.route("{rule}")
class Resource{n}(Resource):
    def {verb}(self, **kwargs):
        return {{"n": {n}, "args": kwargs}}
"""
HELPER = """
from flask import Blueprint
from flask.views import MethodView

bp = Blueprint("area{m}", __name__)


class ItemView(MethodView):
    def get(self, **kwargs):
        return {{"args": kwargs}}

    def post(self, **kwargs):
        return {{}}, 201


def register(owner, name, rule):
    owner.add_url_rule(f"/{{name}}{{rule}}", view_func=ItemView.as_view(name))


for i, rule in enumerate({rules!r}):
    register(bp, f"item{{i}}", rule)
"""


def _restx(m: int) -> list[str]:
    lines = [
        "from flask import Blueprint",
        "from flask_restx import Api, Namespace, Resource",
        f'bp = Blueprint("area{m}", __name__)',
        'api = Api(bp, prefix="/v1", doc="/docs")',
        f'ns = Namespace("ns{m}")',
    ]
    for r, (rule, method) in enumerate(RULES[:ROUTES_PER_MODULE]):
        lines.append(RESOURCE.format(rule=rule, verb=method.lower(), n=r))
    lines.append('api.add_namespace(ns, path="/things")')
    return lines


def _restful(m: int) -> list[str]:
    lines = [
        "from flask import Blueprint",
        "from flask_restful import Api, Resource",
        f'bp = Blueprint("area{m}", __name__)',
        "class AreaApi(Api):\n    pass",
        'api = AreaApi(bp, prefix="/v2")',
    ]
    for r, (rule, method) in enumerate(RULES[:ROUTES_PER_MODULE]):
        lines.append(f"class Resource{r}(Resource):\n    def {method.lower()}(self, **kw):")
        lines.append(f"        return {{'n': {r}}}")
        lines.append(f'api.add_resource(Resource{r}, "/r{r}{rule.rstrip("/") or ""}")')
    return lines


def generate(root: Path, shapes: bool = True) -> Path:
    """Write the app under `root/bigapp/`; returns the package folder.

    `shapes=False` writes every module as decorated blueprint views (no RESTX, RESTful or
    helper-registered modules): the shape `port` converts, which `bench.kit_port` times.
    """
    package = root / "bigapp"
    (package / "views").mkdir(parents=True)
    (package / "views" / "__init__.py").write_text("")
    imports, registrations = [], []
    for m in range(MODULES):
        if shapes and m % 10 == 1:
            lines = _restx(m)
        elif shapes and m % 10 == 2:
            lines = _restful(m)
        elif shapes and m % 10 == 3:
            lines = [HELPER.format(m=m, rules=[r for r, _ in RULES[:ROUTES_PER_MODULE]])]
        else:
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
    times, cpu = [], []
    for i in range(repeat + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = scan(target, path)
        report.to_markdown(result)
        if i:  # the first run warms caches up and is thrown away
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    files = result.files_scanned
    how = ", ".join(f"{n} {k}" for k, n in result.coverage.by_method.items())
    print(f"  {target}: {len(result.routes)} routes ({how}), {files} files", file=sys.stderr)
    # CPU time too: on a shared machine the wall clock also counts other processes' turns.
    print(f"  CPU time: median {statistics.median(cpu):.2f} s", file=sys.stderr)
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
