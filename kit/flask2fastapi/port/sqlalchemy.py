"""Rule `sqlalchemy`: Flask-SQLAlchemy → plain SQLAlchemy 2.0 with the databases page's
engine, `sessionmaker` and per-request session dependency (docs/data/databases.md,
snippets/databases/fastapi_app.py).

What converts, when the module's whole Flask-SQLAlchemy use is of these shapes:

* `db = SQLAlchemy()` / `SQLAlchemy(model_class=Base)` at module level, `db.init_app(app)`
  at module level, the URL a string literal set on that app (`app.config[...] = "..."` or
  `app.config.update(SQLALCHEMY_DATABASE_URI=...)`) → the page's recipe in place of
  `db = ...`: `engine` (in-memory SQLite: `StaticPool`, `check_same_thread=False`, as
  Flask-SQLAlchemy sets them), `SessionLocal`, `get_session` (commit on success, roll back
  on an exception), `SessionDep`, the thread limit and a `lifespan` passed to `FastAPI()`;
  `db.init_app(app)` goes.
* `with app.app_context(): db.create_all()` at module level → `Base.metadata.create_all(engine)`
  in that lifespan.
* `class M(db.Model)` → `class M(Base)` with Flask-SQLAlchemy's automatic `__tablename__`
  (the class name in snake case) written out; `db.Column`, `db.Integer`, `db.select`… →
  the same names imported from `sqlalchemy` (`sqlalchemy.orm` for the ORM's).
* In a view: `db.session.<x>` → `session.<x>` with a `session: SessionDep` parameter;
  `M.query.get(x)` → `session.get(M, x)`; `M.query.filter_by(...)...first()` (`filter`,
  `where`, `order_by`, `limit`, `offset`, then `first`/`all`/`one`/`one_or_none`) →
  `session.scalars(select(M).filter_by(...)...).first()`; `x = db.get_or_404(M, i)` /
  `M.query.get_or_404(i)` / `db.first_or_404(stmt)` / `M.query....first_or_404()` → the
  query, then `HTTPException(404)` when it found nothing (the page's 2.x-idioms table).

* In an app factory (a function that makes the app): `db.init_app(app)`, the URL and the
  `create_all()` block inside it, as at module level; the factory stays a factory.
* `db` made in one module and imported by others (`from pkg.extensions import db`): the
  recipe in that module (`DbTree`, planned once per tree by `shared_db`); the others
  import `Base`, `SessionDep` or `lifespan` in place of `db`. A use without a recipe in
  any of them keeps all of them on Flask-SQLAlchemy.

* A URL known at run time → the page's `make_engine(url)` (SQLite's pool and thread
  options chosen from the URL when the app starts) with `engine = make_engine(...)` where
  the literal engine would go: in a package whose factory settings the `config` rule ports,
  `get_settings().<field>` (`config.ported_setting`); else a module-level `os.environ` read
  of literals (`os.environ.get("X", "sqlite://")`, `os.environ["X"]`, `os.getenv`), kept.

Anything else (`paginate`, `db.session` outside a view, `SQLAlchemy(app)`, another URL
expression, `db.Table`, `db.engine`…) has no recipe here: nothing of
Flask-SQLAlchemy converts, the `db.init_app(app)` blocker stays, the line gets a TODO and
the `db = SQLAlchemy()` line one naming every such use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

import libcst as cst

from flask2fastapi.port.analysis import config_setting
from flask2fastapi.port.base import (
    FASTAPI_ROUTE_DECORATORS,
    ROUTE_DECORATORS,
    NameReads,
    PortOptions,
    PortRule,
    add_param,
    arg,
    dotted,
    function_params,
    source,
    string_value,
)

PAGE = "data/databases.md"
PAGINATION = "data/pagination.md"
#: `db.<name>` names Flask-SQLAlchemy re-exports from `sqlalchemy.orm` (every other
#: SQLAlchemy name it re-exports comes from `sqlalchemy`).
ORM_NAMES = {
    "relationship", "backref", "mapped_column", "Mapped", "declared_attr", "column_property",
    "deferred", "synonym", "joinedload", "selectinload", "subqueryload", "lazyload",
    "aliased", "contains_eager", "composite", "DeclarativeBase", "Session", "sessionmaker",
}  # fmt: skip
#: `db.<name>` of Flask-SQLAlchemy's own, with no one-line SQLAlchemy counterpart.
OWN_NAMES = {
    "Model", "session", "init_app", "create_all", "drop_all", "reflect", "engine", "engines",
    "metadata", "metadatas", "paginate", "get_or_404", "first_or_404", "one_or_404",
    "Table", "Query", "get_engine", "get_tables_for_bind", "get_binds", "app", "record_queries",
}  # fmt: skip
#: `M.query` chain steps a `select(M)` has too.
SELECT_STEPS = {"filter_by", "filter", "where", "order_by", "limit", "offset"}
#: `db.paginate` keywords the pagination page's `paginate()` helper takes.
PAGINATE_OPTIONS = {"page", "per_page", "max_per_page", "error_out"}
#: What that helper's `Page` has of Flask-SQLAlchemy's `Pagination`.
PAGE_FIELDS = ("items", "page", "per_page", "total", "pages")
#: Final calls of a `M.query` chain: the `ScalarResult` method of the same meaning.
RESULTS = {"first", "all", "one", "one_or_none"}
URI = "SQLALCHEMY_DATABASE_URI"


def table_name(class_name: str) -> str:
    """Flask-SQLAlchemy 3's automatic `__tablename__` (its `camel_to_snake_case`):
    `Item` → `item`, `OrderLine` → `order_line`, `HTTPLog` → `http_log`."""
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", class_name)
    return name.lower().lstrip("_")


@dataclass
class DbPlan:
    """Flask-SQLAlchemy in a module: the `db` object, its base, app, URL, and whether the
    rule converts all of it (`ok`; `problems` says why not)."""

    db: str | None = None
    base: str | None = None  # `model_class=`'s class; None: the recipe writes `Base`
    app: str | None = None  # the app of `db.init_app(app)`
    url: str | None = None  # the URL's literal code
    #: a URL known at run time: the code that reads it (`get_settings().x`, an
    #: `os.environ` read) and the module to import `get_settings` from (None: none)
    url_code: str | None = None
    url_module: str | None = None
    #: the URL was set in an app factory (read when the factory runs, not at import)
    url_in_factory: bool = False
    #: the module that sets the URL has `import os` (its `os.environ` is the real one)
    url_module_imports_os: bool = False
    creates: bool = False  # `with app.app_context(): db.create_all()` at module level
    models: set[str] = field(default_factory=set)
    paginates: bool = False  # a `db.paginate(...)` of the recipe's shape: write `paginate()`
    #: Flask-Login `user_loader` functions that use `db.session`: they get a `session`
    #: parameter, which the `login` rule's `current_user_or_anonymous` passes them
    loaders: set[str] = field(default_factory=set)
    #: start-up functions: name → the lines where they use `db.session` (outside a view)
    startup: dict[str, list[cst.CSTNode]] = field(default_factory=dict)
    #: the start-up block's calls after `create_all()`, as code, for the lifespan
    startup_calls: list[str] = field(default_factory=list)
    #: modules those calls read (`os`), imported where the lifespan is
    startup_imports: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    #: statements with a use that has no recipe → what to do (for their TODOs)
    lines: dict[cst.CSTNode, str] = field(default_factory=dict)
    used: bool = False
    #: app variable → the `SQLALCHEMY_DATABASE_URI` expression set on it at module level
    urls: dict[str, cst.BaseExpression] = field(default_factory=dict)
    tree: DbTree | None = None  # set when `db` is shared between modules of the tree
    #: in a tree, the names this module imports from the home instead of `db`
    home_names: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.used and self.db is not None and not self.problems

    def problem(self, text: str, node: cst.CSTNode | None = None) -> None:
        self.problems.append(text)
        if node is not None:
            self.lines.setdefault(node, text)


#: Flask-SQLAlchemy over several modules of the tree (`DbTree`), or None: set by the driver.
SHARED: ContextVar[DbTree | None] = ContextVar("flask2fastapi_db_shared", default=None)


@dataclass(frozen=True)
class DbTree:
    """A `db = SQLAlchemy()` that other modules of the tree import (`from home import db`):
    the recipe goes in its home module, the others import what they use of it. Built once
    per tree by `shared_db`; each module's rule reads it (`plan_module`)."""

    home: str  # the import name of the module that makes `db`
    db: str
    users: frozenset[str]  # modules that import `db` from the home
    models: frozenset[str]  # `class M(db.Model)` anywhere in the tree
    base: str | None = None
    app: str | None = None  # the app of `db.init_app(app)`, in some module of the tree
    url: str | None = None
    creates: bool = False
    problems: tuple[str, ...] = ()  # what keeps the whole tree on Flask-SQLAlchemy
    paginates: bool = False
    startup: frozenset[str] = frozenset()
    startup_calls: tuple[str, ...] = ()
    startup_imports: frozenset[str] = frozenset()
    url_code: str | None = None
    url_module: str | None = None


def _resolve(importer: str, module: cst.ImportFrom, package: bool) -> str | None:
    """The absolute import name `module` names, seen from module `importer` (a package's
    `__init__` when `package`)."""
    name = dotted(module.module) if module.module else ""
    dots = len(module.relative)
    if not dots:
        return name
    parts = importer.split(".")
    keep = len(parts) - dots + (1 if package else 0)
    if keep < 0:
        return None
    return ".".join([*parts[:keep], *([name] if name else [])])


def _readers(
    modules: dict[str | None, cst.Module], home: str, db: str, packages: frozenset[str]
) -> set[str]:
    """The modules other than `home` that read its `db`."""
    return {
        name for name, m in modules.items()
        if name and name != home and (
            any(_resolve(name, i, name in packages) == home for i in _imports_db(m, db))
            # `import pkg.extensions` then `pkg.extensions.db`, `extensions.db`…
            or _reads_attribute(source(m), home.rsplit(".", 1)[-1], db)
            # `from pkg.extensions import db` inside a function (not rewritten)
            or any(
                where.startswith(".") or where.split(".")[-1] == home.rsplit(".", 1)[-1]
                for where in re.findall(
                    rf"^[ \t]+from\s+(\.*[\w.]*)\s+import\s+[^\n]*\b{re.escape(db)}\b",
                    source(m), re.M,
                )
            )
        )
    }  # fmt: skip


def _reads_attribute(code: str, module: str, name: str) -> bool:
    """`code` imports `module` (its last part) and reads `module.name`."""
    last = re.escape(module)
    return bool(
        re.search(rf"\bimport\b[^\n]*\b{last}\b", code)
        and re.search(rf"\b{last}\.{re.escape(name)}\b", code)
    )


def _db_name(module: cst.Module) -> str | None:
    """The name a module-level `name = SQLAlchemy(...)` line binds, else None."""
    found = re.search(r"^(\w+)\s*=\s*(?:\w+\.)*SQLAlchemy\(", source(module), re.M)
    return found[1] if found else None


def _imports_db(module: cst.Module, db: str) -> list[cst.ImportFrom]:
    """The `from x import db` statements at the top of `module` (`db` not renamed)."""
    found = []
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not isinstance(small.names, cst.ImportStar)
                and any(dotted(a.name) == db and a.asname is None for a in small.names)
            ):
                found.append(small)
    return found


def _app_names(module: cst.Module, kinds: tuple[str, ...] = ("Flask", "FastAPI")) -> set[str]:
    """The variables a module (or its app factory) assigns a `Flask(...)` or `FastAPI(...)`
    (or another of `kinds`)."""
    found: set[str] = set()

    class Apps(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if len(node.targets) == 1 and isinstance(node.value, cst.Call):
                called = (dotted(node.value.func) or "").rsplit(".", 1)[-1]
                target = dotted(node.targets[0].target)
                if called in kinds and target:
                    found.add(target)

    module.visit(Apps())
    return found


def shared_db(modules: dict[str | None, cst.Module]) -> DbTree | None:
    """The tree's `DbTree` when one module makes a `SQLAlchemy()` object that other modules
    import (`modules`: import name → parsed module), else None (each module is then its
    own: the one-module recipe or nothing)."""
    homes = {h: name for h, m in modules.items() if h and (name := _db_name(m))}
    packages = frozenset(
        n for n in modules if n and any(o and o.startswith(n + ".") for o in modules)
    )
    readers = {h: _readers(modules, h, db, packages) for h, db in homes.items()}
    shared = sorted(h for h in homes if readers[h])
    if not shared:
        return None
    if len(homes) != 1:  # a half-ported tree would not import: all stay, named
        return DbTree(
            shared[0], homes[shared[0]], frozenset(readers[shared[0]]), frozenset(),
            problems=("several `SQLAlchemy()` objects in the tree: the recipe is one engine's",),
        )  # fmt: skip
    home = shared[0]
    # Models first: the home's own views may query models that other modules define.
    models = {
        n for m in modules.values()
        for n in re.findall(r"^class\s+(\w+)\([^)]*\b\w+\.Model\b", source(m), re.M)
    }  # fmt: skip
    plan = DbPlan(models=models)
    _Collector(plan, _app_names(modules[home])).collect(modules[home])
    db = plan.db
    if db is None:
        return None
    users = {
        name for name, m in modules.items()
        if name and name != home
        and any(_resolve(name, i, name in packages) == home for i in _imports_db(m, db))
    }  # fmt: skip
    if readers[home] - users:
        plan.problem(f"`{db}` read other than by `from ... import {db}` in another module")
    # One plan over the home and every user: the facts of each module, problems of all.
    plan.models = {
        n for m in modules.values()
        for n in re.findall(rf"^class\s+(\w+)\([^)]*\b{db}\.Model\b", source(m), re.M)
    }  # fmt: skip
    for name in sorted(users):
        _Collector(plan, _app_names(modules[name])).collect(modules[name])
    _check_app(plan, modules[home])
    _check_startup(plan, modules[home], [m for n, m in modules.items() if n != home])
    return DbTree(
        home, db, frozenset(users), frozenset(plan.models), plan.base, plan.app, plan.url,
        plan.creates, tuple(dict.fromkeys(p.split(" → ")[0] for p in plan.problems)),
        plan.paginates, frozenset(plan.startup), tuple(plan.startup_calls),
        frozenset(plan.startup_imports), plan.url_code, plan.url_module,
    )  # fmt: skip


def _is_view(node: cst.FunctionDef, owners: set[str]) -> bool:
    """A route of an app or blueprint made in this module (`owners`). A route on one
    imported from another module (`from . import main`) is not: the `routes` rule does not
    convert it, so it would not receive a `session` dependency."""
    for d in node.decorators:
        call = d.decorator
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in {*ROUTE_DECORATORS, *FASTAPI_ROUTE_DECORATORS}
            and dotted(call.func.value) in owners
        ):
            return True
    return False


def _query_chain(node: cst.BaseExpression, models: set[str]):  # type: ignore[no-untyped-def]
    """`M.query.step(...)....final(args)` → (M, steps, final, args), else None."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    final, args = node.func.attr.value, node.args
    steps: list[cst.Call] = []
    inner = node.func.value
    while isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute):
        steps.insert(0, inner)
        inner = inner.func.value
    if not isinstance(inner, cst.Attribute) or inner.attr.value != "query":
        return None
    model = dotted(inner.value)
    if model not in models:
        return None
    return model, steps, final, args


class _Collector(cst.CSTVisitor):
    """One module's Flask-SQLAlchemy facts, into `plan`."""

    def __init__(self, plan: DbPlan, apps: set[str], loaders: Sequence[str] = ()) -> None:
        self.plan = plan
        self.apps = apps
        self.loaders = set(loaders)
        self.functions: list[cst.FunctionDef] = []
        self.statements: list[cst.CSTNode] = []
        self.names: set[str] = set()  # local names of `flask_sqlalchemy` imports
        self.flask_session = False
        self.create_block: cst.With | None = None
        self.inner: set[int] = set()  # ids of a chain's inner calls and its `M.query`
        self.paginate_ok: set[int] = set()  # ids of `db.paginate` the recipe takes
        self.startup_names: set[str] = set()  # names the start-up block's calls read

    def collect(self, module: cst.Module) -> None:
        """Add `module`'s facts to the plan."""
        self.owners = _app_names(module, ("Flask", "FastAPI", "Blueprint", "APIRouter"))
        self.imports_os = bool(re.search(r"^import os$", source(module), re.M))
        # The `login` rule runs first and takes `@login_manager.user_loader` away; its
        # recipe, written here, calls the loader with the session (CURRENT_USER_DB).
        self.loaders |= set(re.findall(r"= (\w+)\(user_id, session\) if user_id", source(module)))
        module.visit(self)
        # Modules the start-up calls read (`os.environ[...]`) go with them to the lifespan.
        imported = set(re.findall(r"^import (\w+)$", source(module), re.M))
        self.plan.startup_imports |= self.startup_names & imported
        db = self.plan.db
        if db is not None and source(module).count(f"{db}.session") != source(module).count(
            f"{db}.session."
        ):
            self.plan.problem(f"`{db}.session` passed around: use the view's session")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = dotted(node.module) if node.module else None
        if isinstance(node.names, cst.ImportStar):
            return False
        for alias in node.names:
            local = dotted(alias.asname.name if alias.asname else alias.name)
            if module == "flask_sqlalchemy":
                self.plan.used = True
                if dotted(alias.name) != "SQLAlchemy":
                    self.plan.problem(f"`{dotted(alias.name)}` from flask_sqlalchemy")
                self.names.add(local or "")
            elif module == "flask" and local == "session":
                self.flask_session = True
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        if any(dotted(a.name) == "flask_sqlalchemy" for a in node.names):
            self.plan.used = True
            self.plan.problem("`import flask_sqlalchemy`: import `SQLAlchemy` from it")
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    def _here(self) -> cst.CSTNode | None:
        return self.statements[-1] if self.statements else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)
        if _is_view(node, self.owners) and "session" in function_params(node):
            self.plan.problem(f"`{node.name.value}` already has a `session` parameter")

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.plan.db:
            return
        bases = [dotted(b.value) for b in node.bases]
        if f"{self.plan.db}.Model" in bases:
            self.plan.models.add(node.name.value)
            code = cst.Module([]).code_for_node(node)
            if self.functions:
                self.plan.problem(f"model `{node.name.value}` inside a function")
            elif (
                "__tablename__" not in code
                and "__table__" not in code
                and ("primary_key=True" not in code)
            ):
                self.plan.problem(f"model `{node.name.value}` without its own primary key")
        elif any(b in self.plan.models for b in bases):
            self.plan.problem(f"model `{node.name.value}` inherits another model")

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        target = dotted(node.targets[0].target) if len(node.targets) == 1 else None
        if isinstance(value, cst.Call) and dotted(value.func) in self.names:
            if self.plan.db is not None or target is None or "." in target or self.functions:
                self.plan.problem("`SQLAlchemy()` not once at module level", self._here())
                return
            self.plan.db = target
            for a in value.args:
                if a.keyword is not None and a.keyword.value == "model_class":
                    self.plan.base = dotted(a.value)
                else:
                    self.plan.problem(
                        "`SQLAlchemy(...)` with an app or options → make it `SQLAlchemy()` "
                        "and call `init_app(app)` after the app's settings",
                        self._here(),
                    )
        self._setting(node)

    def _setting(self, node: cst.CSTNode) -> None:
        from flask2fastapi.port.login import _config  # the settings one statement gives

        found = _config(node)
        if found is None:
            return
        for key in found[1]:
            if key.startswith("SQLALCHEMY_") and key not in (URI, "SQLALCHEMY_TRACK_MODIFICATIONS"):
                self.plan.problem(
                    f"the `{key}` setting → its `create_engine` argument", self._here()
                )
        if URI in found[1] and self._at_start():
            if self.functions and not any(
                self._here() is stmt for stmt in self.functions[0].body.body
            ):
                # In an `if` of the factory: which URL applies is decided at run time.
                self.plan.problem(f"`{URI}` set inside a block of the factory", self._here())
            self.plan.urls[found[0]] = found[1][URI]
            self.plan.url_in_factory = bool(self.functions)
            self.plan.url_module_imports_os = self.imports_os

    def _at_start(self) -> bool:
        """Module level, or the body of the app factory (a function that makes the app):
        code that runs once, where the app is set up."""
        return not self.functions or (len(self.functions) == 1 and _factory(self.functions[0]))

    def visit_With(self, node: cst.With) -> None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if (
            self._at_start()
            and len(node.items) == 1
            and isinstance(node.items[0].item, cst.Call)
            and dotted(node.items[0].item.func) in {f"{a}.app_context" for a in self.apps}
            and body
            and isinstance(body[0], cst.SimpleStatementLine)
            and len(body[0].body) == 1
            and isinstance(body[0].body[0], cst.Expr)
            and self.plan.db is not None
            and cst.Module([]).code_for_node(body[0].body[0]).strip()
            == f"{self.plan.db}.create_all()"
            and all(_startup_call(stmt) is not None for stmt in body[1:])
        ):
            self.plan.creates = True
            self.create_block = node
            for stmt in body[1:]:
                call = _startup_call(stmt)
                self.plan.startup_calls.append(cst.Module([]).code_for_node(call).strip())
                self.startup_names |= _free_names(call)  # type: ignore[arg-type]

    def visit_Call(self, node: cst.Call) -> None:
        self._setting(node)
        db = self.plan.db
        if db is None:
            return
        name = dotted(node.func) or ""
        if name == f"{db}.init_app":
            app = dotted(node.args[0].value) if len(node.args) == 1 else None
            if app not in self.apps or not self._at_start() or self.plan.app is not None:
                self.plan.problem(
                    "`init_app` not once on the app, at module level or in its factory",
                    self._here(),
                )
            self.plan.app = app
        elif name == f"{db}.create_all":
            if self.create_block is None or not self.plan.creates:
                self.plan.problem(
                    "`create_all()` not alone in a module-level `with app.app_context()` "
                    "→ call it in the lifespan",
                    self._here(),
                )
        elif name in (f"{db}.get_or_404", f"{db}.first_or_404"):
            self._assigned_in_view(node, name.rsplit(".", 1)[1])
        elif name == f"{db}.paginate":
            why = self._paginate_shape(node)
            if why is None:
                self.plan.paginates = True
                self.paginate_ok.add(id(node.func))
                self._session_in_view()
            else:
                self.plan.problem(f"`{db}.paginate` {why}", self._here())
        chain = None if id(node) in self.inner else _query_chain(node, self.plan.models)
        if chain is not None:
            model, steps, final, _ = chain
            self.inner.update(id(s) for s in steps)
            first = steps[0] if steps else node
            self.inner.add(id(first.func.value))  # type: ignore[attr-defined]
            bad = [s.func.attr.value for s in steps if s.func.attr.value not in SELECT_STEPS]
            if self._user_loader():  # `User.query.get(int(user_id))`: the loader's session
                self.plan.loaders.add(self.functions[0].name.value)
            elif self._in_view():
                self._session_in_view()
            if not (self._in_view() or self._user_loader()):
                self.plan.problem(f"`{model}.query` outside a view", self._here())
            elif bad or (final == "get" and steps):
                self.plan.problem(f"`{model}.query...{(bad or [final])[0]}()`", self._here())
            elif final in ("get_or_404", "first_or_404"):
                if (final == "get_or_404") == bool(steps):
                    self.plan.problem(f"`{model}.query...{final}()`", self._here())
                self._assigned_in_view(node, final)
            elif final not in RESULTS and final != "get":
                self.plan.problem(f"`{model}.query...{final}()`", self._here())

    def _assigned_in_view(self, node: cst.Call, what: str) -> None:
        line = self._here()
        if self._in_view():
            self._session_in_view()
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else None
        if not (
            self._in_view()
            and isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.value is node
        ):
            self.plan.problem(f"`{what}` other than `x = ...{what}(...)` in a view", line)
        elif any(a.keyword is not None and a.keyword.value != "description" for a in node.args) or (
            any(a.star for a in node.args)
        ):
            self.plan.problem(f"`{what}` with options other than `description`", line)

    def _paginate_shape(self, node: cst.Call) -> str | None:
        """None when `node` (a `db.paginate(...)` call) is the pagination page's helper
        call, else what is not (for the TODO)."""
        line = self._here()
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else None
        given = {a.keyword.value for a in node.args if a.keyword is not None}
        if not self._in_view() or self.functions[-1].asynchronous is not None:
            return "outside a `def` view → the pagination page's `paginate()` in a view"
        if len([a for a in node.args if a.keyword is None]) != 1 or any(a.star for a in node.args):
            return "other than with one `select(...)` → pass it the statement"
        if not {"page", "per_page"} <= given:
            # Flask-SQLAlchemy reads them from the query string then, and corrects bad ones.
            return ("without `page=` and `per_page=` → read them as query parameters and "
                    "pass them in")  # fmt: skip
        if given - PAGINATE_OPTIONS:
            return f"with `{sorted(given - PAGINATE_OPTIONS)[0]}=` → the page's helper has none"
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.value is node
        ):
            return "other than `x = db.paginate(...)` → assign it, then read its numbers"
        if not _reads_only(self.functions[-1], small.targets[0].target.value, PAGE_FIELDS):
            return (f"result used for more than {', '.join(PAGE_FIELDS)} → add what it "
                    "reads (`has_next`, `iter_pages`…) to the page's `Page`")  # fmt: skip
        return None

    def _session_in_view(self) -> None:
        """A view that will take a `session` parameter: never next to Flask's `session`."""
        if self.flask_session:
            self.plan.problem("Flask's `session` imported too → name the SQLAlchemy one")

    def _user_loader(self) -> bool:
        """Inside Flask-Login's `user_loader` (its decorator, or the name the tree's login
        plan recorded before the `login` rule took the decorator away)."""
        from flask2fastapi.port.login import PLAN

        if len(self.functions) != 1 or self.functions[0].asynchronous is not None:
            return False
        function = self.functions[0]
        login = PLAN.get()
        return (
            any((dotted(d.decorator) or "").endswith(".user_loader") for d in function.decorators)
            or function.name.value in self.loaders
            or (login is not None and login.loader_reads_db and login.loader == function.name.value)
        )

    def _startup_function(self) -> bool:
        """Inside a plain module-level `def` (not a view, not async, not the factory): a
        function start-up code may call."""
        return (
            len(self.functions) == 1
            and not _is_view(self.functions[0], self.owners)
            and self.functions[0].asynchronous is None
            and not _factory(self.functions[0])
            and not any("user_loader" in (dotted(d.decorator) or "")
                        or isinstance(d.decorator, cst.Call)
                        for d in self.functions[0].decorators)
        )  # fmt: skip

    def _in_view(self) -> bool:
        return bool(self.functions) and _is_view(self.functions[-1], self.owners)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        db = self.plan.db
        if db is None:
            return
        if dotted(node.value) == f"{db}.session":
            if self._user_loader():
                self.plan.loaders.add(self.functions[0].name.value)
            elif self._startup_function():
                # Maybe start-up work: `_check_startup` decides once every module is read.
                self.plan.startup.setdefault(self.functions[0].name.value, []).append(
                    self._here()  # type: ignore[arg-type]
                )
            elif not self._in_view():
                self.plan.problem(
                    f"`{db}.session` outside a view → pass the function a session", self._here()
                )
            elif self.functions[-1].asynchronous is not None:
                # The page: never a synchronous session in `async def` (it blocks the loop).
                self.plan.problem(
                    f"`{db}.session` in an `async def` view → make it `def`, or use the "
                    "page's AsyncSession",
                    self._here(),
                )
            else:
                self._session_in_view()
        if (
            node.attr.value == "query"
            and dotted(node.value) in self.plan.models
            and id(node) not in self.inner
        ):
            self.plan.problem(f"`{dotted(node)}` other than a query chain", self._here())
        if dotted(node.value) != db:
            return
        attr = node.attr.value
        if attr == "paginate":
            pass  # visit_Call took it: the page's helper, or a TODO saying why not
        elif attr in OWN_NAMES - {"Model", "session", "init_app", "create_all", "get_or_404",
                                  "first_or_404"}:  # fmt: skip
            what = {
                "Table": "`Table(name, Base.metadata, ...)`",
                "engine": "the recipe's `engine`",
                "metadata": "`Base.metadata`",
            }.get(attr, "the plain SQLAlchemy counterpart")
            self.plan.problem(f"`{db}.{attr}` → {what}", self._here())
        elif attr == "Model" and not self.statements and not self.functions:
            pass  # a class base, checked in visit_ClassDef
        elif attr == "Model":
            self.plan.problem(f"`{db}.Model` other than as a model's base", self._here())


def _startup_call(stmt: cst.BaseStatement) -> cst.Call | None:
    """`f(...)` alone on a line (a plain function called for its effect), else None."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Name)
    ):
        return small.value
    return None


def _reads(module: cst.Module, name: str) -> int:
    """How many times `module`'s code reads the name `name` (its `def`, imports, keyword
    arguments and attributes of that name aside)."""
    found = 0

    class Reads(NameReads):
        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            for part in (node.decorators, node.params, node.body):
                for child in part if isinstance(part, Sequence) else (part,):
                    child.visit(self)
            return False

        def read(self, read: str) -> None:
            nonlocal found
            found += read == name

    module.visit(Reads())
    return found


def _free_names(call: cst.Call) -> set[str]:
    """The names `call`'s arguments read (`os` of `os.environ["X"]`)."""
    found: set[str] = set()

    class Names(NameReads):
        def read(self, name: str) -> None:
            found.add(name)

    for a in call.args:
        a.visit(Names())
    return found


def _check_startup(plan: DbPlan, home: cst.Module, others: list[cst.Module]) -> None:
    """Which functions that use `db.session` outside a view are start-up work (databases
    page, "A session outside a request"): called only in the start-up block
    (`with app.app_context(): db.create_all(); f(...)`), defined where the recipe goes.
    The others, and calls the lifespan could not make, become problems."""
    import builtins

    defined = set(re.findall(r"^(?:def|class)\s+(\w+)", source(home), re.M))
    assigned = set(re.findall(r"^(\w+)\s*[:=]", source(home), re.M))
    imported = {
        (a.asname.name if a.asname else a.name).value  # type: ignore[union-attr]
        for stmt in home.body if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body if isinstance(small, cst.ImportFrom | cst.Import)
        and not isinstance(small.names, cst.ImportStar)
        for a in small.names if isinstance(a.asname.name if a.asname else a.name, cst.Name)
    }  # fmt: skip
    known = defined | assigned | imported | set(dir(builtins)) | plan.startup_imports
    known.discard(plan.app or "")  # the Flask app: the lifespan's `app` is FastAPI's
    called = {call.split("(", 1)[0] for call in plan.startup_calls}
    for name, lines in list(plan.startup.items()):
        # Every read of the name in code (not in comments, strings or imports)…
        uses = sum(_reads(m, name) for m in (home, *others))
        calls = sum(1 for call in plan.startup_calls if call.split("(", 1)[0] == name)
        why = None
        if name not in called or uses != calls:  # …is a call in the start-up block
            why = f"`{plan.db}.session` outside a view → pass the function a session"
        elif name not in defined:
            why = f"start-up function `{name}` outside `{plan.db}`'s module → move it there"
        if why is not None:
            del plan.startup[name]  # what stays is start-up work the rule converts
            for line in lines:
                plan.problem(why, line)
    for call in plan.startup_calls:
        name = call.split("(", 1)[0]
        if name not in plan.startup or name not in defined:
            plan.problem(
                f"`{name}()` in the start-up block: not a function that uses "
                f"`{plan.db}.session` in `{plan.db}`'s module → call it in the lifespan"
            )
    calls = [cst.parse_expression(c) for c in plan.startup_calls]
    names = set().union(*(_free_names(c) for c in calls if isinstance(c, cst.Call)))
    if names - known:
        plan.problem(f"the start-up calls read `{sorted(names - known)[0]}` (the factory's own) "
                     "→ call them in the lifespan")  # fmt: skip


def _reads_only(function: cst.FunctionDef, name: str, fields: Sequence[str]) -> bool:
    """Every use of variable `name` in `function`, but one (its assignment), reads one of
    `fields` (`name.items`…)."""
    uses: list[bool] = []

    class Uses(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            if isinstance(node.value, cst.Name) and node.value.value == name:
                uses.append(node.attr.value in fields)
                return False
            return True

        def visit_Arg(self, node: cst.Arg) -> bool:
            node.value.visit(self)  # not its keyword: `page=page` reads `page` once
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                uses.append(False)

    function.body.visit(Uses())
    return uses.count(False) == 1


def plan_module(module: cst.Module, apps: set[str], loaders: Sequence[str] = ()) -> DbPlan:
    """Flask-SQLAlchemy in `module` (`apps`: its app variables): the one-module recipe, or
    this module's part of the tree's shared `db` (`SHARED`). `loaders`: the module's
    Flask-Login `user_loader` functions, when their decorator may be gone already."""
    tree = SHARED.get()
    if tree is not None and _in_tree(module, tree):
        return _tree_plan(module, apps, tree, loaders)
    plan = DbPlan()
    _Collector(plan, apps, loaders).collect(module)
    if not plan.used:
        return plan
    if plan.db is None:
        plan.problem("no `db = SQLAlchemy()` in this module")
        return plan
    _check_app(plan, module)
    _check_startup(plan, module, [])
    if tree is not None and tree.problems:  # another module's `db` stays: so does this one
        plan.problems += [p for p in tree.problems if p not in plan.problems]
    return plan


def _in_tree(module: cst.Module, tree: DbTree) -> bool:
    """`module` is the tree's home (it makes `db`) or imports `db` from there."""
    if re.search(rf"^{re.escape(tree.db)}\s*=\s*\w*\.?SQLAlchemy\(", source(module), re.M):
        return True
    return any(
        tree.home.endswith(dotted(i.module) or "") if i.module else bool(i.relative)
        for i in _imports_db(module, tree.db)
    )


def _tree_plan(
    module: cst.Module, apps: set[str], tree: DbTree, loaders: Sequence[str] = ()
) -> DbPlan:
    """One module's part of a shared `db`: its own uses checked as in one module; the
    app, URL and start-up facts are the tree's, and so are the problems of every module."""
    home = not _imports_db(module, tree.db)
    plan = DbPlan(base=tree.base, models=set(tree.models), used=True, tree=tree)
    if not home:
        plan.db = tree.db
    _Collector(plan, apps, loaders).collect(module)
    plan.db, plan.app, plan.url, plan.creates = tree.db, tree.app, tree.url, tree.creates
    plan.url_code, plan.url_module = tree.url_code, tree.url_module
    plan.paginates = tree.paginates
    # This module's functions the tree did not find to be start-up work: a TODO each.
    for name, lines in plan.startup.items():
        if name not in tree.startup:
            for line in lines:
                plan.problem(
                    f"`{tree.db}.session` outside a view → pass the function a session", line
                )
    plan.startup = {name: [] for name in tree.startup}
    plan.startup_calls, plan.startup_imports = list(tree.startup_calls), set(tree.startup_imports)
    for problem in tree.problems:
        if problem not in plan.problems:
            plan.problems.append(problem)
    return plan


def _check_app(plan: DbPlan, module: cst.Module) -> None:
    """The checks on the app, its URL and the base class (`module` makes the `db`)."""
    if plan.app is None:
        plan.problem("no `db.init_app(app)`")
    url = plan.urls.get(plan.app or "")
    plan.url = string_value(url) if url is not None else None
    default = _env_default(url) if plan.url is None and url is not None else None
    if plan.url is None and url is not None:
        _run_time_url(plan, url)
    if plan.url_code is not None and default is not None and _relative_sqlite(default):
        # Known now: the page's `make_engine` would refuse it when the variable is unset.
        plan.problem("a relative SQLite path as the default (Flask-SQLAlchemy's is under "
                     "the instance folder) → write the absolute path")  # fmt: skip
    elif plan.url is None and plan.url_code is None:
        plan.problem(
            f"`{URI}` neither a string literal, nor a setting the `config` rule ports, nor "
            "an `os.environ` read at module level"
        )
    elif plan.url is not None and _relative_sqlite(plan.url):
        # Flask-SQLAlchemy 3 puts a relative SQLite file in the app's instance folder;
        # `create_engine` would open it relative to the working directory instead.
        plan.problem("a relative SQLite path (Flask-SQLAlchemy's is under the instance "
                     "folder) → write the absolute path")  # fmt: skip
    order = {
        found: i for i, stmt in reversed(list(enumerate(module.body)))
        if (found := _assigns(stmt)) is not None
    }  # fmt: skip
    classes = {s.name.value: i for i, s in enumerate(module.body) if isinstance(s, cst.ClassDef)}
    apps = [i for (t, f), i in order.items() if t == plan.app and f in ("Flask", "FastAPI")]
    first_app = min(apps, default=None) if plan.app else None
    if plan.base and first_app is not None and classes.get(plan.base, -1) > first_app:
        plan.problem(f"`{plan.base}` defined after the app → define it before the app")
    if plan.base is None and "Base" in {n for n in re.findall(r"\b(\w+)\b", source(module))}:
        plan.problem("a name `Base` already exists → pass `model_class=` to `SQLAlchemy`")


def _run_time_url(plan: DbPlan, url: cst.BaseExpression) -> None:
    """A URL known at run time (the databases page's `make_engine(url)`): the `config`
    rule's setting when it ports the key (`get_settings().<field>`, from the package's
    settings module), else an environment read at module level (`os.environ.get("X",
    "sqlite://")`, `os.environ["X"]`, `os.getenv(...)`, of literals only), kept as it is:
    Flask reads it at import too. Sets `plan.url_code` (and `url_module`), or nothing."""
    from flask2fastapi.port.config import ported_setting

    handed = ported_setting(URI)
    if handed is not None:
        plan.url_code, plan.url_module = handed
        return
    if plan.url_in_factory or not plan.url_module_imports_os:
        return
    code = cst.Module([]).code_for_node(url)
    if ENV_READ.fullmatch(code):
        plan.url_code = code


def _env_default(url: cst.BaseExpression) -> str | None:
    """The literal default of `os.environ.get("X", "...")` / `os.getenv(...)`, else None."""
    if isinstance(url, cst.Call) and len(url.args) == 2:
        return string_value(url.args[1].value)
    return None


#: `os.environ.get("NAME")`, `os.environ.get("NAME", "default")`, `os.getenv(...)` alike,
#: `os.environ["NAME"]`: one variable, literal name and default.
ENV_READ = re.compile(
    r"""os\.(?:environ\.get|getenv)\((?P<q>["'])\w+(?P=q)(?:,\s*(?P<d>["'])[^"'\\]*(?P=d))?\)"""
    r"""|os\.environ\[(?P<k>["'])\w+(?P=k)\]"""
)


def _lines(module: cst.Module) -> list[cst.SimpleStatementLine]:
    """The module's lines at module level and in an app factory's body."""
    lines = [s for s in module.body if isinstance(s, cst.SimpleStatementLine)]
    for fn in module.body:
        if isinstance(fn, cst.FunctionDef) and _factory(fn):
            lines += [s for s in fn.body.body if isinstance(s, cst.SimpleStatementLine)]
    return lines


def _factory(function: cst.FunctionDef) -> bool:
    """An app factory: the function's own statements make the app (`Flask(...)`, or the
    `FastAPI()` the `app` rule made of it)."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                value = small.value if isinstance(small, cst.Assign) else None
                called = dotted(value.func) if isinstance(value, cst.Call) else None
                if called and called.rsplit(".", 1)[-1] in ("Flask", "FastAPI"):
                    return True
    return False


def _uri_line(line: cst.SimpleStatementLine, plan: DbPlan) -> bool:
    """`app.config["SQLALCHEMY_DATABASE_URI"] = "..."` (or the track-modifications flag):
    a line the recipe takes over."""
    from flask2fastapi.port.login import _config

    found = _config(line.body[0]) if len(line.body) == 1 else None
    return (
        found is not None
        and found[0] == plan.app
        and set(found[1]) <= {URI, "SQLALCHEMY_TRACK_MODIFICATIONS"}
        and isinstance(line.body[0], cst.Assign)
    )


def lift_blockers(module: cst.Module, apps: set[str], blockers: dict[str, str]) -> None:
    """Drop the `db.init_app(app)` and `app.app_context` blockers the rule converts."""
    if "flask_sqlalchemy" not in source(module) and SHARED.get() is None:
        return
    plan = plan_module(module, apps)
    if plan.ok:
        blockers.pop(f"{plan.db}.init_app({plan.app})", None)
        # `app.config` only for settings the port converts (this rule's URI line included).
        settings = sum(1 for s in _lines(module) if config_setting(s) or _uri_line(s, plan))
        if source(module).count(f"{plan.app}.config") == settings:
            blockers.pop(f"{plan.app}.config", None)
        if plan.creates and source(module).count(".app_context(") == 1:
            blockers.pop(f"{plan.app}.app_context", None)


# ---------------------------------------------------------------------- the recipe
BASE = """\
class Base(DeclarativeBase):
    pass
"""
ENGINE = """\
{engine}
SessionLocal = sessionmaker(engine)


def get_session() -> Iterator[Session]:
    \"\"\"One session per request: committed if the handler succeeds, else rolled back.\"\"\"
    with SessionLocal() as session:
        try:
            yield session
        except Exception:
            session.rollback()
            raise
        session.commit()


SessionDep = Annotated[Session, Depends(get_session)]


# `def` endpoints and dependencies run on anyio's thread pool, 40 at a time by default, and
# each may hold a pooled connection. A server database's pool (create_engine's pool_size +
# max_overflow, 5 + 10 by default) must cover them, or fewer must run at once, as here.
THREADS = 15


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The limiter belongs to the running event loop: set it here, never at import.
    to_thread.current_default_thread_limiter().total_tokens = THREADS
{create}    yield
    engine.dispose()
"""
CREATE = "    {base}.metadata.create_all(engine)  # migrations are Alembic's job here too\n"
#: The databases page's engine for a URL known at run time (snippets/databases/fastapi_app.py).
MAKE_ENGINE = '''\
def make_engine(url: str) -> Engine:
    """An engine for `url` with the SQLite options Flask-SQLAlchemy would choose for it.

    In memory (`sqlite://`, `sqlite:///:memory:`): one connection (`StaticPool`) that every
    thread may use, or each request would see its own empty database. A file: SQLAlchemy's
    default pool, its connections shared between threads (`check_same_thread=False`, which
    SQLAlchemy 2 also sets by itself for a file). Any other database: no options. Raises
    `ValueError` for a relative SQLite path: Flask-SQLAlchemy opens it in the instance
    folder, `create_engine` in the working directory, so neither is a safe guess.
    """
    parsed = make_url(url)  # raises ArgumentError for a string that is no URL
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url)
    threads = {"check_same_thread": False}
    if parsed.database in (None, "", ":memory:"):
        return create_engine(url, connect_args=threads, poolclass=StaticPool)
    if not os.path.isabs(parsed.database):
        raise ValueError(f"write the SQLite path in full, not {parsed.database!r}")
    return create_engine(url, connect_args=threads)
'''
RUN_TIME_ENGINE = """\
# Made at import, after the settings: the session dependency below needs nothing else.
engine = make_engine({url})"""
#: Flask-SQLAlchemy's `db.paginate(select, page=, per_page=, ...)` as the pagination page
#: writes it (snippets/pagination/fastapi_app.py, its `paginate` section).
PAGINATE = '''\
@dataclass
class Page:
    """The part of Flask-SQLAlchemy's `Pagination` that views read."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)  # 0 when there are no rows


def paginate(
    session: Session,
    query: Select,
    *,
    page: int,
    per_page: int,
    max_per_page: int | None = None,
    error_out: bool = True,
) -> Page:
    """`db.paginate(query, page=, per_page=, max_per_page=, error_out=)` of Flask-SQLAlchemy
    3.1 (its `Pagination._prepare_page_args` and `SelectPagination`), with the numbers given.

    `per_page` is first lowered to `max_per_page`. A page or page size below 1, or an empty
    page other than the first: `HTTPException(404)` when `error_out`, else page 1, 20 per
    page, and an empty page. `total` is a second query, a count of `query`'s rows.
    """
    if max_per_page is not None:
        per_page = min(per_page, max_per_page)
    if (page < 1 or per_page < 1) and error_out:
        raise HTTPException(404)
    page, per_page = max(page, 1), per_page if per_page >= 1 else 20
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    if not rows and page != 1 and error_out:
        raise HTTPException(404)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Page(list(rows), page, per_page, total or 0)
'''
PAGINATE_IMPORTS = (
    ("dataclasses", "dataclass"), ("math", "ceil"), ("typing", "Any"), ("sqlalchemy", "Select"),
    ("sqlalchemy", "func"), ("sqlalchemy", "select"), ("fastapi", "HTTPException"),
)  # fmt: skip
RECIPE_IMPORTS = (
    ("collections.abc", "AsyncIterator"), ("collections.abc", "Iterator"),
    ("contextlib", "asynccontextmanager"), ("typing", "Annotated"), ("anyio", "to_thread"),
    ("fastapi", "Depends"), ("fastapi", "FastAPI"), ("sqlalchemy", "create_engine"),
    ("sqlalchemy.orm", "Session"), ("sqlalchemy.orm", "sessionmaker"),
)  # fmt: skip


def _statements(code: str) -> list[cst.BaseStatement]:
    return list(cst.parse_module(code).body)


class SqlAlchemyRule(PortRule):
    """See the module docstring. Runs after `app` (it passes `lifespan=` to `FastAPI()`)."""

    id = "sqlalchemy"
    needs = ("flask_sqlalchemy",)
    without_structure = True

    @classmethod
    def applies(cls, code: str, options: PortOptions) -> bool:
        # A module that only imports the tree's shared `db` does not name the extension.
        return super().applies(code, options) or SHARED.get() is not None

    def visit_Module(self, node: cst.Module) -> bool:
        self.plan = plan_module(node, set(self.owners.apps))
        self.module = node
        self.converting = self.options.structure and self.plan.ok
        self.needs_session: list[bool] = []
        # In a tree, the module that makes `db` gets the recipe; the others import from it.
        self.home = self.plan.tree is None or not _imports_db(node, self.plan.db or "")
        return True

    # ------------------------------------------------------------------ TODOs
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        super().visit_SimpleStatementLine(node)
        if self.converting or not self.plan.used:
            return True
        if node in self.plan.lines:
            text = self.plan.lines[node]
            # paginate's recipe (and its 422s where Flask corrected a bad page) has its page
            self.todo(f"{text}; then rerun", PAGINATION if ".paginate`" in text else None)
        small = node.body[0] if len(node.body) == 1 else None
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and dotted(small.targets[0].target) == self.plan.db
        ):
            why = "; ".join(dict.fromkeys(p.split(" → ")[0] for p in self.plan.problems))
            if self.plan.problems:
                self.todo(f"Flask-SQLAlchemy stays ({why}): port these by hand as the page "
                          "shows, then rerun")  # fmt: skip
        return True

    # ------------------------------------------------------------------ conversion
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        super().visit_FunctionDef(node)
        self.needs_session.append(False)
        return True

    def rewrite_function(self, original, updated):  # type: ignore[no-untyped-def]
        needs = self.needs_session.pop()
        if (
            needs
            and self.converting
            and not self.functions
            and (original.name.value in self.plan.startup)
        ):
            self.converted()
            self.add_import("sqlalchemy.orm", "Session")
            updated = _with_own_session(updated)
        elif (
            self.converting
            and not self.functions
            and (original.name.value in self.plan.loaders or self._login_passes(original))
            and "session" not in function_params(updated)
        ):
            # Called by the login recipe's `current_user_or_anonymous` with the request's
            # session (SessionDep there, so the view and the loader share one session).
            self.converted()
            self.add_import("sqlalchemy.orm", "Session")
            updated = add_param(updated, "session: Session")
            self.plan.home_names.add("SessionDep")
        elif needs and self.converting:
            updated = add_param(updated, "session: SessionDep")
            self.plan.home_names.add("SessionDep")
        if self.converting and not self.functions and _factory(updated):
            # The factory's `init_app`, URL and `create_all()` lines: the recipe has them.
            # A removed line's comments go to the next one, as at module level.
            body: list[cst.BaseStatement] = []
            carried: list[cst.EmptyLine] = []
            for stmt in updated.body.body:
                if self._goes(stmt):
                    self.converted()
                    if any(e.comment is not None for e in stmt.leading_lines):
                        carried += stmt.leading_lines
                    continue
                if carried:
                    stmt = stmt.with_changes(leading_lines=[*carried, *stmt.leading_lines])
                    carried = []
                body.append(stmt)
            if carried or not body:  # comments last in the factory, or nothing left
                body.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carried))
            updated = updated.with_changes(body=updated.body.with_changes(body=body))
        return updated

    def _login_passes(self, function: cst.FunctionDef) -> bool:
        """The `login` rule's recipe calls `function` with a session (its plan says the
        loader reads the database): it must take one, used or not."""
        from flask2fastapi.port.login import PLAN

        login = PLAN.get()
        name = function.name.value
        if login is not None:
            return login.loader_reads_db and login.loader == name
        return bool(re.search(rf"= {name}\(user_id, session\) if user_id", source(self.module)))

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef):  # type: ignore[no-untyped-def]
        if not self.converting or original.name.value not in self.plan.models:
            return updated
        self.converted()
        self.plan.home_names.add(self.plan.base or "Base")
        bases = [
            b.with_changes(value=cst.Name(self.plan.base or "Base"))
            if dotted(b.value) == f"{self.plan.db}.Model" else b
            for b in updated.bases
        ]  # fmt: skip
        updated = updated.with_changes(bases=bases)
        code = cst.Module([]).code_for_node(original)
        if "__tablename__" in code or "__table__" in code:
            return updated
        body = list(updated.body.body)
        line = cst.parse_statement(f'__tablename__ = "{table_name(original.name.value)}"\n')
        at = 1 if body and _is_docstring(body[0]) else 0
        body.insert(at, line)
        after = body[at + 1] if at + 1 < len(body) else None
        if after is not None and not (
            after.leading_lines and after.leading_lines[0].comment is None
        ):
            # a blank line between it and the columns, as the page has
            body[at + 1] = after.with_changes(
                leading_lines=[cst.EmptyLine(indent=False), *after.leading_lines]
            )
        return updated.with_changes(body=updated.body.with_changes(body=body))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute):  # type: ignore[no-untyped-def]
        if not self.converting:
            return updated
        db = self.plan.db
        if dotted(updated.value) == f"{db}.session":
            self.converted()
            self.needs_session[-1] = True
            return updated.with_changes(value=cst.Name("session"))
        if dotted(updated.value) == db and updated.attr.value not in OWN_NAMES:
            name = updated.attr.value
            self.converted()
            self.add_import("sqlalchemy.orm" if name in ORM_NAMES else "sqlalchemy", name)
            return cst.Name(name)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call):  # type: ignore[no-untyped-def]
        if not self.converting:
            return updated
        if dotted(updated.func) == f"{self.plan.db}.paginate":
            # The pagination page's helper, with the view's session first.
            self.converted()
            self.needs_session[-1] = True
            self.plan.home_names.add("paginate")
            first = cst.Arg(
                cst.Name("session"),
                comma=cst.Comma(cst.SimpleWhitespace(""), cst.SimpleWhitespace(" ")),
            )
            return updated.with_changes(func=cst.Name("paginate"), args=[first, *updated.args])
        chain = _query_chain(updated, self.plan.models)
        if chain is None:
            return updated
        model, steps, final, args = chain
        if final not in RESULTS and final != "get":
            return updated  # a step of a longer chain, or `..._or_404` (the whole line)
        self.converted()
        self.needs_session[-1] = True
        if final == "get":
            return cst.parse_expression(f"session.get({model}, {_args(args)})")
        self.add_import("sqlalchemy", "select")
        return cst.parse_expression(f"session.scalars({_select(model, steps)}).{final}()")

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        line = super().leave_SimpleStatementLine(original, updated)
        if not self.converting or len(updated.body) != 1:
            return line
        small = updated.body[0]
        db = self.plan.db
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            value = small.value
            name = dotted(value.func) if isinstance(value, cst.Call) else None
            chain = _query_chain(value, self.plan.models)
            found = None
            args = value.args if isinstance(value, cst.Call) else ()
            given = [a for a in args if a.keyword is None]
            # `description=`: the 404's text (Werkzeug's page there, the JSON `detail` here).
            why = [a.value for a in args if a.keyword is not None]
            if name == f"{db}.get_or_404":
                found = f"session.get({_args(given)})"
            elif name == f"{db}.first_or_404":
                found = f"session.scalars({_args(given)}).first()"
            elif chain is not None and chain[2] == "get_or_404":
                found = f"session.get({chain[0]}, {_args(given)})"
            elif chain is not None and chain[2] == "first_or_404":
                self.add_import("sqlalchemy", "select")
                found = f"session.scalars({_select(chain[0], chain[1])}).first()"
            if found is not None:
                self.converted()
                self.needs_session[-1] = True
                self.add_import("fastapi", "HTTPException")
                target = dotted(small.targets[0].target)
                detail = f", {cst.Module([]).code_for_node(why[0])}" if why else ""
                return _like(line, _statements(
                    f"{target} = {found}\n"
                    f"if {target} is None:\n    raise HTTPException(404{detail})\n"
                ))  # fmt: skip
        return line

    def _goes(self, stmt: cst.BaseStatement) -> bool:
        """A module-level statement the recipe takes over: the URI setting, `init_app`,
        the `create_all()` block."""
        if isinstance(stmt, cst.With):
            return self.plan.creates and _is_create_block(stmt, self.plan)
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return False
        small = stmt.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return dotted(small.value.func) == f"{self.plan.db}.init_app"
        return isinstance(small, cst.Assign) and _uri_line(stmt, self.plan)

    def _is_db(self, stmt: cst.BaseStatement) -> bool:
        return _assigns(stmt) == (self.plan.db, "SQLAlchemy")

    def _is_app(self, stmt: cst.BaseStatement) -> bool:
        return _assigns(stmt) == (self.plan.app, "FastAPI")

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self.converting:
            return updated
        if not self.home:
            if "def current_user_or_anonymous(request: Request, session: SessionDep)" in (
                updated.code
            ):  # the `login` rule's recipe for a loader that reads the database
                self.plan.home_names.add("SessionDep")
            # The start-up block went to the lifespan: what only it used is unused here.
            for name in self.plan.startup if self.plan.tree is not None else ():
                self.drop_import(self.plan.tree.home, name)
            for module in self.plan.startup_imports:
                self.drop_import(module)
            return self._user_module(updated)
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []  # a removed line's comments go to the next one
        # The recipe goes where `db = SQLAlchemy()` was, or before the app when the app
        # comes first (`FastAPI(lifespan=lifespan)` needs it defined).
        at = min(
            i for i, stmt in enumerate(updated.body) if self._is_db(stmt) or self._is_app(stmt)
        )
        for i, stmt in enumerate(updated.body):
            if i == at:
                db_line = self._is_db(stmt)
                body += self._recipe(stmt.leading_lines if db_line else ())
                if db_line:
                    continue
            elif self._is_db(stmt):
                self.converted()
                if any(e.comment is not None for e in stmt.leading_lines):
                    carried += stmt.leading_lines
                continue
            if self._goes(stmt):
                self.converted()
                if any(e.comment is not None for e in stmt.leading_lines):
                    carried += stmt.leading_lines
                continue
            if carried:
                stmt = stmt.with_changes(leading_lines=[*carried, *stmt.leading_lines])
                carried = []
            body.append(stmt)
        if carried:
            return updated.with_changes(body=body, footer=[*carried, *updated.footer])
        return updated.with_changes(body=body)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        # `app = FastAPI()` (the `app` rule's work) takes the recipe's lifespan.
        value = updated.value
        if (
            self.converting
            and len(updated.targets) == 1
            and dotted(updated.targets[0].target) == self.plan.app
            and isinstance(value, cst.Call)
            and dotted(value.func) == "FastAPI"
            and not any(a.keyword and a.keyword.value == "lifespan" for a in value.args)
        ):
            self.plan.home_names.add("lifespan")
            return updated.with_changes(
                value=value.with_changes(args=[*value.args, arg(cst.Name("lifespan"), "lifespan")])
            )
        return updated

    def _user_module(self, updated: cst.Module) -> cst.Module:
        """A module that imports the shared `db`: the set-up lines go (the home module has
        the recipe), and `from home import db` imports what this module now uses instead."""
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        for stmt in updated.body:
            if self._goes(stmt):
                self.converted()
                if any(e.comment is not None for e in stmt.leading_lines):
                    carried += stmt.leading_lines
                continue
            if isinstance(stmt, cst.SimpleStatementLine):
                smalls = [n for s in stmt.body if (n := self._import_home(s)) is not None]
                if not smalls:  # `from home import db` with nothing left to import
                    carried += [e for e in stmt.leading_lines if e.comment is not None]
                    continue
                stmt = stmt.with_changes(body=smalls)
            if carried:
                stmt = stmt.with_changes(leading_lines=[*carried, *stmt.leading_lines])
                carried = []
            body.append(stmt)
        return updated.with_changes(body=body, footer=[*carried, *updated.footer])

    def _import_home(self, small: cst.BaseSmallStatement) -> cst.BaseSmallStatement | None:
        """`from home import X, db` → `from home import X, <what replaces db here>`."""
        db = self.plan.db
        if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
            return small
        names = list(small.names)
        at = next((i for i, a in enumerate(names) if dotted(a.name) == db and not a.asname), None)
        if at is None:
            return small
        have = {dotted(a.name) for a in names}
        old = names[at]
        # The new names take the comma (and its layout) `db` had: one line or several.
        sep = old.comma
        if not isinstance(sep, cst.Comma):
            sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new = [cst.ImportAlias(cst.Name(n), comma=sep) for n in sorted(self.plan.home_names - have)]
        if new:
            new[-1] = new[-1].with_changes(comma=old.comma)
        self.converted()
        names[at : at + 1] = new
        if not names:
            return None
        if small.lpar is None:  # no trailing comma outside parentheses
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return small.with_changes(names=names)

    def _recipe(self, leading: Sequence[cst.EmptyLine]) -> list[cst.BaseStatement]:
        self.converted()
        self.drop_import("flask_sqlalchemy", "SQLAlchemy")
        for module, name in RECIPE_IMPORTS:
            self.add_import(module, name)
        url = self.plan.url or ""
        options = ""
        path = _sqlite_path(url) if self.plan.url_code is None else None
        if path == "":  # in memory, as Flask-SQLAlchemy: one connection every thread shares
            self.add_import("sqlalchemy.pool", "StaticPool")
            options = ', connect_args={"check_same_thread": False}, poolclass=StaticPool'
        elif path is not None:  # a file: FastAPI's threads share its connections
            options = ', connect_args={"check_same_thread": False}'
        base = self.plan.base or "Base"
        engine = f"engine = create_engine({_quote(url)}{options})"
        if len(engine) > 100:  # as ruff would format it
            engine = f"engine = create_engine(\n    {_quote(url)}{options}\n)"
        if self.plan.url_code is not None:  # known at run time: the page's `make_engine`
            self.add_import("os")
            self.add_import("sqlalchemy", "Engine")
            self.add_import("sqlalchemy", "make_url")
            self.add_import("sqlalchemy.pool", "StaticPool")
            if self.plan.url_module is not None:
                self.add_import(self.plan.url_module, "get_settings")
            engine = MAKE_ENGINE + "\n\n" + RUN_TIME_ENGINE.format(url=self.plan.url_code)
        create = CREATE.format(base=base) if self.plan.creates else ""
        # The start-up block's calls, after the tables: the pagination page's `seed()`.
        create += "".join(f"    {call}\n" for call in self.plan.startup_calls)
        for module in sorted(self.plan.startup_imports):
            self.add_import(module)
        code = ENGINE.format(engine=engine, create=create)
        if self.plan.base is None:
            self.add_import("sqlalchemy.orm", "DeclarativeBase")
            code = BASE + "\n\n" + code
        if self.plan.paginates:
            for module, name in PAGINATE_IMPORTS:
                self.add_import(module, name)
            code += "\n\n" + PAGINATE
        statements = _statements(code)
        note = cst.EmptyLine(
            comment=cst.Comment(
                "# Flask-SQLAlchemy as the guide's engine and session "
                f"(flask2fastapi sqlalchemy): {self.page}"
            )
        )
        blank = cst.EmptyLine(indent=False)
        statements[0] = statements[0].with_changes(
            leading_lines=[*(leading or (blank, blank)), note]
        )
        return statements


def _with_own_session(function: cst.FunctionDef) -> cst.FunctionDef:
    """`function`'s body (its docstring aside) inside `with Session(engine) as session:`,
    as the pagination page's `seed()`: no request, so no `SessionDep`."""
    body = list(function.body.body)  # type: ignore[union-attr]
    keep = body[:1] if body and _is_docstring(body[0]) else []
    block = cst.parse_statement(
        "with Session(engine) as session:  # no request here: a session of its own\n    pass\n"
    )
    rest = body[len(keep) :]
    block = block.with_changes(  # type: ignore[union-attr]
        body=block.body.with_changes(body=rest),  # type: ignore[union-attr]
        leading_lines=rest[0].leading_lines if rest else (),
    )
    if rest:
        rest[0] = rest[0].with_changes(leading_lines=())
        block = block.with_changes(body=block.body.with_changes(body=rest))  # type: ignore[union-attr]
    return function.with_changes(
        body=function.body.with_changes(body=[*keep, block])  # type: ignore[union-attr]
    )


def _assigns(stmt: cst.BaseStatement) -> tuple[str | None, str | None] | None:
    """(target, called name) of a module-level `x = f(...)` line, else None."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    if not isinstance(small.value, cst.Call):
        return None
    called = dotted(small.value.func)
    return dotted(small.targets[0].target), called.rsplit(".", 1)[-1] if called else None


def _sqlite_path(url: str) -> str | None:
    """The database path of a SQLite URL (`""` in memory), None for another database."""
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0] != "sqlite":
        return None
    path = rest.removeprefix("/").split("?")[0]
    return "" if path == ":memory:" else path


def _relative_sqlite(url: str) -> bool:
    """`sqlite:///app.db`: a file path relative to something (not in memory, not absolute)."""
    path = _sqlite_path(url)
    return bool(path) and not path.startswith("/")  # type: ignore[union-attr]


def _is_create_block(node: cst.With, plan: DbPlan) -> bool:
    """`with app.app_context(): db.create_all()`, then maybe the start-up calls."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    calls = [_startup_call(stmt) for stmt in body[1:]]
    return (
        len(body) >= 1
        and all(c is not None and dotted(c.func) in plan.startup for c in calls)
        and cst.Module([]).code_for_node(body[0]).strip().split("#")[0].strip()
        == f"{plan.db}.create_all()"
        and dotted(getattr(node.items[0].item, "func", None)) == f"{plan.app}.app_context"
    )


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _args(args) -> str:  # type: ignore[no-untyped-def]
    code = cst.Module([]).code_for_node(cst.Call(func=cst.Name("_"), args=args))
    return code[2:-1]


def _select(model: str, steps: list[cst.Call]) -> str:
    code = f"select({model})"
    for step in steps:
        code += f".{step.func.attr.value}({_args(step.args)})"
    return code


def _like(line: cst.SimpleStatementLine, statements: list[cst.BaseStatement]):  # type: ignore[no-untyped-def]
    statements[0] = statements[0].with_changes(leading_lines=line.leading_lines)
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine) and line.trailing_whitespace.comment:
        statements[-1] = last.with_changes(trailing_whitespace=line.trailing_whitespace)
    return cst.FlattenSentinel(statements)
