"""`flask2fastapi scan`: read a Flask app and list what its port to FastAPI involves.

Two ways in, one report:

* **A folder or a file** is read without importing it: every `.py` file is parsed with
  `ast`, routes come from `@app.route`/`@bp.get`… decorators and `add_url_rule` calls,
  blueprints from `Blueprint(...)` and `register_blueprint(...)`.
* **An import path** (`package.module:app` or `package.module:create_app`) is imported;
  routes come from the app's real `url_map`, and the app's source folder is parsed as above
  for the Flask API it uses and for what each view returns.

The report lists every route (with its FastAPI path, parameter types and the client-visible
changes that apply to it), every Flask/Werkzeug name and extension the source uses (linked
to the guide page that covers it, or listed as not covered), and an ordered checklist.
"""

import inspect
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask2fastapi.checklist import Step, checklist
from flask2fastapi.knowledge import Knowledge, Link
from flask2fastapi.paths import (
    AUTOMATIC_METHODS,
    BODY_METHODS,
    RULE_PART,
    Change,
    Parameter,
    Route,
    _make_route,
    convert_rule,
    fastapi_decorator,
    fastapi_parameter,
    route_changes,
)
from flask2fastapi.routemodel import Blueprint, _routes_from_source
from flask2fastapi.source import (
    FileScan,
    FuncInfo,
    Problem,
    ScanError,
    _relative,
    python_files,
    read_sources,
)

__all__ = [
    "AUTOMATIC_METHODS", "BODY_METHODS", "RULE_PART", "ApiUse", "Blueprint", "Change",
    "ExtensionUse", "FileScan", "FuncInfo", "Parameter", "Problem", "Report", "Route",
    "ScanError", "Step", "checklist", "convert_rule", "fastapi_decorator", "fastapi_parameter",
    "python_files", "read_sources", "route_changes", "scan",
]  # fmt: skip


@dataclass
class ApiUse:
    """A Flask or Werkzeug name the source uses, where, and the pages that cover it."""

    name: str
    where: list[str]
    pages: list[Link]


@dataclass
class ExtensionUse:
    """A Flask extension the source imports, its replacement and page (None if not covered)."""

    module: str
    name: str
    replacement: str | None
    page: Link | None
    names: list[str]
    where: list[str]


@dataclass
class Report:
    """Everything `scan` found; `checklist()` orders it into the steps of the port."""

    target: str
    mode: str  # "import" (routes from url_map) or "source" (routes from the code)
    files_scanned: int
    routes: list[Route] = field(default_factory=list)
    blueprints: list[Blueprint] = field(default_factory=list)
    apis: list[ApiUse] = field(default_factory=list)
    extensions: list[ExtensionUse] = field(default_factory=list)
    config_keys: list[str] = field(default_factory=list)
    app_settings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checklist"] = [asdict(step) for step in checklist(self)]
        return data


def _routes_from_app(
    app: Any, scans: list[FileScan], knowledge: Knowledge, base: Path
) -> tuple[list[Route], list[Blueprint]]:
    functions = {
        (str(s.path.resolve()), line): info for s in scans for line, info in s.functions.items()
    }
    source_prefix: dict[str, str | None] = {}
    try:
        _, source_bps = _routes_from_source(scans, knowledge, base, with_routes=False)
        source_prefix = {b.name: b.url_prefix for b in source_bps}
    except ScanError:
        pass
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        source, info = None, None
        if view is not None:
            original = inspect.unwrap(view)
            code = getattr(original, "__code__", None)
            if code is not None:
                path = Path(code.co_filename).resolve()
                source = f"{_relative(path, base)}:{code.co_firstlineno}"
                info = functions.get((str(path), code.co_firstlineno))
        blueprint = rule.endpoint.rpartition(".")[0] or None
        prefix = None
        if blueprint:
            prefix = source_prefix.get(blueprint)
            if prefix is None and blueprint in app.blueprints:
                prefix = app.blueprints[blueprint].url_prefix
        routes.append(
            _make_route(
                rule.rule, rule.methods, rule.endpoint, blueprint, prefix, source, info, knowledge
            )
        )
    blueprints = [
        Blueprint(name, source_prefix.get(name, bp.url_prefix), bp.import_name)
        for name, bp in app.blueprints.items()
    ]
    return routes, blueprints


# ------------------------------------------------------------------------------ the scan


def _gather(report: Report, scans: list[FileScan], knowledge: Knowledge, base: Path) -> None:
    uses: dict[str, list[str]] = {}
    ext_names: dict[str, set[str]] = {}
    ext_where: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    # The app's own modules, however they import each other (`from flask_app import app`).
    local = {s.module.partition(".")[0] for s in scans} | {s.path.stem for s in scans}
    for s in scans:
        shown = _relative(s.path, base)
        for name, lines in s.uses.items():
            root = name.partition(".")[0]
            if root in local:
                continue
            if root in ("flask", "werkzeug"):
                uses.setdefault(name, []).extend(f"{shown}:{n}" for n in sorted(set(lines)))
            else:
                ext_names.setdefault(root, set()).add(name)
        for root in {full.partition(".")[0] for full in s.imports.values()} - local:
            if (
                knowledge.is_extension_module(root)
                or root.startswith("flask_")
                or root == "flaskext"
            ):
                ext_where.setdefault(root, []).append(shown)
        for key, line in s.config_keys.items():
            keys.setdefault(key, f"{shown}:{line}")
    for name in sorted(uses):
        report.apis.append(ApiUse(name, uses[name], knowledge.links_for(name)))
    for module in sorted(ext_where):
        row = knowledge.extension(module)
        report.extensions.append(
            ExtensionUse(
                module=module,
                name=row["name"] if row else module,
                replacement=row["replacement"] if row else None,
                page=row["link"] if row else None,
                names=sorted(ext_names.get(module, ())),
                where=sorted(set(ext_where[module])),
            )
        )
    for key in sorted(keys):
        if key in knowledge.flask_config or knowledge.links_for(f"config.{key}"):
            report.config_keys.append(key)
        else:
            report.app_settings.append(key)


def scan(
    target: str, search_path: Path | None = None, knowledge: Knowledge | None = None
) -> Report:
    """Scan a folder, a file or an import path (see the module's docstring).

    Raises `ScanError` when there is nothing to report: no such path or module, no Flask
    app, an app that fails to import or a factory that needs arguments. A file that cannot
    be parsed in a folder is a `Problem` of the report instead.
    """
    knowledge = knowledge or Knowledge.load()
    path = Path(target)
    if path.exists():
        return _scan_source(path, knowledge)
    if path.suffix == ".py" or "/" in target or os.sep in target:
        raise ScanError(f"{target}: no such file or folder")
    return _scan_import(target, search_path, knowledge)


def _scan_source(path: Path, knowledge: Knowledge) -> Report:
    base = path if path.is_dir() else path.parent
    scans, problems = read_sources(path, knowledge, base)
    if path.is_file() and problems:
        raise ScanError(f"{problems[0].file}: {problems[0].message}")
    report = Report(target=str(path), mode="source", files_scanned=len(scans), problems=problems)
    try:
        report.routes, report.blueprints = _routes_from_source(scans, knowledge, base)
    except ScanError as exc:
        unread = f"; could not parse {', '.join(p.file for p in problems)}" if problems else ""
        raise ScanError(f"{path}: {exc} in {len(scans)} Python files{unread}") from None
    _gather(report, scans, knowledge, base)
    return report


def _scan_import(
    target: str, search_path: Path | list[Path] | None, knowledge: Knowledge
) -> Report:
    from flask2fastapi.apps import AppError, framework_of, import_app

    try:
        app = import_app(target, search_path)
    except AppError as exc:
        raise ScanError(str(exc)) from exc
    if framework_of(app) != "flask":
        raise ScanError(f"{target}: is a {type(app).__name__}, not a Flask app")
    module = sys.modules[target.partition(":")[0]]
    top = sys.modules[module.__name__.partition(".")[0]]
    top_file = Path(top.__file__ or module.__file__ or ".")
    source = top_file.parent if top_file.name == "__init__.py" else top_file
    base = source if source.is_dir() else source.parent
    scans, problems = read_sources(source, knowledge, base)
    report = Report(target=target, mode="import", files_scanned=len(scans), problems=problems)
    report.routes, report.blueprints = _routes_from_app(app, scans, knowledge, base)
    _gather(report, scans, knowledge, base)
    return report
