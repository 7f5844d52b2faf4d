"""The `flask2fastapi` command.

Exit codes: 0 done (for `parity`: every difference accepted); 1 done, but `scan` could not
parse some files (the report names them) or `parity` found differences not accepted;
2 nothing done: bad arguments, no Flask app, an app that fails to import, a factory that
needs arguments, an unreadable requests or config file. A report written with `--output`
is written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flask2fastapi import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flask2fastapi",
        description="Plan the port of a Flask app to FastAPI, and check the port answers alike.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    scan = sub.add_parser("scan", help="a migration plan for a Flask app")
    scan.add_argument(
        "target",
        metavar="APP_OR_DIR",
        help="a source folder or file (read, not imported), or an import path "
        "`module:app` / `module:create_app` (imported; routes from its url_map)",
    )
    scan.add_argument("--format", choices=("md", "text", "json"), default="text")
    scan.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout)")
    scan.add_argument(
        "--path", type=Path, action="append",
        help="where import paths are found (default: .); repeat for several folders",
    )  # fmt: skip

    parity = sub.add_parser("parity", help="compare the answers of a Flask app and its port")
    parity.add_argument("--flask", required=True, metavar="IMPORT", help="module:app of Flask")
    parity.add_argument("--fastapi", required=True, metavar="IMPORT", help="module:app of FastAPI")
    parity.add_argument(
        "--requests", required=True, type=Path, metavar="FILE",
        help="requests to send: .toml (exchanges), .har (browser export) or .jsonl (recording)",
    )  # fmt: skip
    parity.add_argument("--config", type=Path, help="TOML file accepting differences per route")
    parity.add_argument(
        "--header", action="append", default=[], metavar="NAME",
        help="also compare this response header (repeatable; content-type, location and "
        "allow always are)",
    )  # fmt: skip
    parity.add_argument(
        "--accept-known", action="store_true",
        help="accept every difference a rule explains; only unexplained ones fail",
    )  # fmt: skip
    parity.add_argument("--format", choices=("md", "text", "json"), default="text")
    parity.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout)")
    parity.add_argument(
        "--path", type=Path, action="append",
        help="where imports are found (default: .); repeat for several folders",
    )  # fmt: skip
    parity.add_argument("--verbose", "-v", action="store_true", help="list every request")
    _port_parser(sub)
    return parser


def _port_parser(sub: argparse._SubParsersAction) -> None:
    from flask2fastapi.exitcodes import help_text

    port = sub.add_parser(
        "port", help="write the FastAPI port of a Flask app, rule by rule",
        epilog=help_text(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    port.add_argument("src", type=Path, metavar="SRC", help="a package folder or a module")
    where = port.add_mutually_exclusive_group(required=True)
    where.add_argument("--output", "-o", type=Path, metavar="DIR", help="write the port here")
    where.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    port.add_argument("--force", action="store_true", help="write into a non-empty DIR")
    port.add_argument(
        "--select", type=lambda v: v.split(","), action="extend", metavar="RULES",
        help="run only these rule ids (comma-separated, repeatable)",
    )  # fmt: skip
    port.add_argument(
        "--ignore", type=lambda v: v.split(","), action="extend", metavar="RULES",
        help="skip these rule ids (comma-separated, repeatable)",
    )  # fmt: skip
    port.add_argument(
        "--keep-flask-answers", action="store_true",
        help="keep Flask's HEAD on GET routes (and see the port page for 404 path values)",
    )  # fmt: skip
    port.add_argument("--format", choices=("md", "text", "json"), default="text",
                      help="the summary's format (stderr with --diff, else stdout)")  # fmt: skip
    port.add_argument("--summary", type=Path, metavar="FILE", help="write the summary here")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from flask2fastapi.output import write_atomic

    write_atomic(output, text)
    print(f"wrote {output}", file=sys.stderr)


def _fail(message: str) -> int:
    print(f"flask2fastapi: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _scan(args: argparse.Namespace) -> int:
    from flask2fastapi import report
    from flask2fastapi.scan import ScanError, scan

    try:
        result = scan(args.target, args.path)
    except ScanError as exc:
        return _fail(str(exc))
    try:
        _emit(report.RENDERERS[args.format](result), args.output)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write: {exc.strerror or exc}")
    for problem in result.problems:
        print(f"flask2fastapi: could not parse {problem.file}: {problem.message}", file=sys.stderr)
    return EXIT_FINDINGS if result.problems else EXIT_OK


def _parity(args: argparse.Namespace) -> int:
    from flask2fastapi import parity
    from flask2fastapi.apps import AppError, framework_of, import_app
    from flask2fastapi.traffic import TrafficError, load_requests

    try:
        config = parity.Config.load(args.config)
        config.headers += tuple(h.lower() for h in args.header)
        items = load_requests(args.requests)
        apps = {}
        for framework in ("flask", "fastapi"):
            spec = getattr(args, framework)
            apps[framework] = import_app(spec, args.path)
            if framework_of(apps[framework]) != framework:
                kind = type(apps[framework]).__name__
                return _fail(f"--{framework} {spec}: is a {kind}, not a {framework} app")
    except (AppError, TrafficError, parity.ConfigError) as exc:
        return _fail(str(exc))
    names = (args.flask, args.fastapi, args.requests.as_posix())
    result = parity.run(apps["flask"], apps["fastapi"], items, config, args.accept_known, names)
    if args.format == "text":
        text = parity.to_text(result, args.verbose)
    else:
        text = parity.RENDERERS[args.format](result)
    try:
        _emit(text, args.output)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write: {exc.strerror or exc}")
    if args.output is not None and args.format != "text":
        sys.stderr.write(parity.to_text(result))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _port(args: argparse.Namespace) -> int:
    try:
        from flask2fastapi.port import PortError, port_tree, selected_rules, unified_diff
        from flask2fastapi.port.summary import RENDERERS
    except ImportError as exc:  # libcst is the `port` extra
        return _fail(f"port needs LibCST: pip install 'flask2fastapi[port]' ({exc})")
    try:
        rules = selected_rules(args.select, args.ignore)
        report = port_tree(args.src, args.output, rules, args.keep_flask_answers, args.force)
    except (PortError, OSError) as exc:
        return _fail(str(exc))
    summary = RENDERERS[args.format](report)
    if args.diff:
        sys.stdout.write(unified_diff(report))
    try:
        if args.summary is not None:
            _emit(summary, args.summary)
        else:
            (sys.stderr if args.diff else sys.stdout).write(summary)
    except OSError as exc:
        return _fail(f"{args.summary}: cannot write: {exc.strerror or exc}")
    for problem in report.problems:
        print(f"flask2fastapi: copied unchanged {problem.path}: {problem.problem}", file=sys.stderr)
    return int(report.exit_code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"scan": _scan, "parity": _parity, "port": _port}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
