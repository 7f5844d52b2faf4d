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

from __future__ import annotations

import ast
import inspect
import os
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask2fastapi.knowledge import Knowledge, Link
from flask2fastapi.rules import RULES

#: Folders never scanned: virtualenvs, caches, VCS and build output.
SKIP_DIRS = {
    ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", "__pycache__", "node_modules",
    "site-packages", ".tox", ".nox", "build", "dist", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", "migrations",
}  # fmt: skip
#: Proxies whose attributes belong to a class: `request.args` → `flask.Request.args`.
PROXY_CLASSES = {"request": "Request", "current_app": "Flask"}
#: Flask submodules whose names are reported as `flask.<module>.<name>`.
FLASK_SUBMODULES = {
    "app", "blueprints", "cli", "config", "ctx", "debughelpers", "globals", "helpers", "json",
    "logging", "sansio", "sessions", "signals", "templating", "testing", "typing", "views",
    "wrappers",
}  # fmt: skip
FLASK_CLASSES = {"Flask", "Blueprint", "Request", "Response", "Config"}
ROUTE_DECORATORS = {"route", "get", "post", "put", "delete", "patch"}
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
RULE_PART = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<variable>[a-zA-Z_]\w*)>"
)


class ScanError(Exception):
    """Nothing to report: no Flask app in the target, or the target cannot be read/imported.
    The message names the file or module."""


# ---------------------------------------------------------------------------- the report


@dataclass
class Change:
    """A client-visible change on one route: the rule's id, what changes, the guide page."""

    rule: str
    text: str
    page: Link


@dataclass
class Parameter:
    """A path parameter: Flask's converter (and its arguments) and the FastAPI annotation."""

    name: str
    converter: str
    fastapi_type: str


@dataclass
class Route:
    """One route, as Flask serves it and as the FastAPI port declares it."""

    rule: str
    methods: list[str]
    endpoint: str
    blueprint: str | None
    url_prefix: str | None
    fastapi_path: str
    fastapi_decorator: str
    parameters: list[Parameter]
    changes: list[Change]
    source: str | None


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
class Problem:
    """A file the scan could not read; the rest of the folder was still scanned."""

    file: str
    message: str


@dataclass
class Blueprint:
    name: str
    url_prefix: str | None
    source: str


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


@dataclass
class Step:
    """One checklist item: its `section` (extensions, structure, or a blueprint), the text
    (Markdown) and the pages to read."""

    section: str
    text: str
    pages: list[Link]


# ------------------------------------------------------------------------- reading code


@dataclass
class FuncInfo:
    """What one function does that matters for its route."""

    names: set[str] = field(default_factory=set)
    returns_html: bool = False
    returns_json: bool = False


@dataclass
class RawRoute:
    owner: str  # dotted key of the app or blueprint variable
    rule: str
    methods: list[str] | None
    endpoint: str | None
    func: str
    line: int
    info: FuncInfo


@dataclass
class Registration:
    parent: str
    child: str
    url_prefix: str | None
    name: str | None
    line: int


@dataclass
class FileScan:
    """What one parsed file holds."""

    path: Path
    module: str
    imports: dict[str, str] = field(default_factory=dict)
    apps: dict[str, int] = field(default_factory=dict)  # var → line of Flask(...)
    blueprints: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)
    routes: list[RawRoute] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    uses: dict[str, list[int]] = field(default_factory=dict)
    config_keys: dict[str, int] = field(default_factory=dict)
    functions: dict[int, FuncInfo] = field(default_factory=dict)  # def line and decorator lines
    static_folder: bool = True


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _const(node: ast.AST | None) -> Any:
    try:
        return ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _canonical(resolved: str, extension_modules: set[str]) -> str | None:
    """The guide's dotted name for a resolved reference (see BRIEF: `flask.Request.args`)."""
    parts = resolved.split(".")
    root = parts[0]
    if root == "flask":
        if len(parts) == 1:
            return None
        second = parts[1]
        if second in PROXY_CLASSES:
            return f"flask.{PROXY_CLASSES[second]}.{parts[2]}" if len(parts) > 2 else resolved
        if second == "g" and len(parts) > 2 and parts[2] not in ("get", "pop", "setdefault"):
            return "flask.g"  # `g.user` is the app's own attribute
        if second in ("session", "g") or second in FLASK_CLASSES:
            return ".".join(parts[:3])
        if second in FLASK_SUBMODULES:
            return ".".join(parts[:3]) if len(parts) > 2 else None
        return ".".join(parts[:2])
    if root == "werkzeug":
        size = 4 if len(parts) > 1 and parts[1] == "middleware" else 3
        return ".".join(parts[:size]) if len(parts) >= size else None
    if root in extension_modules or root.startswith("flask_") or root == "flaskext":
        return ".".join(parts[:2]) if len(parts) > 1 else root
    return None


class _FileReader:
    """Parses one module's tree into a `FileScan`."""

    def __init__(self, scan: FileScan, tree: ast.Module, extension_modules: set[str]) -> None:
        self.scan = scan
        self.tree = tree
        self.extension_modules = extension_modules
        self.kind: dict[str, str] = {}  # local name → "app" | "bp" | "other"
        self.uses_flask = False
        self.nodes = list(ast.walk(tree))
        self.name_lines: list[tuple[int, str]] = []

    # -- names
    def _imports(self) -> None:
        package = self.scan.module.rpartition(".")[0]
        if self.scan.path.name == "__init__.py":
            package = self.scan.module
        for node in self.nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.scan.imports[alias.asname] = alias.name
                    else:
                        root = alias.name.partition(".")[0]
                        self.scan.imports[root] = root
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".") if package else []
                    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                    base = ".".join(p for p in [*parts, base] if p)
                for alias in node.names:
                    if alias.name != "*":
                        self.scan.imports[alias.asname or alias.name] = f"{base}.{alias.name}"

    def resolve(self, node: ast.AST) -> str | None:
        """Dotted, with its first name replaced by what it was imported as."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        first, _, rest = dotted.partition(".")
        if first in self.scan.imports:
            full = self.scan.imports[first]
            return f"{full}.{rest}" if rest else full
        return dotted

    def owner_key(self, node: ast.AST) -> str | None:
        """The dotted key of an app or blueprint variable (local or imported)."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        if dotted in self.kind or ("." not in dotted and dotted not in self.scan.imports):
            return f"{self.scan.module}.{dotted}"
        return self.resolve(node)

    def name_of(self, node: ast.AST) -> str | None:
        """The guide's name for a reference, or None if it is not Flask's or Werkzeug's."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        first, _, rest = dotted.partition(".")
        kind = self.kind.get(first)
        if kind == "other":
            kind = None
        if kind is None and first == "app" and first not in self.scan.imports and self.uses_flask:
            kind = "app"  # `def init_app(app):` and friends
        if kind and rest and first not in self.scan.imports:
            cls = "Flask" if kind == "app" else "Blueprint"
            return f"flask.{cls}.{rest.partition('.')[0]}"
        resolved = self.resolve(node)
        if resolved and resolved.startswith(f"{self.scan.module}."):
            return None
        return _canonical(resolved, self.extension_modules) if resolved else None

    # -- passes
    def read(self) -> FileScan:
        self._imports()
        self.uses_flask = any(v.partition(".")[0] == "flask" for v in self.scan.imports.values())
        self._bindings()
        self._uses()
        self._config()
        self._functions()
        self._routes()
        return self.scan

    def _bindings(self) -> None:
        for node in self.nodes:
            if not isinstance(node, ast.Assign | ast.AnnAssign) or not isinstance(
                node.value, ast.Call
            ):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            called = self.resolve(node.value.func)
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if called in ("flask.Flask", "flask.app.Flask") or (
                    called and called.endswith(".APIFlask") and called.startswith("apiflask")
                ):
                    self.kind[target.id] = "app"
                    self.scan.apps[target.id] = node.lineno
                    folder = _kw(node.value, "static_folder")
                    if folder is not None and _const(folder) is None:
                        self.scan.static_folder = False
                elif called in ("flask.Blueprint", "flask.blueprints.Blueprint"):
                    self.kind[target.id] = "bp"
                    args = node.value.args
                    name = _const(args[0]) if args else _const(_kw(node.value, "name"))
                    prefix = _const(_kw(node.value, "url_prefix"))
                    self.scan.blueprints[target.id] = (
                        name if isinstance(name, str) else target.id,
                        prefix if isinstance(prefix, str) else None,
                        node.lineno,
                    )
                else:
                    self.kind.setdefault(target.id, "other")

    def _uses(self) -> None:
        """Every Flask name the file uses, by line: the outermost node of each dotted chain
        (`request.args.get` counts once, as `flask.Request.args`)."""
        inner = {id(node.value) for node in self.nodes if isinstance(node, ast.Attribute)}
        into = self.scan.uses
        imported: list[ast.ImportFrom] = []
        for node in self.nodes:
            if isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner:
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    continue
                name = self.name_of(node)
                if name:
                    into.setdefault(name, []).append(node.lineno)
                    self.name_lines.append((node.lineno, name))
            elif isinstance(node, ast.ImportFrom):
                imported.append(node)
        for node in imported:  # `from flask import x` counts even if x is only passed on
            for alias in node.names:
                resolved = self.scan.imports.get(alias.asname or alias.name)
                name = _canonical(resolved, self.extension_modules) if resolved else None
                if name and name not in into:
                    into[name] = [node.lineno]
        self.name_lines.sort()

    def _is_config(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Attribute) or node.attr != "config":
            return False
        name = self.name_of(node)
        return name in ("flask.Flask.config", "flask.current_app")

    def _config(self) -> None:
        keys = self.scan.config_keys
        for node in self.nodes:
            if isinstance(node, ast.Subscript) and self._is_config(node.value):
                key = _const(node.slice)
                if isinstance(key, str):
                    keys.setdefault(key, node.lineno)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if not self._is_config(node.func.value):
                    continue
                if node.func.attr in ("get", "setdefault", "pop") and node.args:
                    key = _const(node.args[0])
                    if isinstance(key, str):
                        keys.setdefault(key, node.lineno)
                elif node.func.attr in ("update", "from_mapping"):
                    for kw in node.keywords:
                        if kw.arg:
                            keys.setdefault(kw.arg, node.lineno)
                    for arg in node.args:
                        if isinstance(arg, ast.Dict):
                            for k in arg.keys:
                                if isinstance(key := _const(k), str):
                                    keys.setdefault(key, node.lineno)
            elif isinstance(node, ast.ClassDef) and node.name.endswith("Config"):
                for item in node.body:
                    targets = item.targets if isinstance(item, ast.Assign) else []
                    if isinstance(item, ast.AnnAssign):
                        targets = [item.target]
                    for t in targets:
                        if isinstance(t, ast.Name) and t.id.isupper():
                            keys.setdefault(t.id, item.lineno)

    def _functions(self) -> None:
        """What each function uses and returns, found by line range in the one walk."""
        returns = sorted(
            (node.lineno, i, node)
            for i, node in enumerate(self.nodes)
            if isinstance(node, ast.Return) and node.value is not None
        )
        return_lines = [line for line, _, _ in returns]
        name_lines = [line for line, _ in self.name_lines]
        for node in self.nodes:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            first, last = node.lineno, node.end_lineno or node.lineno
            lo, hi = bisect_left(name_lines, first), bisect_right(name_lines, last)
            info = FuncInfo(names={name for _, name in self.name_lines[lo:hi]})
            lo, hi = bisect_left(return_lines, first), bisect_right(return_lines, last)
            for _, _, ret in returns[lo:hi]:
                value = ret.value
                if isinstance(value, ast.Tuple) and value.elts:
                    value = value.elts[0]
                self._classify_return(value, info)
            for line in [node.lineno, *(d.lineno for d in node.decorator_list)]:
                self.scan.functions[line] = info

    def _classify_return(self, value: ast.AST, info: FuncInfo) -> None:
        text = isinstance(value, ast.Constant) and isinstance(value.value, str)
        if text or isinstance(value, ast.JoinedStr):
            info.returns_html = True
        elif isinstance(value, ast.Dict | ast.List | ast.ListComp | ast.DictComp):
            info.returns_json = True
        elif isinstance(value, ast.Call):
            called = self.name_of(value.func)
            if called in ("flask.render_template", "flask.render_template_string"):
                info.returns_html = True
            elif called == "flask.jsonify":
                info.returns_json = True

    def _routes(self) -> None:
        for node in self.nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    self._route_decorator(node, deco)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                attr = node.func.attr
                if attr == "add_url_rule":
                    self._add_url_rule(node)
                elif attr == "register_blueprint" and node.args:
                    parent = self.owner_key(node.func.value)
                    child = self.owner_key(node.args[0])
                    prefix = _const(_kw(node, "url_prefix"))
                    name = _const(_kw(node, "name"))
                    if parent and child:
                        self.scan.registrations.append(
                            Registration(
                                parent,
                                child,
                                prefix if isinstance(prefix, str) else None,
                                name if isinstance(name, str) else None,
                                node.lineno,
                            )
                        )

    def _route_decorator(self, func: ast.FunctionDef | ast.AsyncFunctionDef, deco: ast.AST) -> None:
        if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
            return
        verb = deco.func.attr
        if verb not in ROUTE_DECORATORS or not deco.args:
            return
        target = self.name_of(deco.func)
        if target not in (f"flask.Flask.{verb}", f"flask.Blueprint.{verb}") and not (
            self._owner_is_imported_app_or_bp(deco.func.value)
        ):
            return
        rule = _const(deco.args[0])
        if not isinstance(rule, str):
            return
        methods = self._methods(deco) if verb == "route" else [verb.upper()]
        endpoint = _const(_kw(deco, "endpoint"))
        owner = self.owner_key(deco.func.value)
        if owner is None:
            return
        self.scan.routes.append(
            RawRoute(
                owner,
                rule,
                methods,
                endpoint if isinstance(endpoint, str) else None,
                func.name,
                func.lineno,
                self.scan.functions.get(func.lineno, FuncInfo()),
            )
        )

    def _owner_is_imported_app_or_bp(self, node: ast.AST) -> bool:
        # `from myapp import app` / `from .views import bp`: decided when all files are read.
        dotted = _dotted(node)
        return dotted is not None and dotted.partition(".")[0] in self.scan.imports

    def _methods(self, call: ast.Call) -> list[str] | None:
        value = _const(_kw(call, "methods"))
        if isinstance(value, list | tuple | set):
            return sorted({str(m).upper() for m in value})
        return None

    def _add_url_rule(self, node: ast.Call) -> None:
        owner = self.owner_key(node.func.value)  # type: ignore[attr-defined]
        target = self.name_of(node.func)
        if owner is None or (
            target not in ("flask.Flask.add_url_rule", "flask.Blueprint.add_url_rule")
            and not self._owner_is_imported_app_or_bp(node.func.value)  # type: ignore[attr-defined]
        ):
            return
        rule = _const(node.args[0] if node.args else _kw(node, "rule"))
        if not isinstance(rule, str):
            return
        endpoint = _const(node.args[1] if len(node.args) > 1 else _kw(node, "endpoint"))
        view = node.args[2] if len(node.args) > 2 else _kw(node, "view_func")
        func, methods, info = "view", self._methods(node), FuncInfo()
        if isinstance(view, ast.Name):
            func = view.id
        elif (
            isinstance(view, ast.Call)
            and isinstance(view.func, ast.Attribute)
            and view.func.attr == "as_view"
            and view.args
        ):  # a class-based view
            func = _const(view.args[0]) or func
            methods = methods or self._view_class_methods(_dotted(view.func.value))
        if not isinstance(endpoint, str):
            endpoint = func if isinstance(func, str) else None
        self.scan.routes.append(
            RawRoute(owner, rule, methods, endpoint, str(func), node.lineno, info)
        )

    def _view_class_methods(self, cls: str | None) -> list[str] | None:
        for node in self.nodes:
            if isinstance(node, ast.ClassDef) and node.name == cls:
                verbs = {"get", "post", "put", "patch", "delete"}
                found = [
                    item.name.upper()
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name in verbs
                ]
                return sorted(found) or None
        return None


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    # A package folder given as the target keeps its own name, as imports spell it.
    if (root / "__init__.py").is_file():
        parts.insert(0, root.name)
    return ".".join(parts) or root.name


def python_files(root: Path) -> list[Path]:
    """Every `.py` file under `root`, in a stable order, skipping virtualenvs and caches."""
    if root.is_file():
        return [root]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".py")]
    return found


def read_sources(
    root: Path, knowledge: Knowledge, base: Path | None = None
) -> tuple[list[FileScan], list[Problem]]:
    """Parse every file under `root`; a file that cannot be read or parsed becomes a
    `Problem` and the others are still read. `base` is where paths are shown from."""
    base = base or (root if root.is_dir() else root.parent)
    module_root = root if root.is_dir() else root.parent
    extension_modules = {e["module"] for e in knowledge.data["extensions"].values()}
    scans, problems = [], []
    for path in python_files(root):
        shown = _relative(path, base)
        try:
            source = path.read_bytes()
            tree = ast.parse(source, filename=str(path))
        except SyntaxError as exc:
            problems.append(Problem(f"{shown}:{exc.lineno}", f"syntax error: {exc.msg}"))
            continue
        except (OSError, ValueError) as exc:
            problems.append(Problem(shown, f"cannot read: {exc}"))
            continue
        scan = FileScan(path=path, module=_module_name(path, module_root))
        scans.append(_FileReader(scan, tree, extension_modules).read())
    return scans, problems


def _relative(path: Path, base: Path) -> str:
    return _relative_text(str(path), str(base))


@lru_cache(maxsize=4096)
def _relative_text(path: str, base: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return path


# --------------------------------------------------------------------- routes → FastAPI


@lru_cache(maxsize=1024)
def _converter_args(text: str | None) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if not text:
        return args, kwargs
    for part in (p.strip() for p in text.split(",")):
        key, eq, value = part.partition("=")
        raw = value if eq else key
        parsed = _const(ast.parse(raw.strip(), mode="eval").body) if raw.strip() else None
        if parsed is None:
            parsed = raw.strip()
        if eq:
            kwargs[key.strip()] = parsed
        else:
            args.append(parsed)
    return args, kwargs


def fastapi_parameter(converter: str, args_text: str | None) -> tuple[str, bool]:
    """The FastAPI annotation for a Flask converter, and whether the path uses `:path`.

    `int(min=1)` → `Annotated[int, Path(ge=1)]`; `any(a, b)` → `Literal["a", "b"]`;
    `uuid` → `UUID`; `path` → `str` in a `{name:path}` segment; anything unknown → `str`.
    """
    try:
        args, kwargs = _converter_args(args_text)
    except SyntaxError:
        args, kwargs = [], {}
    if converter in ("int", "float"):
        bounds = [
            f"{new}={kwargs[old]!r}" for old, new in (("min", "ge"), ("max", "le")) if old in kwargs
        ]
        return (
            f"Annotated[{converter}, Path({', '.join(bounds)})]" if bounds else converter
        ), False
    if converter == "uuid":
        return "UUID", False
    if converter == "path":
        return "str", True
    if converter == "any":
        return "Literal[" + ", ".join(f'"{a}"' for a in args) + "]", False
    limits = {
        "length": ("min_length", "max_length"),
        "minlength": ("min_length",),
        "maxlength": ("max_length",),
    }
    bounds = [
        f"{new}={kwargs[old]!r}" for old, news in limits.items() if old in kwargs for new in news
    ]
    return (f"Annotated[str, Path({', '.join(bounds)})]" if bounds else "str"), False


def convert_rule(rule: str) -> tuple[str, list[Parameter]]:
    """A Werkzeug rule → the FastAPI path and its parameters."""
    params: list[Parameter] = []

    def swap(match: re.Match[str]) -> str:
        converter = match["converter"] or "string"
        fastapi_type, is_path = fastapi_parameter(converter, match["args"])
        spelled = converter + (f"({match['args']})" if match["args"] else "")
        params.append(Parameter(match["variable"], spelled, fastapi_type))
        return "{" + match["variable"] + (":path" if is_path else "") + "}"

    return RULE_PART.sub(swap, rule), params


def route_changes(
    rule: str,
    methods: list[str],
    params: list[Parameter],
    info: FuncInfo | None,
    knowledge: Knowledge,
) -> list[Change]:
    """The guide's tested differences that apply to one route."""
    changes: list[Change] = []

    def add(rule_id: str, text: str) -> None:
        changes.append(Change(rule_id, text, knowledge.page(RULES[rule_id].page)))

    for p in params:
        base = p.converter.partition("(")[0]
        if base in ("int", "float", "uuid"):
            text = f"a malformed `{p.name}` answers 422 instead of 404"
            if base in ("int", "float") and not {"signed", "min"} & set(
                re.findall(r"\w+", p.converter)
            ):
                text += f"; a negative `{p.name}` now matches (Flask needed `signed=True`)"
            add("converter-422", text)
        elif base == "path":
            add("converter-422", f"`{p.name}` may now be empty or start with `/`: check it")
    if "GET" in methods:
        add("head-options", "HEAD and OPTIONS answer 405 unless you declare them")
    else:
        add("head-options", "OPTIONS answers 405 unless you declare it")
    if rule.endswith("/") and rule != "/":
        add("slash-redirect-307", f"`{rule.rstrip('/')}` redirects here with 307 instead of 308")
    elif rule != "/":
        add("extra-slash-redirect", f"`{rule}/` redirects here with 307 instead of answering 404")
    if info is None:
        return changes
    if info.returns_html:
        add("str-json", "a returned str becomes a JSON string: return an HTMLResponse")
    if info.returns_json:
        add("json-key-order", "JSON keys keep insertion order and the final newline goes")
    if (
        BODY_METHODS & set(methods)
        and {"flask.Request.get_json", "flask.Request.json"} & info.names
    ):
        add("json-body-422", "a malformed or missing JSON body answers 422 instead of 400")
    if "flask.redirect" in info.names:
        add("redirect-307", "`RedirectResponse` answers 307 where `redirect()` answered 302")
    if "flask.abort" in info.names:
        add("error-envelope", '`HTTPException` answers JSON `{"detail": ...}`, not HTML')
    return changes


def fastapi_decorator(router: str, path: str, methods: list[str]) -> str:
    if len(methods) == 1:
        return f'@{router}.{methods[0].lower()}("{path}")'
    listed = ", ".join(f'"{m}"' for m in methods)
    return f'@{router}.api_route("{path}", methods=[{listed}])'


def _make_route(
    rule: str,
    methods: Iterable[str] | None,
    endpoint: str,
    blueprint: str | None,
    url_prefix: str | None,
    source: str | None,
    info: FuncInfo | None,
    knowledge: Knowledge,
) -> Route:
    declared = sorted(set(methods or ["GET"]) - AUTOMATIC_METHODS) or sorted(
        set(methods or ["GET"])
    )
    path, params = convert_rule(rule)
    router = (blueprint or "app").replace(".", "_")
    relative = path
    if blueprint and url_prefix and url_prefix != "/":
        prefix, _ = convert_rule(url_prefix.rstrip("/"))
        relative = path.removeprefix(prefix) if path.startswith(prefix) else path
    return Route(
        rule=rule,
        methods=declared,
        endpoint=endpoint,
        blueprint=blueprint,
        url_prefix=url_prefix,
        fastapi_path=path,
        fastapi_decorator=fastapi_decorator(router, relative, declared),
        parameters=params,
        changes=route_changes(rule, declared, params, info, knowledge),
        source=source,
    )


def _join(prefix: str | None, rule: str) -> str:
    if prefix is None:
        return rule
    if not rule:
        return prefix
    return "/".join((prefix.rstrip("/"), rule.lstrip("/")))


def _routes_from_source(
    scans: list[FileScan], knowledge: Knowledge, base: Path, with_routes: bool = True
) -> tuple[list[Route], list[Blueprint]]:
    """Routes and blueprints as the code declares them (`with_routes=False`: blueprints only)."""
    bps: dict[str, tuple[str, str | None, str]] = {}
    apps: set[str] = set()
    for s in scans:
        for var, (name, prefix, line) in s.blueprints.items():
            bps[f"{s.module}.{var}"] = (name, prefix, f"{_relative(s.path, base)}:{line}")
        apps |= {f"{s.module}.{var}" for var in s.apps}
    registrations = [r for s in scans for r in s.registrations]

    memo: dict[str, list[tuple[str, str | None]]] = {}

    def mounts(key: str, seen: frozenset[str] = frozenset()) -> list[tuple[str, str | None]]:
        """(endpoint prefix, url prefix) for every place a blueprint is registered."""
        if not seen and key in memo:
            return memo[key]
        name, own_prefix, _ = bps[key]
        found = []
        for reg in registrations:
            if reg.child != key or reg.parent in seen:
                continue
            prefix = reg.url_prefix if reg.url_prefix is not None else own_prefix
            bp_name = reg.name or name
            if reg.parent in bps:
                for parent_name, parent_prefix in mounts(reg.parent, seen | {key}):
                    found.append(
                        (
                            f"{parent_name}.{bp_name}",
                            _join(parent_prefix, prefix or "") if parent_prefix else prefix,
                        )
                    )
            else:
                found.append((bp_name, prefix))
        found = found or [(name, own_prefix)]
        if not seen:
            memo[key] = found
        return found

    routes: list[Route] = []
    for s in scans if with_routes else []:
        for raw in s.routes:
            source = f"{_relative(s.path, base)}:{raw.line}"
            if raw.owner in bps:
                for bp_name, prefix in mounts(raw.owner):
                    routes.append(
                        _make_route(
                            _join(prefix, raw.rule),
                            raw.methods,
                            f"{bp_name}.{raw.endpoint or raw.func}",
                            bp_name,
                            prefix,
                            source,
                            raw.info,
                            knowledge,
                        )
                    )
            else:
                routes.append(
                    _make_route(
                        raw.rule,
                        raw.methods,
                        raw.endpoint or raw.func,
                        None,
                        None,
                        source,
                        raw.info,
                        knowledge,
                    )
                )
    for s in scans if with_routes else []:
        if s.apps and s.static_folder:  # Flask adds it whether or not the folder exists
            routes.append(
                _make_route(
                    "/static/<path:filename>",
                    ["GET"],
                    "static",
                    None,
                    None,
                    f"{_relative(s.path, base)}:{min(s.apps.values())}",
                    None,
                    knowledge,
                )
            )
    blueprints = []
    seen_names = set()
    for key in bps:
        for bp_name, prefix in mounts(key):
            if bp_name not in seen_names:
                seen_names.add(bp_name)
                blueprints.append(Blueprint(bp_name, prefix, bps[key][2]))
    if not apps and not bps and not routes:
        raise ScanError("no Flask app found")
    return routes, blueprints


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


# ---------------------------------------------------------------------------- checklist


def checklist(report: Report, knowledge: Knowledge | None = None) -> list[Step]:
    """The port in order: extensions, then the app's structure, then routes by blueprint."""
    knowledge = knowledge or Knowledge.load()
    steps: list[Step] = []
    for ext in report.extensions:
        where = ", ".join(ext.where)
        if ext.page:
            text = f"Replace {ext.name} (`{ext.module}`, in {where}) with {ext.replacement}"
            steps.append(Step("extensions", text, [ext.page]))
        else:
            extra = f" with {ext.replacement}" if ext.replacement else ""
            text = (
                f"Replace {ext.name} (`{ext.module}`, in {where}){extra}: no guide page covers it"
            )
            steps.append(Step("extensions", text, []))
    by_page: dict[str, list[ApiUse]] = {}
    for api in report.apis:
        for link in api.pages:
            by_page.setdefault(link.url.partition("#")[0], []).append(api)
    order = [knowledge.page(p).url for p in knowledge.data["pages"]]
    for url in sorted(by_page, key=lambda u: order.index(u) if u in order else len(order)):
        apis = by_page[url]
        links = [link for link in apis[0].pages if link.url.partition("#")[0] == url]
        names = ", ".join(f"`{a.name}`" for a in apis)
        steps.append(Step("structure", f"Port the uses of {names}", links[:1]))
    if report.config_keys:
        keys = ", ".join(f"`{k}`" for k in report.config_keys)
        pages = [knowledge.page("structure/configuration.md")]
        steps.append(Step("structure", f"Move Flask settings {keys} to their FastAPI homes", pages))
    uncovered = [a for a in report.apis if not a.pages]
    if uncovered:
        names = ", ".join(f"`{a.name}`" for a in uncovered)
        steps.append(Step("structure", f"Port {names}: not covered by the guide", []))
    routes = sorted(
        report.routes, key=lambda r: (r.blueprint is not None, r.blueprint or "", r.rule)
    )
    prefixes = {bp.name: bp.url_prefix for bp in report.blueprints}
    announced: set[str] = set()
    for route in routes:
        section = f"blueprint {route.blueprint}" if route.blueprint else "app routes"
        if route.blueprint and route.blueprint not in announced:
            announced.add(route.blueprint)
            prefix = prefixes.get(route.blueprint, route.url_prefix)
            text = (
                f"Turn blueprint `{route.blueprint}` into `APIRouter("
                + (f'prefix="{prefix}"' if prefix else "")
                + ")` and include it in the app"
            )
            steps.append(Step(section, text, [knowledge.page("start/project-layout.md")]))
        text = f"`{' '.join(route.methods)} {route.rule}` → `{route.fastapi_decorator}`"
        steps.append(Step(section, text, _unique_links([c.page for c in route.changes])))
    return steps


def _unique_links(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())
