"""Reading the source: every `.py` file parsed with `ast` into one `FileScan` per file.

A `FileScan` holds what the file imports, the Flask and Werkzeug names it uses (by line),
the configuration keys it reads or sets, what each function uses and returns, and the raw
route registrations (decorators, `add_url_rule`, `register_blueprint`) before they are
joined across files by `flask2fastapi.routemodel`. Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import os
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask2fastapi.knowledge import Knowledge

#: Folders never scanned: virtualenvs, caches, VCS and build output.
SKIP_DIRS = {
    ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", "__pycache__", "node_modules",
    "site-packages", ".tox", ".nox", "build", "dist", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", "migrations",
}  # fmt: skip
#: Proxies whose attributes belong to a class: `request.args` → `flask.Request.args`.
#: Test folders, left out unless `--include-tests`.
TEST_DIRS = {"tests", "test"}
#: Larger `.py` files are data, not code, and are not parsed: Python's parser needs about
#: 130 times a file's size in memory (a 17 MB list literal: 2.2 GB and 23 s).
MAX_SOURCE_BYTES = 4 * 2**20
PROXY_CLASSES = {"request": "Request", "current_app": "Flask"}
#: Flask submodules whose names are reported as `flask.<module>.<name>`.
FLASK_SUBMODULES = {
    "app", "blueprints", "cli", "config", "ctx", "debughelpers", "globals", "helpers", "json",
    "logging", "sansio", "sessions", "signals", "templating", "testing", "typing", "views",
    "wrappers",
}  # fmt: skip
FLASK_CLASSES = {"Flask", "Blueprint", "Request", "Response", "Config"}
ROUTE_DECORATORS = {"route", "get", "post", "put", "delete", "patch"}


class ScanError(Exception):
    """Nothing to report: no Flask app in the target, or the target cannot be read/imported.
    The message names the file or module."""


@dataclass
class Problem:
    """A file the scan could not read; the rest of the folder was still scanned."""

    file: str
    message: str


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
class FileScan:
    """What one parsed file holds."""

    path: Path
    module: str
    imports: dict[str, str] = field(default_factory=dict)
    apps: dict[str, int] = field(default_factory=dict)  # var → line of Flask(...)
    blueprints: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)
    uses: dict[str, list[int]] = field(default_factory=dict)
    config_keys: dict[str, int] = field(default_factory=dict)
    functions: dict[int, FuncInfo] = field(default_factory=dict)  # def line and decorator lines
    static_folder: bool = True
    findings: dict[str, list[int]] = field(default_factory=dict)  # scan rule id → lines
    own_state: dict[str, int] = field(default_factory=dict)  # `app.redis` → first line
    calls: set[str] = field(default_factory=set)  # names called: `f(...)`, `x.f(...)`
    tree: ast.Module = field(default_factory=lambda: ast.Module([], []))


#: Flask-SQLAlchemy's query helpers (their rule ids are `sqlalchemy-<name>`).
SQLALCHEMY_CALLS = ("paginate", "get_or_404", "first_or_404", "one_or_404")


def _flask_attributes() -> frozenset[str] | None:
    """Every attribute of Flask's app and blueprint classes, if Flask is installed (source
    mode does not need it); None otherwise."""
    try:
        import flask
    except ImportError:
        return None
    # Instances, not classes: `config`, `url_map`, `extensions`… are set in `__init__`.
    app, bp = flask.Flask("flask2fastapi_probe"), flask.Blueprint("probe", "probe")
    return frozenset(dir(app)) | frozenset(dir(bp))


_FLASK_ATTRIBUTES = _flask_attributes()


def _own_attribute(name: str) -> str | None:
    """`flask.Flask.redis` → `app.redis` when `redis` is not Flask's: the app's own state."""
    cls, _, attr = name.removeprefix("flask.").partition(".")
    if cls not in ("Flask", "Blueprint") or not attr or _FLASK_ATTRIBUTES is None:
        return None
    attr = attr.partition(".")[0]
    if attr in _FLASK_ATTRIBUTES or not name.startswith("flask."):
        return None
    return f"{'app' if cls == 'Flask' else 'blueprint'}.{attr}"


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
        self._sqlalchemy()
        self.scan.calls = {
            node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            for node in self.nodes
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
        }
        return self.scan

    def _sqlalchemy(self) -> None:
        """Flask-SQLAlchemy's query API, by shape: `X.query.<...>`, `.paginate(`,
        `.get_or_404(`, `.first_or_404(`, `.one_or_404(`, and `db.session` where `db` is
        a `flask_sqlalchemy.SQLAlchemy` (here or imported)."""
        roots = {v.partition(".")[0] for v in self.scan.imports.values()}
        if "flask_sqlalchemy" not in roots and not any(
            v.endswith(".db") for v in self.scan.imports.values()
        ):
            return
        dbs = {
            name
            for name, full in self.scan.imports.items()
            if full.endswith(".db") or full == "flask_sqlalchemy.SQLAlchemy"
        }
        for node in self.nodes:
            call = node.value if isinstance(node, ast.Assign) else None
            if (
                isinstance(call, ast.Call)
                and self.resolve(call.func) == "flask_sqlalchemy.SQLAlchemy"
            ):
                dbs |= {t.id for t in node.targets if isinstance(t, ast.Name)}  # type: ignore[union-attr]
        found = self.scan.findings
        for node in self.nodes:
            if not isinstance(node, ast.Attribute):
                continue
            model = isinstance(node.value, ast.Name) and node.value.id[:1].isupper()
            if node.attr == "query" and model and isinstance(node.ctx, ast.Load):
                found.setdefault("sqlalchemy-query", []).append(node.lineno)
            elif node.attr in SQLALCHEMY_CALLS:
                found.setdefault(f"sqlalchemy-{node.attr.replace('_', '-')}", []).append(
                    node.lineno
                )
            elif node.attr == "session" and _dotted(node.value) in dbs:
                found.setdefault("sqlalchemy-session", []).append(node.lineno)

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
                own = _own_attribute(name) if name else None
                if own:
                    self.scan.own_state.setdefault(own, node.lineno)
                    name = None
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


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    # A package folder given as the target keeps its own name, as imports spell it.
    if (root / "__init__.py").is_file():
        parts.insert(0, root.name)
    return ".".join(parts) or root.name


def is_test_file(name: str) -> bool:
    """`test_*.py`, `*_test.py` and `conftest.py`: a test suite's files, not the app's."""
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")


def python_files(root: Path, include_tests: bool = False) -> list[Path]:
    """Every `.py` file under `root`, in a stable order, skipping virtualenvs and caches and,
    unless `include_tests`, test folders (`tests/`, `test/`) and test files (`is_test_file`).
    A file given as `root` is always read."""
    if root.is_file():
        return [root]
    skip = SKIP_DIRS if include_tests else SKIP_DIRS | TEST_DIRS
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        found += [
            Path(folder) / f
            for f in sorted(files)
            if f.endswith(".py")
            and (include_tests or not is_test_file(f))
            and (Path(folder) / f).is_file()  # a named pipe called x.py would block the read
        ]
    return found


def read_sources(
    root: Path, knowledge: Knowledge, base: Path | None = None, include_tests: bool = False
) -> tuple[list[FileScan], list[Problem]]:
    """Parse every file under `root` (see `python_files`); a file that cannot be read or
    parsed becomes a `Problem` and the others are still read. `base` is where paths are
    shown from."""
    base = base or (root if root.is_dir() else root.parent)
    module_root = root if root.is_dir() else root.parent
    extension_modules = {e["module"] for e in knowledge.data["extensions"].values()}
    scans, problems = [], []
    for path in python_files(root, include_tests):
        shown = _relative(path, base)
        try:
            size = path.stat().st_size
            if size > MAX_SOURCE_BYTES:
                limit = f"{MAX_SOURCE_BYTES:,} bytes"
                problems.append(Problem(shown, f"not parsed: {size:,} bytes, over {limit} (data?)"))
                continue
            source = path.read_bytes()
            tree = ast.parse(source, filename=str(path))
        except SyntaxError as exc:
            where = f"{shown}:{exc.lineno}" if exc.lineno else shown
            problems.append(Problem(where, f"syntax error: {exc.msg}"))
            continue
        except (OSError, ValueError) as exc:
            problems.append(Problem(shown, f"cannot read: {exc}"))
            continue
        except RecursionError:  # an expression nested deeper than the parser goes
            problems.append(Problem(shown, "cannot parse: nested too deeply"))
            continue
        scan = FileScan(path=path, module=_module_name(path, module_root), tree=tree)
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
