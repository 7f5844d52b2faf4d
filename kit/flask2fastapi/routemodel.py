"""The route model: which routes a Flask source tree registers, read without importing it.

`route_model(path)` is the public entry point (`port` and `scan` use it). It parses every
`.py` file and *interprets* the module bodies abstractly, as Python would run them, but
only as far as the values that decide routes: literals, names bound by assignment or
import (across the tree's own modules, on demand, as `import` does), loops over literal
sequences, f-strings, and calls of the tree's own functions with literal arguments (the
helper that calls `add_url_rule` with its parameters). Functions nobody calls (app
factories) are run once with unknown arguments.

An *owner* is a value created by calling a known class: `flask.Flask`, `flask.Blueprint`,
`flask_restx.Api`/`Namespace`, `flask_restful.Api`, or a subclass of one defined in the
tree. A decorator or call registers a route only when its owner is one of these, so
`@mock.patch(...)` or `requests.get(...)` never does. A registration call whose owner or
rule cannot be resolved (a computed rule, a blueprint registered through a parameter no
caller fills, a module imported by a computed name) is recorded as `Unresolved` with its
`file:line`: the inventory is then known to be incomplete.

Semantics follow the libraries' sources: Flask 3.1 (`BlueprintSetupState.add_url_rule`,
nested blueprint prefixes in `Blueprint.register`, `MethodView.__init_subclass__`),
Flask-RESTX 1.3 (`Api._complete_url`, `Api.default_endpoint`, `Namespace.path`) and
Flask-RESTful 0.3 (`Api._complete_url`, endpoint `resource.__name__.lower()`).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask2fastapi.source import FileScan, ScanError, _relative

#: Flask-style route decorators on an app or blueprint; each verb is its one method.
VERBS = ("get", "post", "put", "delete", "patch")
#: What `MethodView` turns into methods (Flask's `http_method_funcs`).
HTTP_METHOD_FUNCS = ("get", "post", "head", "options", "delete", "put", "trace", "patch")
#: Calls whose name alone says "a route or mount is registered here": reported as not
#: resolved when their owner or rule is unknown. (`route`, `get`… are too common to say so.)
REGISTRATION_CALLS = {"add_url_rule", "register_blueprint", "add_resource", "add_namespace"}
#: Hooks and handlers hung on an app or blueprint (Flask 3.1's scaffold, app and blueprint).
HOOKS = {
    "before_request", "after_request", "teardown_request", "teardown_appcontext",
    "before_app_request", "after_app_request", "teardown_app_request", "errorhandler",
    "app_errorhandler", "register_error_handler", "context_processor",
    "app_context_processor", "template_filter", "template_global", "template_test",
    "app_template_filter", "app_template_global", "app_template_test", "add_template_filter",
    "add_template_global", "url_value_preprocessor", "url_defaults",
    "app_url_value_preprocessor", "app_url_defaults", "shell_context_processor",
}  # fmt: skip
#: Extensions that add routes of their own when bound to an app (their views, docs or
#: static files): the source cannot show which, import mode can.
ROUTE_EXTENSIONS = {
    "flask_debugtoolbar", "flask_admin", "flasgger", "flask_smorest", "flask_security",
    "flask_apispec", "flask_monitoringdashboard", "flask_swagger_ui", "flask_dance",
}  # fmt: skip
#: Imports by a computed name: plugins the source cannot show.
DYNAMIC_IMPORTS = ("importlib.import_module", "__import__")
#: How deep calls of the tree's own functions are followed.
MAX_DEPTH = 6
#: Statements followed in all before the rest is reported as not followed (a bound on
#: nested literal loops; the 1,000-route bench app takes about 10,000).
MAX_STEPS = 200_000
#: Longest literal sequence a `for` loop is unrolled over.
MAX_LOOP = 2000

# Where owner classes come from: resolved dotted name → kind.
_OWNER_CLASSES = {
    "flask.Flask": "app", "flask.app.Flask": "app", "apiflask.APIFlask": "app",
    "flask.Blueprint": "bp", "flask.blueprints.Blueprint": "bp", "apiflask.APIBlueprint": "bp",
    "flask_restx.Api": "restx_api", "flask_restx.api.Api": "restx_api",
    "flask_restplus.Api": "restx_api",
    "flask_restx.Namespace": "restx_ns", "flask_restx.namespace.Namespace": "restx_ns",
    "flask_restplus.Namespace": "restx_ns",
    "flask_restful.Api": "restful_api",
}  # fmt: skip
_VIEW_CLASSES = {
    "flask.views.MethodView": "methodview", "flask.MethodView": "methodview",
    "flask_restx.Resource": "methodview", "flask_restx.resource.Resource": "methodview",
    "flask_restplus.Resource": "methodview", "flask_restful.Resource": "methodview",
    "flask.views.View": "view", "flask.View": "view",
}  # fmt: skip


#: Integer arithmetic on known values (`MAX_ID = 2**63 - 1` in a converter's `max=`): the
#: operators, and a bound on the size of the result so that `10**10**9` is not computed.
_INT_OPS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b if 0 <= b <= 256 and abs(a) <= 2**64 else UNKNOWN,
}  # fmt: skip


def _int_op(op: ast.operator, left: Any, right: Any) -> Any:
    """`left op right` for two ints (never bools) with a result under 512 bits, else
    `UNKNOWN`."""
    if not (type(left) is int and type(right) is int) or type(op) not in _INT_OPS:
        return UNKNOWN
    if isinstance(op, ast.FloorDiv | ast.Mod) and right == 0:
        return UNKNOWN
    result = _INT_OPS[type(op)](left, right)
    return result if type(result) is int and result.bit_length() <= 512 else UNKNOWN


# ------------------------------------------------------------------------------ the model


@dataclass
class RouteSite:
    """One route the source registers, placed on its app.

    `rule` is the full Werkzeug rule (prefixes applied); `methods` the declared methods
    (without the automatic HEAD and OPTIONS), sorted; `endpoint` the full endpoint name as
    `url_for` spells it; `blueprint` the dotted blueprint name (None on the app itself)
    and `url_prefix` its effective prefix; `owners` the chain from the registering object
    to the app, each `"kind name (file:line)"`; `view` the view function or class name;
    `file`/`line` where the registration is; `method` how it was found (`decorator`,
    `add_url_rule`, `class-based view`, `restx`, `restful`, `helper`, `static`, `restx
    (generated)`).
    """

    rule: str
    methods: list[str]
    endpoint: str
    blueprint: str | None
    url_prefix: str | None
    owners: list[str]
    view: str
    file: str
    line: int
    method: str


@dataclass
class Unresolved:
    """A registration seen but not resolved: where, what call, and why."""

    file: str
    line: int
    call: str
    reason: str


@dataclass
class Hook:
    """A hook, handler, template helper or CLI command hung on an app or blueprint.

    `name` is the method (`before_app_request`, `errorhandler`, `cli.command`…), `owner`
    `"app"` or `"blueprint"`."""

    name: str
    owner: str
    file: str
    line: int


@dataclass
class RouteModel:
    """What `route_model` found: routes, hooks, registrations not resolved, files read."""

    routes: list[RouteSite] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    blueprints: list[tuple[str, str | None, str]] = field(default_factory=list)
    apps: int = 0

    def by_method(self) -> dict[str, int]:
        """Routes per discovery method, most first."""
        counts: dict[str, int] = {}
        for r in self.routes:
            counts[r.method] = counts.get(r.method, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# ---------------------------------------------------------------------- abstract values


class _Unknown:
    def __repr__(self) -> str:
        return "?"


UNKNOWN: Any = _Unknown()


@dataclass(eq=False)
class Owner:
    kind: str  # app | bp | restx_api | restx_ns | restful_api
    site: str
    name: str | None = None
    url_prefix: str | None = None  # bp: own prefix; restx/restful api: prefix; ns: path
    static: tuple[str, str] | None = None  # (url path, endpoint) of its static route
    doc: Any = "/"  # restx api: the doc path, or False
    specs: bool = True  # restx api: add_specs
    default_ns: Owner | None = None


@dataclass(frozen=True)
class External:
    dotted: str


@dataclass(frozen=True)
class ModuleRef:
    name: str


@dataclass(eq=False)
class FuncRef:
    module: _Module
    node: ast.FunctionDef | ast.AsyncFunctionDef
    closure: dict[str, Any] | None = None


@dataclass(eq=False)
class ClassRef:
    module: _Module
    node: ast.ClassDef
    bases: list[Any]
    attrs: dict[str, Any]


@dataclass(frozen=True)
class Extension:
    """An instance of an extension in `ROUTE_EXTENSIONS`."""

    module: str


@dataclass(frozen=True)
class Bound:
    target: Any
    attr: str


@dataclass(frozen=True)
class Cli:
    owner: Owner


@dataclass(frozen=True)
class AsView:
    cls: Any
    name: Any


@dataclass(frozen=True)
class Deco:
    """A decorator waiting for its function or class: `@bp.route("/x")`, `@ns.route(...)`."""

    owner: Owner
    call: str
    rules: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    site: tuple[str, int]
    helper: bool


@dataclass(frozen=True)
class HookDeco:
    owner: Owner
    name: str
    site: tuple[str, int]


@dataclass
class _Module:
    name: str
    scan: FileScan
    shown: str
    env: dict[str, Any] = field(default_factory=dict)
    state: str = "new"  # new | running | done
    star: list[str] = field(default_factory=list)  # `from flask import *` of outside modules


@dataclass
class _Frame:
    module: _Module
    local: dict[str, Any] | None  # None at module level
    depth: int = 0
    returned: Any = UNKNOWN
    closure: dict[str, Any] | None = None

    def lookup(self, name: str) -> Any:
        if self.local is not None and name in self.local:
            return self.local[name]
        if self.closure is not None and name in self.closure:
            return self.closure[name]
        if name in self.module.env:
            return self.module.env[name]
        for star in self.module.star:  # `from flask import *`: `Flask` is `flask.Flask`
            if f"{star}.{name}" in _OWNER_CLASSES or f"{star}.{name}" in _VIEW_CLASSES:
                return External(f"{star}.{name}")
        return UNKNOWN

    def bind(self, name: str, value: Any) -> None:
        (self.local if self.local is not None else self.module.env)[name] = value


@dataclass(frozen=True)
class _RawRoute:
    owner: Owner
    rule: str
    methods: tuple[str, ...] | None
    endpoint: str | None
    view: str
    view_kind: str  # func | class
    file: str
    line: int
    method: str
    # Flask-RESTful: added before the API was bound (`init_app`) to anything.
    before_binding: bool = False


@dataclass(frozen=True)
class _Mount:
    parent: Owner
    url_prefix: str | None
    name: str | None
    explicit: bool


# ------------------------------------------------------------------------ the interpreter


class _Interpreter:
    def __init__(self, scans: list[FileScan], base: Path) -> None:
        self.modules = {s.module: _Module(s.module, s, _relative(s.path, base)) for s in scans}
        # Scripts run from inside a package folder import its modules without the package
        # name (`from api.users import bp`, even `from __init__ import app`): known too.
        for name, module in list(self.modules.items()):
            top, _, rest = name.partition(".")
            if module.scan.path.parent == base and module.scan.path.name == "__init__.py":
                self.modules.setdefault("__init__", module)
            if rest and (base / "__init__.py").is_file() and top == base.name:
                self.modules.setdefault(rest, module)
        self.owners: dict[tuple[str, Any], Owner] = {}
        self.routes: dict[tuple[Any, ...], _RawRoute] = {}
        self.mounts: dict[int, dict[_Mount, None]] = {}
        self.hooks: dict[tuple[str, str, int], Hook] = {}
        self.unresolved: dict[tuple[str, int], Unresolved] = {}
        self.executed: set[int] = set()
        self.stack: list[int] = []
        self.functions: list[FuncRef] = []
        self.steps = 0

    # -- running
    def run(self) -> None:
        for module in self.modules.values():
            self.load(module)
        called = self._called_names()
        pending = [f for f in self.functions if id(f.node) not in self.executed]
        # Entry points first (factories nobody calls), so helpers get real arguments.
        for f in sorted(pending, key=lambda f: f.node.name in called):
            if id(f.node) not in self.executed:
                self.call_function(f, [], {}, depth=0, unknown_args=True)

    def _called_names(self) -> set[str]:
        return {name for module in self.modules.values() for name in module.scan.calls}

    def load(self, module: _Module) -> dict[str, Any]:
        if module.state == "new":
            module.state = "running"
            self.block(module.scan.tree.body, _Frame(module, None))
            module.state = "done"
        return module.env

    def module_attr(self, name: str, attr: str) -> Any:
        module = self.modules.get(name)
        if module is None:
            return UNKNOWN
        env = self.load(module)
        if attr in env:
            return env[attr]
        if f"{name}.{attr}" in self.modules:
            return ModuleRef(f"{name}.{attr}")
        return UNKNOWN

    def resolve_import(self, dotted: str) -> Any:
        """A fully dotted imported name: a value of the tree's own modules, or External."""
        if dotted in self.modules:
            return ModuleRef(dotted)
        parent, _, attr = dotted.rpartition(".")
        if parent in self.modules:
            return self.module_attr(parent, attr)
        return External(dotted)

    # -- statements
    def block(self, body: list[ast.stmt], frame: _Frame) -> None:
        for stmt in body:
            self.steps += 1
            if self.steps > MAX_STEPS:
                site = (frame.module.shown, stmt.lineno)
                self.unresolve(site, "statement", f"not followed: over {MAX_STEPS} steps")
                return
            try:
                self.stmt(stmt, frame)
            except Exception as exc:  # one odd statement must not stop the scan,
                # but the inventory can no longer claim to be complete.
                site = (frame.module.shown, stmt.lineno)
                self.unresolve(site, "statement", f"not interpreted ({type(exc).__name__})")

    def stmt(self, node: ast.stmt, frame: _Frame) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            self.import_(node, frame)
        elif isinstance(node, ast.Assign):
            value = self.ev(node.value, frame)
            for target in node.targets:
                self.assign(target, value, frame)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self.assign(node.target, self.ev(node.value, frame), frame)
        elif isinstance(node, ast.Expr):
            self.ev(node.value, frame)
        elif isinstance(node, ast.Return) and node.value is not None:
            value = self.ev(node.value, frame)
            if value is not UNKNOWN or frame.returned is UNKNOWN:
                frame.returned = value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            closure = dict(frame.local) if frame.local is not None else None
            ref = FuncRef(frame.module, node, closure)
            if frame.local is None:
                self.functions.append(ref)
            frame.bind(node.name, ref)
            for deco in node.decorator_list:
                self.decorate(self.ev(deco, frame), ref, node.name, "func", deco)
        elif isinstance(node, ast.ClassDef):
            self.classdef(node, frame)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.for_(node, frame)
        elif isinstance(node, ast.If):
            if self._is_main_guard(node.test):
                return
            self.block(node.body, frame)
            self.block(node.orelse, frame)
        elif isinstance(node, ast.With | ast.AsyncWith | ast.While):
            self.block(node.body, frame)
        elif isinstance(node, ast.Try):
            for part in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                self.block(part, frame)

    @staticmethod
    def _is_main_guard(test: ast.expr) -> bool:
        return (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and test.left.id == "__name__"
        )

    def import_(self, node: ast.Import | ast.ImportFrom, frame: _Frame) -> None:
        imports = frame.module.scan.imports
        for alias in node.names:
            if alias.name == "*":  # `from .views import *`: the module's public names
                module = None
                if isinstance(node, ast.ImportFrom):
                    module = self.modules.get(self._from_base(node, frame.module))
                if module is None and isinstance(node, ast.ImportFrom):
                    frame.module.star.append(self._from_base(node, frame.module))
                if module is not None:
                    env = self.load(module)
                    names = env.get("__all__")
                    if not isinstance(names, list | tuple):
                        names = [n for n in env if not n.startswith("_")]
                    for name in names:
                        if isinstance(name, str) and name in env:
                            frame.bind(name, env[name])
                continue
            if isinstance(node, ast.Import):
                local = alias.asname or alias.name.partition(".")[0]
                full = alias.name if alias.asname else local
                if alias.asname is None:
                    for i in range(1, alias.name.count(".") + 2):
                        prefix = ".".join(alias.name.split(".")[:i])
                        if prefix in self.modules:
                            self.load(self.modules[prefix])
            else:
                local = alias.asname or alias.name
                full = imports.get(local, alias.name)
            frame.bind(local, self.resolve_import(full))

    @staticmethod
    def _from_base(node: ast.ImportFrom, module: _Module) -> str:
        """The absolute module of `from X import ...` (relative levels resolved)."""
        if not node.level:
            return node.module or ""
        package = module.name if module.scan.path.name == "__init__.py" else (
            module.name.rpartition(".")[0]
        )  # fmt: skip
        parts = package.split(".") if package else []
        parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        return ".".join(p for p in [*parts, node.module or ""] if p)

    def assign(self, target: ast.expr, value: Any, frame: _Frame) -> None:
        if isinstance(target, ast.Name):
            frame.bind(target.id, value)
        elif isinstance(target, ast.Tuple | ast.List):
            values = value if isinstance(value, tuple | list) else None
            if values is not None and len(values) != len(target.elts):
                values = None
            for i, elt in enumerate(target.elts):
                self.assign(elt, values[i] if values is not None else UNKNOWN, frame)

    def for_(self, node: ast.For | ast.AsyncFor, frame: _Frame) -> None:
        items = self.ev(node.iter, frame)
        if isinstance(items, dict):
            items = list(items)
        if isinstance(items, list | tuple) and len(items) <= MAX_LOOP:
            for item in items:
                self.assign(node.target, item, frame)
                self.block(node.body, frame)
        else:
            self.assign(node.target, UNKNOWN, frame)
            self.block(node.body, frame)

    def classdef(self, node: ast.ClassDef, frame: _Frame) -> None:
        bases = [self.ev(b, frame) for b in node.bases]
        attrs: dict[str, Any] = {}
        for item in node.body:
            if isinstance(item, ast.Assign):
                for t in item.targets:
                    if isinstance(t, ast.Name):
                        attrs[t.id] = self.ev(item.value, frame)
            elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                attrs[item.name] = FuncRef(frame.module, item)
                self.functions.append(attrs[item.name])
            elif isinstance(item, ast.ClassDef):  # `UsersAPI._Item`, a namespace class
                inner = _Frame(frame.module, {}, frame.depth, closure=frame.local)
                self.classdef(item, inner)
                attrs[item.name] = inner.local[item.name]  # type: ignore[index]
        ref = ClassRef(frame.module, node, bases, attrs)
        frame.bind(node.name, ref)
        for deco in node.decorator_list:
            self.decorate(self.ev(deco, frame), ref, node.name, "class", deco)

    # -- expressions
    def ev(self, node: ast.expr, frame: _Frame) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return frame.lookup(node.id)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.ev(node.value, frame), node.attr)
        if isinstance(node, ast.Call):
            return self.call(node, frame)
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                elif isinstance(value, ast.FormattedValue) and value.format_spec is None:
                    inner = self.ev(value.value, frame)
                    if not isinstance(inner, str | int | float) or isinstance(inner, bool):
                        return UNKNOWN
                    parts.append(str(inner))
                else:
                    return UNKNOWN
            return "".join(parts)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [self.ev(e, frame) for e in node.elts if not isinstance(e, ast.Starred)]
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return UNKNOWN
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values, strict=True):
                key = self.ev(k, frame) if k is not None else UNKNOWN
                if not isinstance(key, str | int | tuple):
                    return UNKNOWN
                out[key] = self.ev(v, frame)
            return out
        if isinstance(node, ast.BinOp):
            left, right = self.ev(node.left, frame), self.ev(node.right, frame)
            same = type(left) is type(right)
            if isinstance(node.op, ast.Add) and same and isinstance(left, str | list | tuple):
                return left + right
            if isinstance(node.op, ast.Mod) and isinstance(left, str):
                try:
                    return left % right
                except (TypeError, ValueError):
                    return UNKNOWN
            return _int_op(node.op, left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = ast.Sub() if isinstance(node.op, ast.USub) else ast.Add()
            return _int_op(sign, 0, self.ev(node.operand, frame))
        if isinstance(node, ast.Subscript):
            container, key = self.ev(node.value, frame), self.ev(node.slice, frame)
            try:
                if isinstance(container, dict | list | tuple | str):
                    return container[key]
            except (KeyError, IndexError, TypeError):
                return UNKNOWN
            return UNKNOWN
        return UNKNOWN

    def attribute(self, base: Any, attr: str) -> Any:
        if isinstance(base, ModuleRef):
            return self.module_attr(base.name, attr)
        if isinstance(base, External):
            return External(f"{base.dotted}.{attr}")
        if isinstance(base, Owner):
            if attr == "cli" and base.kind in ("app", "bp"):
                return Cli(base)
            return Bound(base, attr)
        if isinstance(base, ClassRef):
            return base.attrs[attr] if attr in base.attrs else Bound(base, attr)
        if isinstance(base, Cli | Extension):
            return Bound(base, attr)
        if isinstance(base, Deco | HookDeco):
            return UNKNOWN
        return UNKNOWN

    def call(self, node: ast.Call, frame: _Frame) -> Any:
        func = self.ev(node.func, frame)
        args = [UNKNOWN if isinstance(a, ast.Starred) else self.ev(a, frame) for a in node.args]
        kwargs = {k.arg: self.ev(k.value, frame) for k in node.keywords if k.arg}
        if func is UNKNOWN:
            known = _known_call(node, frame, args, kwargs, self)
            if known is not UNKNOWN:
                return known
        site = (frame.module.shown, node.lineno)
        helper = frame.depth > 0
        if isinstance(func, External | ClassRef):
            kind = self.class_kind(func)
            if kind in ("app", "bp", "restx_api", "restx_ns", "restful_api"):
                if kind == "app" and self._is_apiflask(func):
                    self.unresolve(site, "APIFlask", "it adds OpenAPI routes from its settings")
                return self.create(kind, args, kwargs, site, frame)
            root = func.dotted.partition(".")[0] if isinstance(func, External) else ""
            if root in ROUTE_EXTENSIONS:
                self._extension_routes(root, [*args, *kwargs.values()], site)
                return Extension(root)
            dynamic = isinstance(func, External) and func.dotted in DYNAMIC_IMPORTS
            if dynamic and not (args and isinstance(args[0], str)):
                self.unresolve(site, "import_module", "a module imported by a computed name")
            return UNKNOWN
        if isinstance(func, FuncRef):
            return self.call_function(func, args, kwargs, frame.depth + 1)
        if isinstance(func, Bound):
            return self.method(func, args, kwargs, site, helper)
        if isinstance(func, Deco | HookDeco) and args:
            view = args[0]
            name = view.node.name if isinstance(view, FuncRef | ClassRef) else None
            kind = "class" if isinstance(view, ClassRef) else "func"
            self.decorate(func, view, name, kind, node)
            return view
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in REGISTRATION_CALLS
            and not isinstance(func, External)
        ):
            self.unresolve(site, node.func.attr, "its owner is not a known app, blueprint or API")
        return UNKNOWN

    def call_function(
        self,
        func: FuncRef,
        args: list[Any],
        kwargs: dict[str, Any],
        depth: int,
        unknown_args: bool = False,
    ) -> Any:
        key = id(func.node)
        if depth > MAX_DEPTH or key in self.stack:
            return UNKNOWN
        self.executed.add(key)
        local: dict[str, Any] = {}
        spec = func.node.args
        positional = [*spec.posonlyargs, *spec.args]
        defaults = dict(
            zip([a.arg for a in positional][len(positional) - len(spec.defaults) :],
                spec.defaults, strict=True)
        )  # fmt: skip
        frame = _Frame(func.module, local, depth, closure=func.closure)
        for i, arg in enumerate(positional):
            if unknown_args:
                local[arg.arg] = UNKNOWN
            elif i < len(args):
                local[arg.arg] = args[i]
            elif arg.arg in kwargs:
                local[arg.arg] = kwargs[arg.arg]
            elif arg.arg in defaults:
                local[arg.arg] = self.ev(defaults[arg.arg], _Frame(func.module, None))
            else:
                local[arg.arg] = UNKNOWN
        for arg, default in zip(spec.kwonlyargs, spec.kw_defaults, strict=True):
            if arg.arg in kwargs and not unknown_args:
                local[arg.arg] = kwargs[arg.arg]
            elif default is not None and not unknown_args:
                local[arg.arg] = self.ev(default, _Frame(func.module, None))
            else:
                local[arg.arg] = UNKNOWN
        if spec.vararg:
            local[spec.vararg.arg] = UNKNOWN if unknown_args else tuple(args[len(positional) :])
        if spec.kwarg:
            extra = {k: v for k, v in kwargs.items() if k not in local}
            local[spec.kwarg.arg] = UNKNOWN if unknown_args else extra
        self.stack.append(key)
        try:
            self.block(func.node.body, frame)
        finally:
            self.stack.pop()
        return frame.returned

    # -- what owners do
    def class_kind(self, value: Any, seen: frozenset[int] = frozenset()) -> str | None:
        """`app`, `bp`, `restx_api`, `restx_ns`, `restful_api`, `methodview`, `view` or None."""
        if isinstance(value, External):
            return _OWNER_CLASSES.get(value.dotted) or _VIEW_CLASSES.get(value.dotted)
        if isinstance(value, ClassRef) and id(value) not in seen:
            for base in value.bases:
                kind = self.class_kind(base, seen | {id(value)})
                if kind:
                    return kind
        return None

    def _is_apiflask(self, value: Any) -> bool:
        if isinstance(value, External):
            return value.dotted == "apiflask.APIFlask"
        return isinstance(value, ClassRef) and any(self._is_apiflask(b) for b in value.bases)

    def create(
        self,
        kind: str,
        args: list[Any],
        kwargs: dict[str, Any],
        site: tuple[str, int],
        frame: _Frame,
    ) -> Owner:
        shown = f"{site[0]}:{site[1]}"
        name: Any = None
        if kind == "bp":
            name = args[0] if args else kwargs.get("name")
            if not isinstance(name, str):
                name = None
                self.unresolve(site, "Blueprint", "its name is computed at run time")
        elif kind == "restx_ns":
            name = args[0] if args else kwargs.get("name")
        key = (shown, name)
        if key in self.owners:
            return self.owners[key]
        owner = Owner(kind, shown, name if isinstance(name, str) else None)
        self.owners[key] = owner
        prefix = kwargs.get("url_prefix") if kind == "bp" else kwargs.get("prefix")
        if kind == "restx_ns":
            prefix = kwargs.get("path")
        owner.url_prefix = prefix if isinstance(prefix, str) else None
        if kind in ("app", "bp"):
            self._static(owner, kind, kwargs)
        if kind == "restx_api":
            owner.doc = kwargs.get("doc", "/")
            owner.specs = kwargs.get("add_specs", True) is not False
            default = Owner("restx_ns", shown, "default", "/")
            owner.default_ns = default
            self._mount(default, _Mount(owner, None, None, False))
        if kind in ("restx_api", "restful_api"):
            target = args[0] if args else kwargs.get("app")
            if isinstance(target, Owner):
                self._mount(owner, _Mount(target, None, None, False))
        return owner

    def _static(self, owner: Owner, kind: str, kwargs: dict[str, Any]) -> None:
        if kind == "app":
            folder = kwargs.get("static_folder", "static")
            if folder is None:
                return
            url = kwargs.get("static_url_path")
            if not isinstance(url, str):
                url = "/" + os.path.basename(folder) if isinstance(folder, str) else "/static"
            owner.static = (url.rstrip("/") + "/<path:filename>", "static")
        else:
            folder = kwargs.get("static_folder")
            if folder is None:
                return
            url = kwargs.get("static_url_path")
            if not isinstance(url, str):
                base = os.path.basename(folder) if isinstance(folder, str) else "static"
                url = f"/{base}".rstrip("/")
            owner.static = (f"{url}/<path:filename>", "static")

    def _mount(self, child: Owner, mount: _Mount) -> None:
        self.mounts.setdefault(id(child), {})[mount] = None

    def unresolve(self, site: tuple[str, int], call: str, reason: str) -> None:
        self.unresolved.setdefault(site, Unresolved(site[0], site[1], call, reason))

    def method(
        self,
        bound: Bound,
        args: list[Any],
        kwargs: dict[str, Any],
        site: tuple[str, int],
        helper: bool,
    ) -> Any:
        target, attr = bound.target, bound.attr
        if isinstance(target, Extension):
            self._extension_routes(target.module, [*args, *kwargs.values()], site)
            return UNKNOWN
        if isinstance(target, Cli):
            if attr in ("command", "add_command", "group"):
                self.hook(f"cli.{attr}", target.owner, site)
            return UNKNOWN
        if isinstance(target, ClassRef):
            if attr == "as_view":
                return AsView(target, args[0] if args else kwargs.get("name", UNKNOWN))
            return UNKNOWN
        if not isinstance(target, Owner):
            return UNKNOWN
        kind = target.kind
        if kind in ("app", "bp"):
            if attr == "route" or attr in VERBS:
                return self._deco(target, attr, args[:1], kwargs, site, helper)
            if attr == "add_url_rule":
                rule = args[0] if args else kwargs.get("rule")
                endpoint = args[1] if len(args) > 1 else kwargs.get("endpoint")
                view = args[2] if len(args) > 2 else kwargs.get("view_func")
                self._add_url_rule(target, rule, endpoint, view, kwargs, site, helper)
                return None
            if attr == "register_blueprint" and args:
                child = args[0]
                if isinstance(child, Owner) and child.kind == "bp":
                    prefix = kwargs.get("url_prefix")
                    name = kwargs.get("name")
                    self._mount(
                        child,
                        _Mount(
                            target,
                            prefix if isinstance(prefix, str) else None,
                            name if isinstance(name, str) else None,
                            "url_prefix" in kwargs,
                        ),
                    )
                    if "url_prefix" in kwargs and not isinstance(prefix, str | None):
                        self.unresolve(site, attr, "its url_prefix is computed at run time")
                else:
                    self.unresolve(site, attr, "the blueprint is not resolved")
                return None
            if attr in HOOKS:
                if attr == "register_error_handler" or (attr.startswith("add_template") and args):
                    self.hook(attr, target, site)
                    return None
                if args and isinstance(args[0], FuncRef) and attr not in (
                    "errorhandler", "app_errorhandler", "template_filter", "template_global",
                    "template_test", "app_template_filter", "app_template_global",
                    "app_template_test",
                ):  # fmt: skip
                    self.hook(attr, target, site)  # `app.before_request(f)`
                    return args[0]
                return HookDeco(target, attr, site)
            return UNKNOWN
        if kind == "restx_api":
            if attr == "namespace":
                ns = self.create("restx_ns", args, kwargs, site, _Frame(None, None))  # type: ignore[arg-type]
                self._mount(ns, _Mount(target, None, None, False))
                return ns
            if attr == "add_namespace" and args:
                path = kwargs.get("path", args[1] if len(args) > 1 else None)
                if isinstance(args[0], Owner):
                    self._mount(
                        args[0],
                        _Mount(target, path if isinstance(path, str) else None, None, False),
                    )
                else:
                    self.unresolve(site, attr, "the namespace is not resolved")
                return None
            if attr in ("route", "add_resource") and target.default_ns is not None:
                return self.method(Bound(target.default_ns, attr), args, kwargs, site, helper)
            if attr == "init_app" and args and isinstance(args[0], Owner):
                self._mount(target, _Mount(args[0], None, None, False))
            return UNKNOWN
        if kind == "restx_ns":
            if attr == "route":
                return self._deco(target, "resource", args, kwargs, site, helper)
            if attr == "add_resource" and args:
                self._resource(target, args[0], args[1:], kwargs, site, helper)
            return UNKNOWN
        if kind == "restful_api":
            if attr == "resource":
                return self._deco(target, "resource", args, kwargs, site, helper)
            if attr == "add_resource" and args:
                self._resource(target, args[0], args[1:], kwargs, site, helper)
            if attr == "init_app" and args and isinstance(args[0], Owner):
                self._mount(target, _Mount(args[0], None, None, False))
            return UNKNOWN
        return UNKNOWN

    def _extension_routes(self, module: str, args: list[Any], site: tuple[str, int]) -> None:
        if any(isinstance(a, Owner) and a.kind in ("app", "bp") for a in args):
            self.unresolve(site, module, "this extension may add routes of its own at run time")

    def _deco(
        self,
        owner: Owner,
        call: str,
        rules: list[Any],
        kwargs: dict[str, Any],
        site: tuple[str, int],
        helper: bool,
    ) -> Any:
        if not rules or not all(isinstance(r, str) for r in rules):
            self.unresolve(site, call, "its rule is computed at run time")
            return UNKNOWN
        kw = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
        return Deco(owner, call, tuple(rules), kw, site, helper)

    def decorate(self, deco: Any, view: Any, name: str | None, kind: str, node: ast.AST) -> None:
        if isinstance(deco, HookDeco):
            self.hook(deco.name, deco.owner, deco.site)
        elif isinstance(deco, Bound) and isinstance(deco.target, Owner) and deco.attr in HOOKS:
            self.hook(
                deco.attr, deco.target, (self._shown(view), node.lineno)
            )  # `@app.before_request`
        elif isinstance(deco, Bound) and isinstance(deco.target, Cli):
            self.hook(f"cli.{deco.attr}", deco.target.owner, (self._shown(view), node.lineno))
        elif isinstance(deco, Deco) and name:
            kwargs = dict(deco.kwargs)
            if deco.call == "resource":
                self._resource(deco.owner, view, list(deco.rules), kwargs, deco.site, deco.helper)
                return
            methods = _methods(kwargs.get("methods"))
            if deco.call in VERBS:
                methods = (deco.call.upper(),)
            endpoint = kwargs.get("endpoint")
            how = "helper" if deco.helper else "decorator"
            self._route(deco.owner, deco.rules[0], methods, endpoint, name, kind, deco.site, how)

    def _shown(self, view: Any) -> str:
        return view.module.shown if isinstance(view, FuncRef | ClassRef) else "?"

    def hook(self, name: str, owner: Owner, site: tuple[str, int]) -> None:
        where = "app" if owner.kind == "app" else "blueprint"
        self.hooks.setdefault((name, site[0], site[1]), Hook(name, where, site[0], site[1]))

    def _add_url_rule(
        self,
        owner: Owner,
        rule: Any,
        endpoint: Any,
        view: Any,
        kwargs: dict[str, Any],
        site: tuple[str, int],
        helper: bool,
    ) -> None:
        if not isinstance(rule, str):
            self.unresolve(site, "add_url_rule", "its rule is computed at run time")
            return
        methods = _methods(kwargs.get("methods"))
        how = "helper" if helper else "add_url_rule"
        if isinstance(view, AsView):
            cls_methods = self.view_methods(view.cls)
            name = view.name if isinstance(view.name, str) else None
            cls_name = view.cls.node.name if isinstance(view.cls, ClassRef) else str(view.cls)
            self._route(
                owner, rule, methods or cls_methods, endpoint if isinstance(endpoint, str)
                else name, cls_name, "class", site, "helper" if helper else "class-based view",
            )  # fmt: skip
        elif isinstance(view, FuncRef):
            self._route(owner, rule, methods, endpoint, view.node.name, "func", site, how)
        elif isinstance(endpoint, str):
            self._route(owner, rule, methods, endpoint, endpoint, "func", site, how)
        else:
            self.unresolve(site, "add_url_rule", "its view function is not resolved")

    def _resource(
        self,
        owner: Owner,
        cls: Any,
        urls: list[Any],
        kwargs: dict[str, Any],
        site: tuple[str, int],
        helper: bool,
    ) -> None:
        if not isinstance(cls, ClassRef):
            self.unresolve(site, "add_resource", "the resource class is not resolved")
            return
        if not urls or not all(isinstance(u, str) for u in urls):
            self.unresolve(site, "add_resource", "its URL is computed at run time")
            return
        # Extra keywords go on to `add_url_rule`: `methods=[...]` overrides the class's.
        methods = _methods(kwargs.get("methods")) or self.view_methods(cls)
        endpoint = kwargs.get("endpoint")
        how = "helper" if helper else owner.kind.partition("_")[0]
        early = owner.kind == "restful_api" and not self.mounts.get(id(owner))
        for url in urls:
            self._route(owner, url, methods, endpoint, cls.node.name, "class", site, how, early)

    def _route(
        self,
        owner: Owner,
        rule: str,
        methods: tuple[str, ...] | None,
        endpoint: Any,
        view: str,
        view_kind: str,
        site: tuple[str, int],
        how: str,
        before_binding: bool = False,
    ) -> None:
        raw = _RawRoute(
            owner, rule, methods, endpoint if isinstance(endpoint, str) else None,
            view, view_kind, site[0], site[1], how, before_binding,
        )  # fmt: skip
        self.routes.setdefault((id(owner), rule, methods, raw.endpoint, view, site), raw)

    def view_methods(self, cls: Any) -> tuple[str, ...] | None:
        """Methods of a class-based view, as `MethodView.__init_subclass__` sets them."""
        if not isinstance(cls, ClassRef):
            return None
        own = cls.attrs.get("methods")
        if own is not None:
            return _methods(own)
        if self.class_kind(cls) != "methodview":
            return None
        found: set[str] = set()
        for base in cls.bases:
            found |= set(self.view_methods(base) or ())
        found |= {m.upper() for m in HTTP_METHOD_FUNCS if m in cls.attrs}
        return tuple(sorted(found)) or None


#: Builtins whose result on literal arguments decides routes (`for i, r in enumerate(RULES)`).
_BUILTINS = {
    "enumerate": lambda *a, **k: list(enumerate(*a, **k)),
    "zip": lambda *a: list(zip(*a, strict=False)),
    "range": lambda *a: list(range(*a)) if all(isinstance(x, int) for x in a) else UNKNOWN,
    "sorted": sorted, "reversed": lambda a: list(reversed(a)), "list": list, "tuple": tuple,
    "str": str, "dict": dict,
}  # fmt: skip
#: Methods of literal values worth following (`NAMES.items()`, `"/{}".format(x)`).
_LITERAL_METHODS = {
    dict: {"items", "keys", "values", "get"},
    str: {"format", "lower", "upper", "strip", "rstrip", "lstrip", "replace", "join", "split"},
}


def _known_call(
    node: ast.Call, frame: _Frame, args: list[Any], kwargs: dict[str, Any], interp: Any
) -> Any:
    """A builtin or a literal's method applied to known values; UNKNOWN otherwise."""
    if any(a is UNKNOWN for a in args) or any(v is UNKNOWN for v in kwargs.values()):
        return UNKNOWN
    try:
        if isinstance(node.func, ast.Name) and node.func.id in _BUILTINS:
            if node.func.id in (frame.local or {}) or node.func.id in frame.module.env:
                return UNKNOWN
            return _BUILTINS[node.func.id](*args, **kwargs)
        if isinstance(node.func, ast.Attribute):
            base = interp.ev(node.func.value, frame)
            allowed = _LITERAL_METHODS.get(type(base), set())
            if node.func.attr in allowed:
                result = getattr(base, node.func.attr)(*args, **kwargs)
                return list(result) if not isinstance(result, str | list | tuple) else result
    except Exception:
        return UNKNOWN
    return UNKNOWN


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    return value if isinstance(value, str | int | float | bool | type(None)) else UNKNOWN


def _methods(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list | tuple | set) and all(isinstance(m, str) for m in value):
        return tuple(sorted({m.upper() for m in value}))
    return None


_CAMEL_1 = re.compile(r"(.)([A-Z][a-z]+)")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


def _camel_to_dash(name: str) -> str:
    """Flask-RESTX's `camel_to_dash`: `UserList` → `user_list`."""
    return _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", name)).lower()


# ---------------------------------------------------------------------------- placement


def _join(prefix: str, rule: str) -> str:
    """Flask's blueprint join: the prefix without its last `/`, then the rule from its `/`."""
    return "/".join((prefix.rstrip("/"), rule.lstrip("/"))) if rule else prefix


class _Placer:
    """Places each raw route on its app through the chain of mounts above its owner."""

    def __init__(self, interp: _Interpreter) -> None:
        self.interp = interp
        self.memo: dict[int, list[tuple[Owner, str, str | None, list[str]]]] = {}

    def states(self, owner: Owner, seen: frozenset[int] = frozenset()) -> list[Any]:
        """(app, dotted blueprint name, url prefix, owner chain) for each place `owner`
        (an app or blueprint) is registered; an app is its own place."""
        if owner.kind == "app":
            return [(owner, "", None, [f"app ({owner.site})"])]
        if id(owner) in self.memo:
            return self.memo[id(owner)]
        found = []
        for mount in self.interp.mounts.get(id(owner), {}):
            if id(mount.parent) in seen or mount.parent.kind not in ("app", "bp"):
                continue
            prefix = mount.url_prefix if mount.explicit else owner.url_prefix
            if mount.explicit and mount.url_prefix is None:
                prefix = owner.url_prefix
            name = mount.name or owner.name or "?"
            for app, parent_name, parent_prefix, chain in self.states(
                mount.parent, seen | {id(owner)}
            ):
                if parent_prefix is not None and prefix is not None:
                    full = parent_prefix.rstrip("/") + "/" + prefix.lstrip("/")
                else:
                    full = prefix if prefix is not None else parent_prefix
                dotted = f"{parent_name}.{name}".lstrip(".")
                found.append((app, dotted, full, [f"blueprint {name} ({owner.site})", *chain]))
        if not seen:
            self.memo[id(owner)] = found
        return found

    def api_states(self, api: Owner) -> list[Any]:
        found = []
        for mount in self.interp.mounts.get(id(api), {}):
            if mount.parent.kind in ("app", "bp"):
                found += self.states(mount.parent)
        return found

    def place(self, raw: _RawRoute) -> Iterator[RouteSite]:
        owner, rule, endpoint = raw.owner, raw.rule, raw.endpoint
        chain_head = [f"{owner.kind} {owner.name or ''} ({owner.site})".replace("  ", " ")]
        if owner.kind == "restx_ns":
            for ns_mount in self.interp.mounts.get(id(owner), {}):
                api = ns_mount.parent
                path = ns_mount.url_prefix if ns_mount.url_prefix is not None else owner.url_prefix
                path = (path if path is not None else f"/{owner.name}").rstrip("/")
                name = raw.endpoint
                if name is None:
                    name = _camel_to_dash(raw.view)
                    if owner is not api.default_ns:
                        name = f"{owner.name}_{name}"
                full = "".join(p for p in (api.url_prefix, path + rule) if p)
                api_head = [*chain_head, f"restx api ({api.site})"]
                yield from self._on(self.api_states(api), full, name, raw, api_head)
            return
        if owner.kind == "restful_api":
            name = endpoint or raw.view.lower()
            for mount in self.interp.mounts.get(id(owner), {}):
                # Flask-RESTful drops its own prefix for resources added before the API
                # was bound to a blueprint (they go through its patched setup state).
                keep = not (raw.before_binding and mount.parent.kind == "bp")
                full = "".join(p for p in (owner.url_prefix if keep else None, rule) if p)
                states = self.states(mount.parent) if mount.parent.kind in ("app", "bp") else []
                yield from self._on(states, full, name, raw, chain_head)
            return
        yield from self._on(self.states(owner), rule, endpoint or raw.view, raw, [])

    def _on(
        self, states: list[Any], rule: str, endpoint: str, raw: _RawRoute, head: list[str]
    ) -> Iterator[RouteSite]:
        methods = sorted(set(raw.methods or ("GET",)) - {"HEAD", "OPTIONS"}) or sorted(
            set(raw.methods or ("GET",))
        )
        for _app, bp, prefix, chain in states:
            full = _join(prefix, rule) if prefix is not None else rule
            yield RouteSite(
                rule=full,
                methods=methods,
                endpoint=f"{bp}.{endpoint}" if bp else endpoint,
                blueprint=bp or None,
                url_prefix=prefix if bp else None,
                owners=[*head, *chain],
                view=raw.view,
                file=raw.file,
                line=raw.line,
                method=raw.method,
            )


def route_model(
    scans: list[FileScan], base: Path, *, unmounted_are_unresolved: bool = True
) -> RouteModel:
    """The routes, hooks and unresolved registrations of the parsed files `scans`.

    `base` is the folder paths are shown from. Raises `ScanError` when the files hold no
    Flask app, blueprint or REST API at all. See `flask2fastapi.scan.route_model_of` for the
    entry point that takes a folder.
    """
    interp = _Interpreter(scans, base)
    interp.run()
    placer = _Placer(interp)
    model = RouteModel()
    seen: set[tuple[str, str, str, Any]] = set()  # per app: a tree may hold several

    def add(site: RouteSite) -> None:
        key = (
            " ".join(site.methods),
            site.rule,
            site.endpoint,
            site.owners[-1:] and site.owners[-1],
        )
        if key not in seen:
            seen.add(key)
            model.routes.append(site)

    for raw in interp.routes.values():
        placed = list(placer.place(raw))
        for site in placed:
            add(site)
        if not placed and unmounted_are_unresolved:
            interp.unresolve(
                (raw.file, raw.line), raw.method, f"its {_KIND_NAMES[raw.owner.kind]} "
                f"({raw.owner.site}) is never seen registered on an app",
            )  # fmt: skip
    owners = list(interp.owners.values())
    for owner in owners:
        if owner.static is None:
            continue
        file, _, line = owner.site.rpartition(":")
        raw = _RawRoute(owner, owner.static[0], ("GET",), "static", "static", "func",
                        file, int(line), "static")  # fmt: skip
        for site in placer.place(raw):
            add(site)
    for api in (o for o in owners if o.kind == "restx_api"):
        file, _, line = api.site.rpartition(":")
        states = placer.api_states(api)
        generated = []
        if api.specs:
            generated.append(("".join(p for p in (api.url_prefix, "/swagger.json") if p), "specs"))
            if api.doc not in (False, None) and isinstance(api.doc, str):
                generated.append((api.doc, "doc"))
        generated.append((api.url_prefix or "/", "root"))
        for rule, endpoint in generated:
            raw = _RawRoute(api, rule, ("GET",), endpoint, endpoint, "func", file, int(line),
                            "restx (generated)")  # fmt: skip
            for site in placer._on(states, rule, endpoint, raw, []):
                add(site)
        for app, *_ in states:  # Flask-RESTX's Swagger UI files, once per app
            raw = _RawRoute(app, "/swaggerui/<path:filename>", ("GET",), "restx_doc.static",
                            "static", "func", file, int(line), "restx (generated)")  # fmt: skip
            for site in placer._on(placer.states(app), raw.rule, raw.endpoint or "", raw, []):
                add(site)
    model.hooks = sorted(interp.hooks.values(), key=lambda h: (h.file, h.line, h.name))
    model.unresolved = sorted(interp.unresolved.values(), key=lambda u: (u.file, u.line))
    model.apps = sum(1 for o in owners if o.kind == "app")
    for owner in owners:
        if owner.kind == "bp":
            for _app, name, prefix, _chain in placer.states(owner) or [
                (None, owner.name or "?", owner.url_prefix, [])
            ]:
                model.blueprints.append((name, prefix, owner.site))
    if not owners and not model.routes:
        raise ScanError("no Flask app found")
    return model


_KIND_NAMES = {
    "app": "app",
    "bp": "blueprint",
    "restx_api": "Flask-RESTX API",
    "restx_ns": "Flask-RESTX namespace",
    "restful_api": "Flask-RESTful API",
}
