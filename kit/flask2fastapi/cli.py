"""The `flask2fastapi` command.

Exit codes: one table for every command, `flask2fastapi.exitcodes.TABLE`, shown at the
end of each `--help`. A report written with `--output` is written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from flask2fastapi import __version__
from flask2fastapi.exitcodes import Exit, help_text

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = Exit.OK, Exit.FINDINGS, Exit.ERROR
EXIT_INCOMPLETE = Exit.INCOMPLETE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flask2fastapi",
        description="Plan the port of a Flask app to FastAPI, and check the port answers alike.",
        epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    scan = sub.add_parser(
        "scan", help="a migration plan for a Flask app", epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    scan.add_argument(
        "target",
        metavar="APP_OR_DIR",
        help="a source folder or file (read, not imported), or an import path "
        "`module:app` / `module:create_app` (imported; routes from its url_map)",
    )
    scan.add_argument("--format", choices=("md", "text", "json"), default="text")
    scan.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout)")
    _docs_url_option(scan, "the plan's links")
    scan.add_argument(
        "--path", type=Path, action="append",
        help="where import paths are found (default: .); repeat for several folders",
    )  # fmt: skip
    scan.add_argument(
        "--include-tests", action="store_true",
        help="also read test folders (tests/, test/) and files (test_*.py, conftest.py)",
    )  # fmt: skip

    parity = sub.add_parser(
        "parity", help="compare the answers of a Flask app and its port", epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
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
    parity.add_argument("--format", choices=("md", "text", "json", "junit"), default="text")
    parity.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout)")
    parity.add_argument(
        "--junit", type=Path, metavar="FILE",
        help="also write JUnit XML here, one test case per request (for CI test reports)",
    )  # fmt: skip
    parity.add_argument(
        "--base-url", default="http://testserver", metavar="URL",
        help="scheme and host the apps see (default: http://testserver); use "
        "https://testserver when the apps set Secure cookies",
    )  # fmt: skip
    _docs_url_option(parity, "report links")
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
        help="keep Flask's answers: HEAD on GET routes, 404 for a bad path value, "
        "400 for a malformed JSON body",
    )  # fmt: skip
    port.add_argument("--format", choices=("md", "text", "json"), default="text",
                      help="the summary's format (stderr with --diff, else stdout)")  # fmt: skip
    port.add_argument("--summary", type=Path, metavar="FILE", help="write the summary here")
    _docs_url_option(port, "TODO links")


def _docs_url_option(parser: argparse.ArgumentParser, links: str) -> None:
    """`--docs-url`, the same for every command (see `knowledge.docs_url`)."""
    parser.add_argument(
        "--docs-url", metavar="URL",
        help=f"address of the guide that {links} start with (default: "
        "$FLASK2FASTAPI_DOCS_URL, else the published guide)",
    )  # fmt: skip


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


def _app_prints_to_stderr() -> contextlib.AbstractContextManager[object]:
    """While the reader's code runs (imports, factories, views): what it prints goes to the
    error stream, so that a report on stdout (JSON, JUnit XML) stays parseable."""
    return contextlib.redirect_stdout(sys.stderr)


def console() -> int:
    """The installed `flask2fastapi` command: `main`, but Ctrl-C (or an app raising
    `KeyboardInterrupt` on import) ends with a line and 130 instead of a traceback."""
    try:
        return main()
    except KeyboardInterrupt:
        print("flask2fastapi: interrupted", file=sys.stderr)
        return 130


def _scan(args: argparse.Namespace) -> int:
    from flask2fastapi import report
    from flask2fastapi.knowledge import Knowledge
    from flask2fastapi.scan import ScanError, scan

    knowledge = Knowledge.load(args.docs_url)
    try:
        with _app_prints_to_stderr():
            result = scan(args.target, args.path, knowledge, include_tests=args.include_tests)
    except ScanError as exc:
        return _fail(str(exc))
    if args.format == "md":
        text = report.to_markdown(result, knowledge=knowledge)
    else:
        text = report.RENDERERS[args.format](result)
    try:
        _emit(text, args.output)
    except OSError as exc:
        return _fail(f"{args.output}: cannot write: {exc.strerror or exc}")
    for problem in result.problems:
        print(f"flask2fastapi: could not parse {problem.file}: {problem.message}", file=sys.stderr)
    sys.stderr.write(report.coverage_text(result))
    return EXIT_OK if result.coverage.complete else EXIT_INCOMPLETE


def _parity(args: argparse.Namespace) -> int:
    try:
        import httpx2  # noqa: F401 - only to tell a missing extra from a broken app
    except ImportError:
        return _fail(
            # httpx2 is all the extra holds; naming it works wherever the kit came from
            # (the kit is installed from the guide's repository, not from PyPI).
            "parity needs the `parity` extra (httpx2): pip install 'httpx2>=2.16' beside "
            "the kit, or reinstall it with [parity]. "
            "If your app's pins clash with it (httpx2 needs idna>=3.18), see 'When your app's "
            "pins clash with the kit' on the guide's 'Migrate your app' page"
        )
    from urllib.parse import urlsplit

    from flask2fastapi import parity
    from flask2fastapi.apps import AppError, framework_of, import_app
    from flask2fastapi.knowledge import Knowledge
    from flask2fastapi.traffic import TrafficError, load_requests

    base = urlsplit(args.base_url)
    if base.scheme not in ("http", "https") or not base.hostname or base.path not in ("", "/"):
        return _fail(f"--base-url {args.base_url!r}: expected http:// or https:// and a host")
    try:
        config = parity.Config.load(args.config)
        config.headers += tuple(h.lower() for h in args.header)
        skipped: list[str] = []
        items = load_requests(args.requests, skipped)
        if skipped:  # a browser's HAR: what the page fetched from elsewhere
            print(
                f"flask2fastapi: {args.requests}: {len(skipped)} entries not sent: "
                + "; ".join(skipped[:5]) + (" …" if len(skipped) > 5 else ""),
                file=sys.stderr,
            )  # fmt: skip
        if not items:
            return _fail(f"{args.requests}: no requests in the file: nothing to compare")
        apps = {}
        for framework in ("flask", "fastapi"):
            spec = getattr(args, framework)
            with _app_prints_to_stderr():
                apps[framework] = import_app(spec, args.path)
            if framework_of(apps[framework]) != framework:
                kind = type(apps[framework]).__name__
                return _fail(f"--{framework} {spec}: is a {kind}, not a {framework} app")
        names = (args.flask, args.fastapi, args.requests.as_posix())
        knowledge = Knowledge.load(args.docs_url)
        base_url = f"{base.scheme}://{base.netloc}"
        with _app_prints_to_stderr():
            result = parity.run(
                apps["flask"], apps["fastapi"], items, config, args.accept_known, names,
                knowledge, base_url,
            )  # fmt: skip
    except (AppError, TrafficError, parity.ConfigError) as exc:
        return _fail(str(exc))
    if args.format == "text":
        text = parity.to_text(result, args.verbose)
    else:
        text = parity.RENDERERS[args.format](result)
    outputs = [(args.output, text)]
    if args.junit is not None:
        outputs.append((args.junit, parity.to_junit(result)))
    for target, content in outputs:
        try:
            _emit(content, target)
        except OSError as exc:
            return _fail(f"{target}: cannot write: {exc.strerror or exc}")
    if args.output is not None and args.format != "text":
        sys.stderr.write(parity.to_text(result))
    elif args.format != "text":
        for warning in result.warnings:
            print(f"flask2fastapi: warning: {warning}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _port(args: argparse.Namespace) -> int:
    try:
        from flask2fastapi.port import PortError, port_tree, selected_rules, unified_diff
        from flask2fastapi.port.summary import RENDERERS
    except ImportError as exc:  # libcst is the `port` extra
        return _fail(f"port needs LibCST: pip install 'flask2fastapi[port]' ({exc})")
    try:
        rules = selected_rules(args.select, args.ignore)
        report = port_tree(
            args.src, args.output, rules, args.keep_flask_answers, args.force, args.docs_url
        )
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
