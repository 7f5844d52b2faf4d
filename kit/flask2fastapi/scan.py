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
from flask2fastapi.routemodel import Hook, RouteModel, RouteSite, Unresolved, route_model
from flask2fastapi.rules import RULES, scan_rule_for_hook
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
    "AUTOMATIC_METHODS",
    "BODY_METHODS",
    "RULE_PART",
    "ApiUse",
    "Blueprint",
    "Change",
    "Coverage",
    "ExtensionUse",
    "FileScan",
    "Finding",
    "FuncInfo",
    "Hook",
    "HookUse",
    "Parameter",
    "Problem",
    "Report",
    "Route",
    "RouteModel",
    "RouteSite",
    "ScanError",
    "Step",
    "Unresolved",
    "checklist",
    "convert_rule",
    "fastapi_decorator",
    "fastapi_parameter",
    "python_files",
    "read_sources",
    "route_changes",
    "route_model_of",
    "scan",
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
class Blueprint:
    """A blueprint as registered: dotted name, effective URL prefix, where it is created."""

    name: str
    url_prefix: str | None
    source: str


@dataclass
class HookUse:
    """A hook, handler or CLI command hung on the app or a blueprint (`before_app_request`
    on a blueprint…), where, and the `scan` rule and page that cover it."""

    name: str
    owner: str  # "app" or "blueprint"
    where: list[str]
    rule: str
    page: Link


@dataclass
class Finding:
    """A use of an extension's API that a page covers (Flask-SQLAlchemy's `paginate`…) or
    the app's own state on the Flask object (`app.redis`): rule, what, where, page."""

    rule: str
    text: str
    where: list[str]
    page: Link


@dataclass
class Coverage:
    """How the routes were found and what was not read.

    `by_method`: routes per discovery method (`decorator`, `restx`, `url_map`…);
    `unresolved`: registrations seen but not resolved (source mode only). The inventory
    is `complete` when nothing is unresolved and every file parsed."""

    by_method: dict[str, int] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    complete: bool = True


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
    hooks: list[HookUse] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checklist"] = [asdict(step) for step in checklist(self)]
        return data


def _view_source(view: Any) -> tuple[Path, int] | None:
    """The file and first line of a view: a class-based view's class (through `view_class`,
    not Flask's `views.py`), else the unwrapped function."""
    cls = getattr(view, "view_class", None)
    try:
        if cls is not None:
            file = inspect.getsourcefile(cls)
            line = inspect.getsourcelines(cls)[1]
            return (Path(file).resolve(), line) if file else None
    except (OSError, TypeError):
        return None
    code = getattr(inspect.unwrap(view), "__code__", None)
    if code is None:
        return None
    return Path(code.co_filename).resolve(), code.co_firstlineno


def _routes_from_app(
    app: Any, scans: list[FileScan], knowledge: Knowledge, base: Path, model: RouteModel | None
) -> tuple[list[Route], list[Blueprint]]:
    functions = {
        (str(s.path.resolve()), line): info for s in scans for line, info in s.functions.items()
    }
    # Blueprint prefixes as the source spells them (the url_map only has full rules).
    source_prefix = {name: prefix for name, prefix, _ in model.blueprints} if model else {}
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        source, info = None, None
        found = _view_source(view) if view is not None else None
        if found is not None:
            path, line = found
            source = f"{_relative(path, base)}:{line}"
            info = functions.get((str(path), line))
        blueprint = rule.endpoint.rpartition(".")[0] or None
        prefix = None
        if blueprint:
            prefix = source_prefix.get(blueprint)
            if prefix is None and blueprint in app.blueprints:
                prefix = app.blueprints[blueprint].url_prefix
        route = _make_route(
            rule.rule, rule.methods, rule.endpoint, blueprint, prefix, source, info, knowledge
        )
        route.found_by = "url_map"
        routes.append(route)
    blueprints = [
        Blueprint(name, source_prefix.get(name, bp.url_prefix), bp.import_name)
        for name, bp in app.blueprints.items()
    ]
    return routes, blueprints


def _routes_from_model(
    model: RouteModel, scans: list[FileScan], knowledge: Knowledge, base: Path
) -> tuple[list[Route], list[Blueprint]]:
    functions = {
        (_relative(s.path, base), line): info for s in scans for line, info in s.functions.items()
    }
    routes = []
    for site in model.routes:
        info = functions.get((site.file, site.line))
        route = _make_route(
            site.rule, site.methods, site.endpoint, site.blueprint, site.url_prefix,
            f"{site.file}:{site.line}", info, knowledge,
        )  # fmt: skip
        route.found_by = site.method
        routes.append(route)
    blueprints, seen = [], set()
    for name, prefix, where in model.blueprints:
        if name not in seen:
            seen.add(name)
            blueprints.append(Blueprint(name, prefix, where))
    return routes, blueprints


# ------------------------------------------------------------------------------ the scan


def _hooks_and_findings(
    report: Report, hooks: list[Hook], scans: list[FileScan], knowledge: Knowledge, base: Path
) -> None:
    grouped: dict[tuple[str, str], list[str]] = {}
    for hook in hooks:
        grouped.setdefault((hook.name, hook.owner), []).append(f"{hook.file}:{hook.line}")
    for (name, owner), where in sorted(grouped.items()):
        rule = scan_rule_for_hook(name, owner == "blueprint")
        report.hooks.append(HookUse(name, owner, where, rule.id, knowledge.page(rule.page)))
    found: dict[str, list[str]] = {}
    own: dict[str, list[str]] = {}
    for s in scans:
        shown = _relative(s.path, base)
        for rule_id, lines in s.findings.items():
            found.setdefault(rule_id, []).extend(f"{shown}:{n}" for n in sorted(set(lines)))
        for name, line in s.own_state.items():
            own.setdefault(name, []).append(f"{shown}:{line}")
    for rule_id in sorted(found):
        rule = RULES[rule_id]
        report.findings.append(
            Finding(rule_id, rule.summary, found[rule_id], knowledge.page(rule.page))
        )
    if own:
        rule = RULES["own-state"]
        names = ", ".join(f"`{n}`" for n in sorted(own))
        where = sorted({w for ws in own.values() for w in ws})
        text = f"your app's own state {names}: keep it on `app.state`"
        report.findings.append(Finding(rule.id, text, where, knowledge.page(rule.page)))


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
    target: str,
    search_path: Path | list[Path] | None = None,
    knowledge: Knowledge | None = None,
    include_tests: bool = False,
) -> Report:
    """Scan a folder, a file or an import path (see the module's docstring).

    Test folders and files are left out unless `include_tests`. Raises `ScanError` when
    there is nothing to report: no such path or module, no Flask app, an app that fails to
    import or a factory that needs arguments. A file that cannot be parsed in a folder is a
    `Problem` of the report instead (and the coverage is then incomplete).
    """
    knowledge = knowledge or Knowledge.load()
    path = Path(target)
    if path.exists():
        return _scan_source(path, knowledge, include_tests)
    if path.suffix == ".py" or "/" in target or os.sep in target:
        raise ScanError(f"{target}: no such file or folder")
    return _scan_import(target, search_path, knowledge, include_tests)


def route_model_of(
    path: Path | str, include_tests: bool = False, knowledge: Knowledge | None = None
) -> tuple[RouteModel, list[Problem]]:
    """The route model of a source folder or file, read without importing it.

    Returns the `RouteModel` (every route with file, line, full rule, methods, endpoint,
    owner chain and view; hooks; registrations not resolved) and the files that could not
    be parsed. Paths in it are relative to `path` (its folder, for a file). Raises
    `ScanError` when the folder holds no Flask app, blueprint or REST API, or a single file
    given cannot be parsed. This is what `port` builds on.
    """
    path = Path(path)
    base = path if path.is_dir() else path.parent
    scans, problems = read_sources(path, knowledge or Knowledge.load(), base, include_tests)
    if path.is_file() and problems:
        raise ScanError(f"{problems[0].file}: {problems[0].message}")
    try:
        return route_model(scans, base), problems
    except ScanError as exc:
        unread = f"; could not parse {', '.join(p.file for p in problems)}" if problems else ""
        raise ScanError(f"{path}: {exc} in {len(scans)} Python files{unread}") from None


def _scan_source(path: Path, knowledge: Knowledge, include_tests: bool) -> Report:
    base = path if path.is_dir() else path.parent
    scans, problems = read_sources(path, knowledge, base, include_tests)
    if path.is_file() and problems:
        raise ScanError(f"{problems[0].file}: {problems[0].message}")
    report = Report(target=str(path), mode="source", files_scanned=len(scans), problems=problems)
    try:
        model = route_model(scans, base)
    except ScanError as exc:
        # Why each file failed: the app may be in one of them.
        unread = "; could not parse " + ", ".join(f"{p.file} ({p.message})" for p in problems)
        unread = unread if problems else ""
        raise ScanError(f"{path}: {exc} in {len(scans)} Python files{unread}") from None
    report.routes, report.blueprints = _routes_from_model(model, scans, knowledge, base)
    report.coverage = Coverage(
        model.by_method(), model.unresolved, not model.unresolved and not problems
    )
    _gather(report, scans, knowledge, base)
    _hooks_and_findings(report, model.hooks, scans, knowledge, base)
    return report


def _package_roots(app: Any, module: Any) -> list[Path]:
    """The source folders (or single files) of the app: the top-level package of the target
    module and of every view's module, outside installed packages."""
    names = {module.__name__}
    for view in app.view_functions.values():
        owner = getattr(view, "view_class", None) or inspect.unwrap(view)
        if getattr(owner, "__module__", None):
            names.add(owner.__module__)
    roots: set[Path] = set()
    for name in names:
        top = sys.modules.get(name.partition(".")[0])
        file = getattr(top, "__file__", None)
        if not file or {"site-packages", "dist-packages"} & set(Path(file).parts):
            continue
        path = Path(file).resolve()
        roots.add(path.parent if path.name == "__init__.py" else path)
    # A file inside a package root already read is not a root of its own.
    return sorted(r for r in roots if not any(p != r and p in r.parents for p in roots))


def _scan_import(
    target: str, search_path: Path | list[Path] | None, knowledge: Knowledge, include_tests: bool
) -> Report:
    from flask2fastapi.apps import AppError, framework_of, import_app

    try:
        app = import_app(target, search_path)
    except AppError as exc:
        raise ScanError(str(exc)) from exc
    if framework_of(app) != "flask":
        raise ScanError(f"{target}: is a {type(app).__name__}, not a Flask app")
    module = sys.modules[target.partition(":")[0]]
    roots = _package_roots(app, module)
    folders = [r if r.is_dir() else r.parent for r in roots]
    base = Path(os.path.commonpath(folders)) if folders else Path.cwd()
    scans: list[FileScan] = []
    problems: list[Problem] = []
    for root in roots:
        found, unread = read_sources(root, knowledge, base, include_tests)
        scans += found
        problems += unread
    report = Report(target=target, mode="import", files_scanned=len(scans), problems=problems)
    try:
        model: RouteModel | None = route_model(scans, base)
    except ScanError:
        model = None
    report.routes, report.blueprints = _routes_from_app(app, scans, knowledge, base, model)
    report.coverage = Coverage({"url_map": len(report.routes)}, [], not problems)
    _gather(report, scans, knowledge, base)
    _hooks_and_findings(report, model.hooks if model else [], scans, knowledge, base)
    return report
