"""Rule `config`: a module-level Flask app's `app.config` → FastAPI's counterparts.

* `app.config["MAX_CONTENT_LENGTH"] = n` → `FastAPI(max_body_size=n)` (a larger body
  answers 413 on both; the file-uploads and request-object pages' recipe).
* `app.config["KEY"] = value`, `app.config.update(KEY=value)`, `from_mapping(KEY=value)`
  and `from_prefixed_env("PREFIX")` → one pydantic-settings `Settings` class behind a
  cached `get_settings()` (the configuration page's recipe): a field per key, named in
  lower case, with the value as its default; `from_prefixed_env` becomes its `env_prefix`.
* Reads, `app.config["KEY"]`, `current_app.config["KEY"]` or `.get("KEY"…)` of a key the
  module sets: in a view, `settings.key` with a `settings: Annotated[Settings,
  Depends(get_settings)]` parameter; anywhere else (module level after the settings, a
  helper), `get_settings().key`, as the page says code outside the views reads them.
* A key Flask itself reads (`SECRET_KEY`, `JSON_SORT_KEYS`, `SESSION_COOKIE_*`…) has no
  effect on FastAPI: its field keeps the value, with a TODO naming the page that ports it.

An app made in a factory (`def create_app(): app = Flask(...)`, the page's "In an app
factory" section): the factory's own set lines (`update`, item assignment, `from_mapping`)
become `Settings` fields at module level, placed before the factory and before the
package's own imports (its other modules import `Settings` and `get_settings` back):
`os.environ["NAME"]` → a required field, `os.environ.get("NAME", d)` / `os.getenv` → the
default `d` (its type), any other value that reads the environment → a `default_factory`
running it when `Settings()` is made. The first set line becomes `settings =
get_settings()`, reads in the factory `settings.<field>`. In the package's other modules
(`TREE_SETTINGS`, from `config_tree`), `current_app.config["KEY"]` → a settings
dependency in a view, `get_settings().key` elsewhere; `ported_setting(key)` tells other
rules how to read a key (the hand-over of `SQLALCHEMY_DATABASE_URI`). Keys the `login`
rule's SessionMiddleware takes (`SECRET_KEY`, `SESSION_COOKIE_*`) get no TODO.

Anything else on `app.config` (`from_object`, `from_pyfile`, a computed key, a read of a
key the module never sets, a factory's value that reads one of its locals, `SECRET_KEY` or
`SESSION_COOKIE_*` in a module that uses Flask's `session` or `flash`) keeps the app in
Flask: `plan()` says so to the structure analysis, and the `app` rule's TODO names
`app.config`. A `current_app.config` used other than by key gets a TODO.
`TRUSTED_HOSTS` is the `app` rule's (Starlette's TrustedHostMiddleware).
"""

from __future__ import annotations

import builtins
import keyword as pykeyword
from contextvars import ContextVar
from dataclasses import dataclass, field

import libcst as cst

from flask2fastapi.port.base import (
    NameReads,
    Owners,
    PortRule,
    add_param,
    arg,
    dotted,
    function_params,
    keyword,
    page_url,
    positional,
    source,
    string_value,
)

#: Keys Flask itself reads, which do nothing on FastAPI: the page that ports each.
FLASK_KEYS = {
    "SECRET_KEY": "security/sessions.md",
    "SECRET_KEY_FALLBACKS": "security/sessions.md",
    "PERMANENT_SESSION_LIFETIME": "security/sessions.md",
    "SESSION_REFRESH_EACH_REQUEST": "security/sessions.md",
    "JSON_SORT_KEYS": "responses/json-responses.md",
    "JSON_AS_ASCII": "responses/json-responses.md",
    "JSONIFY_PRETTYPRINT_REGULAR": "responses/json-responses.md",
    "JSONIFY_MIMETYPE": "responses/json-responses.md",
    "MAX_FORM_MEMORY_SIZE": "requests/form-data.md",
    "MAX_FORM_PARTS": "requests/form-data.md",
    "SEND_FILE_MAX_AGE_DEFAULT": "pages/static-files.md",
    "USE_X_SENDFILE": "pages/static-files.md",
    "TEMPLATES_AUTO_RELOAD": "pages/templates.md",
    "EXPLAIN_TEMPLATE_LOADING": "pages/templates.md",
    "SERVER_NAME": "routing/url-building.md",
    "APPLICATION_ROOT": "routing/url-building.md",
    "PREFERRED_URL_SCHEME": "routing/url-building.md",
    "DEBUG": "start/running-the-app.md",
    "TESTING": "start/running-the-app.md",
    "PROPAGATE_EXCEPTIONS": "errors/error-handlers.md",
    "TRAP_HTTP_EXCEPTIONS": "errors/error-handlers.md",
    "TRAP_BAD_REQUEST_ERRORS": "errors/error-handlers.md",
}
#: `SESSION_COOKIE_*` keys, all Flask's session cookie's.
SESSION_PREFIX = "SESSION_COOKIE_"
#: The key that becomes `FastAPI(max_body_size=...)`.
BODY_LIMIT = "MAX_CONTENT_LENGTH"
#: The `app` rule's key (TrustedHostMiddleware).
APP_RULE_KEYS = {"TRUSTED_HOSTS"}
#: Names the port defines; a module that already has one keeps its `app.config`.
DEFINED = ("Settings", "get_settings", "settings")
#: What a field's default tells of its type; anything else is `Any`.
LITERAL_TYPES = {cst.Integer: "int", cst.Float: "float"}


@dataclass
class Setting:
    key: str
    value: cst.BaseExpression
    statement: cst.SimpleStatementLine  # the line that sets it (several keys may share one)
    #: The field's line when the value reads the environment (an app factory's settings,
    #: `_env_field`): `name: str = Field(validation_alias="NAME")`; None: `name: T = value`.
    field: str | None = None


@dataclass
class Plan:
    """What the `config` rule does to one module-level app: `None` from `plan()` when it
    cannot convert every `app.config` use."""

    owner: str
    settings: list[Setting] = field(default_factory=list)
    env_prefix: str | None = None
    body_limit: cst.BaseExpression | None = None
    #: Every statement the rule removes (the set lines).
    statements: list[cst.SimpleStatementLine] = field(default_factory=list)
    #: The index of the module statement the Settings class goes before: the first place
    #: where every default's names are bound.
    class_at: int = 0
    #: The app factory's name when the app is made in one (`_factory_plan`): its settings
    #: are read by `settings = get_settings()` where the first set line was.
    factory: str | None = None
    #: Reads of the settings in the factory (none: a bare `get_settings()` call there).
    factory_reads: int = 0
    #: Keys whose Flask meaning another rule ported (the `login` rule's SessionMiddleware).
    ported_keys: set[str] = field(default_factory=set)

    @property
    def keys(self) -> set[str]:
        return {s.key for s in self.settings}

    @property
    def needs_class(self) -> bool:
        return bool(self.settings) or self.env_prefix is not None


def _page_of(key: str) -> str | None:
    """The page that ports a key Flask itself reads, else None."""
    if key.startswith(SESSION_PREFIX):
        return "security/sessions.md"
    return FLASK_KEYS.get(key)


def _kind(value: cst.BaseExpression) -> str:
    """A field's type from its default: a literal's own, else `Any`."""
    if isinstance(value, cst.Name) and value.value in ("True", "False"):
        return "bool"
    if isinstance(value, cst.SimpleString):
        return "str" if string_value(value) is not None else "Any"  # b"..." is bytes
    return LITERAL_TYPES.get(type(value), "Any")  # type: ignore[arg-type]


def field_name(key: str) -> str | None:
    name = key.lower()
    if not name.isidentifier() or pykeyword.iskeyword(name) or name.startswith("model_"):
        return None
    return name


def _config_of(node: cst.BaseExpression | None, owner: str) -> bool:
    """`owner.config`."""
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "config"
        and dotted(node.value) == owner
    )


def read_key(node: cst.CSTNode, config: str) -> str | None:
    """The key of `<config>["KEY"]` or `<config>.get("KEY"[, default])`, where `config` is
    the dotted name of the config object (`app.config`, `current_app.config`)."""
    if isinstance(node, cst.Subscript) and dotted(node.value) == config and len(node.slice) == 1:
        index = node.slice[0].slice
        return string_value(index.value) if isinstance(index, cst.Index) else None
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "get"
        and dotted(node.func.value) == config
        and 1 <= len(node.args) <= 2
        and not any(a.keyword or a.star for a in node.args)
    ):
        return string_value(node.args[0].value)
    return None


def _sets(
    statement: cst.SimpleStatementLine, owner: str
) -> list[tuple[str, cst.BaseExpression]] | str | None:
    """The (key, value) pairs a module-level line sets on `owner.config`; the env prefix
    (a str) for `from_prefixed_env`; None when the line is not a setting this rule reads."""
    if len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Subscript) and _config_of(target.value, owner):
            key = read_key(target, f"{owner}.config")
            return [(key, small.value)] if key else None
        return None
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if not isinstance(func, cst.Attribute) or not _config_of(func.value, owner):
        return None
    method = func.attr.value
    if method in ("update", "from_mapping"):
        pairs: list[tuple[str, cst.BaseExpression]] = []
        for a in call.args:
            if a.star or a.keyword is None:
                if a.star or not isinstance(a.value, cst.Dict):
                    return None
                for element in a.value.elements:
                    key = string_value(getattr(element, "key", None))
                    if key is None:
                        return None
                    pairs.append((key, element.value))
            else:
                pairs.append((a.keyword.value, a.value))
        return pairs
    if method == "from_prefixed_env" and len(call.args) <= 1:
        prefix_arg = keyword(call, "prefix") or (positional(call)[:1] or [None])[0]
        if len(call.args) == 1 and prefix_arg is None:
            return None
        prefix = "FLASK" if prefix_arg is None else string_value(prefix_arg.value)
        return f"{prefix}_" if prefix else None
    return None


def _free_names(node: cst.CSTNode) -> set[str] | None:
    """The names an expression reads (None when it holds a scope of its own)."""

    class Names(NameReads):
        def __init__(self) -> None:
            self.names: set[str] = set()
            self.scoped = False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            self.scoped = True
            return False

        def visit_ListComp(self, node: cst.ListComp) -> bool:
            self.scoped = True
            return False

        visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp  # type: ignore[assignment]

        def read(self, name: str) -> None:
            self.names.add(name)

    finder = Names()
    node.visit(finder)
    return None if finder.scoped else finder.names


def _bound(statement: cst.BaseStatement) -> set[str]:
    """Names a module-level statement binds (imports, assignments, defs, classes)."""
    if isinstance(statement, cst.FunctionDef | cst.ClassDef):
        return {statement.name.value}
    names: set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Import | cst.ImportFrom) and not isinstance(
                small.names, cst.ImportStar
            ):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    name = dotted(bound)  # type: ignore[arg-type]
                    if name:
                        names.add(name.split(".")[0])
            targets = []
            if isinstance(small, cst.Assign):
                targets = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign | cst.AugAssign):
                targets = [small.target]
            for target in targets:
                parts = [e.value for e in target.elements] if isinstance(
                    target, cst.Tuple | cst.List
                ) else [target]  # fmt: skip
                names |= {p.value for p in parts if isinstance(p, cst.Name)}
    elif isinstance(statement, cst.If | cst.Try | cst.With | cst.For):
        inner = cst.Module([statement])

        class Binds(cst.CSTVisitor):
            def visit_Name(self, node: cst.Name) -> None:
                names.add(node.value)  # generous: a name seen in a block may be bound there

        inner.visit(Binds())
    return names


def _app_line(statement: cst.BaseStatement, owner: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and dotted(small.targets[0].target) == owner
        and isinstance(small.value, cst.Call)
        and (dotted(small.value.func) or "").split(".")[-1] in ("Flask", "FastAPI")
    )


class _Uses(cst.CSTVisitor):
    """Every `owner.config` node outside the set lines, and its reads by key: where each
    sits (a function, a class body, module level) and in which top-level statement."""

    def __init__(self, owner: str, owners: Owners) -> None:
        self.owner = owner
        self.owners = owners
        self.functions: list[cst.FunctionDef] = []
        self.classes = 0
        self.config_nodes = 0  # `owner.config` attributes seen
        self.writes = 0  # `owner.config[...]` assigned, augmented or deleted
        self.reads: list[tuple[str | None, str, int]] = []  # (key, where, statement index)
        self.statement = -1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes -= 1

    @property
    def where(self) -> str:
        if self.functions:
            return "function"  # a view's parameter, or `get_settings()` at call time
        return "class" if self.classes else "module"

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if _config_of(node, self.owner):
            self.config_nodes += 1

    def _write(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Subscript) and _config_of(target.value, self.owner):
            self.writes += 1  # the settings are read once at start-up: no later writes

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._write(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._write(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._write(node.target)

    def _read(self, node: cst.CSTNode) -> None:
        key = read_key(node, f"{self.owner}.config")
        if key is not None:
            self.reads.append((key, self.where, self.statement))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._read(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._read(node)


def plan(module: cst.Module, owner: str, owners: Owners) -> Plan | None:
    """How the `config` rule converts every `owner.config` use of `module`, or None when
    one use cannot be converted (then the app stays in Flask)."""
    body = list(module.body)
    app_at = next((i for i, s in enumerate(body) if _app_line(s, owner)), None)
    if app_at is None:
        return _factory_plan(module, owner, owners)  # an app made in a factory, or none
    # name → the index of the statement after its latest binding so far (builtins: 0)
    bound_at: dict[str, int] = dict.fromkeys([*dir(builtins), "__file__"], 0)
    for i, statement in enumerate(body[:app_at]):
        bound_at.update(dict.fromkeys(_bound(statement), i + 1))
    if set(bound_at) & set(DEFINED):
        return None
    result = Plan(owner, class_at=app_at + 1)
    skip: set[int] = set()  # the set lines (and the `app` rule's), not reads
    for i, statement in enumerate(body[app_at + 1 :], app_at + 1):
        found = _sets(statement, owner) if isinstance(statement, cst.SimpleStatementLine) else None
        if found is None:
            bound_at.update(dict.fromkeys(_bound(statement), i + 1))
            continue
        skip.add(i)
        if isinstance(found, str):
            if result.env_prefix is not None:
                return None
            result.env_prefix = found
            result.statements.append(statement)
            result.class_at = max(result.class_at, i)
            continue
        keys = [k for k, _ in found]
        if any(k in APP_RULE_KEYS for k in keys):
            if len(keys) != 1 or not isinstance(statement.body[0], cst.Assign):
                return None
            continue  # the `app` rule's
        for key, value in found:
            names = _free_names(value)
            if names is None or names - set(bound_at):
                return None  # reads a name bound later, or holds a lambda/comprehension
            if key == BODY_LIMIT:
                if any(bound_at[n] > app_at for n in names):
                    return None  # `FastAPI(max_body_size=...)` cannot read it yet
                result.body_limit = value
            elif field_name(key) is None or key in result.keys:
                return None
            else:
                result.settings.append(Setting(key, value, statement))
                # The class goes where this default reads what the set line read.
                result.class_at = max([result.class_at, *(bound_at[n] for n in names)])
        result.statements.append(statement)
    session_keys = {k for k in result.keys if _page_of(k) == "security/sessions.md"}
    if session_keys and {"flask.session", "flask.flash"} & set(owners.imported.values()):
        return None  # the key signs the session the views use: ported with the session
    uses = _Uses(owner, owners)
    for i, statement in enumerate(body):
        if i not in skip:
            uses.statement = i
            statement.visit(uses)
    if uses.writes:
        return None
    reads_on_owner = 0
    for key, where, index in uses.reads:
        reads_on_owner += 1
        if key not in result.keys or where == "class":
            return None  # a class body runs at import, maybe before the settings exist
        if where == "module" and index < result.class_at:
            return None  # read before the settings exist
    if reads_on_owner != uses.config_nodes:
        return None  # another use: from_object, a loop over the keys, a computed key…
    return result


# ---------------------------------------------------------------------- app factories
#: `os` functions that read one variable: `os.environ.get(NAME[, d])`, `os.getenv(NAME[, d])`.
ENV_GETS = ("os.environ.get", "os.getenv")
#: Calls whose result type a computed field takes (`int(os.environ.get(...))`).
CONVERSIONS = {"int": "int", "float": "float", "str": "str", "bool": "bool"}
#: `SESSION_COOKIE_*` values Starlette's SessionMiddleware always has: no TODO for them.
STARLETTE_SAYS = {"SESSION_COOKIE_HTTPONLY": "True"}


def _reads_env(node: cst.CSTNode) -> bool:
    """Whether an expression reads `os.environ` (or calls `os.getenv`) anywhere."""
    text = cst.Module([]).code_for_node(node)
    return "os.environ" in text or "os.getenv" in text


def _env_field(name: str, value: cst.BaseExpression) -> str | None:
    """The `Settings` field (one line, no indent) for a factory's setting that reads the
    environment, the configuration page's "In an app factory" table: `os.environ["NAME"]`
    → a required field, `os.environ.get("NAME", d)` → the literal default `d`, its type
    from `d`; anything else reading the environment → `Field(default_factory=lambda: ...)`,
    run when `Settings()` is made, as the factory ran it. None when it reads no variable."""
    code = cst.Module([]).code_for_node

    def alias(variable: str) -> str:
        return "" if variable.lower() == name else f'validation_alias="{variable}"'

    if (
        isinstance(value, cst.Subscript)
        and dotted(value.value) == "os.environ"
        and len(value.slice) == 1
        and isinstance(value.slice[0].slice, cst.Index)
        and (variable := string_value(value.slice[0].slice.value)) is not None
    ):
        return f"{name}: str = Field({alias(variable)})" if alias(variable) else f"{name}: str"
    if (
        isinstance(value, cst.Call)
        and dotted(value.func) in ENV_GETS
        and 1 <= len(value.args) <= 2
        and not any(a.keyword or a.star for a in value.args)
        and (variable := string_value(value.args[0].value)) is not None
    ):
        default = value.args[1].value if len(value.args) == 2 else cst.Name("None")
        kind = "str | None" if dotted(default) == "None" else _kind(default)
        if kind != "Any":
            args = ", ".join(x for x in (code(default), alias(variable)) if x)
            return f"{name}: {kind} = Field({args})" if alias(variable) else (
                f"{name}: {kind} = {code(default)}"
            )  # fmt: skip
    if not _reads_env(value):
        return None
    kind = "Any"
    if isinstance(value, cst.Comparison | cst.BooleanOperation) or (
        isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not)
    ):
        kind = "bool"
    elif isinstance(value, cst.Call) and dotted(value.func) in CONVERSIONS:
        kind = CONVERSIONS[dotted(value.func)]  # type: ignore[index]
    return f"{name}: {kind} = Field(default_factory=lambda: {code(value)})"


def _factory_of(
    body: list[cst.BaseStatement], owner: str
) -> tuple[int, cst.FunctionDef, int] | None:
    """(its index in the module, the function, the app line's index in its body) of the
    one module-level function whose own statements make `owner`: the app factory."""
    found = [
        (i, s, j)
        for i, s in enumerate(body)
        if isinstance(s, cst.FunctionDef) and isinstance(s.body, cst.IndentedBlock)
        for j, t in enumerate(s.body.body)
        if _app_line(t, owner)
    ]
    return found[0] if len(found) == 1 else None


def _imports_tree(statement: cst.BaseStatement) -> bool:
    """A relative import, or one of a top-level name of the tree being ported (the
    Settings class must come before it: that module may import it back)."""
    from flask2fastapi.port.analysis import TREE

    tree = TREE.get()
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.ImportFrom):
            top = (dotted(small.module) or "").split(".")[0] if small.module else ""
            if small.relative or (tree is not None and top in tree.tops):
                return True
        if (
            isinstance(small, cst.Import)
            and tree is not None
            and any((dotted(a.name) or "").split(".")[0] in tree.tops for a in small.names)
        ):
            return True
    return False


def _factory_plan(module: cst.Module, owner: str, owners: Owners) -> Plan | None:
    """The `config` rule's plan for an app made in a factory: its set lines (update,
    item assignment, from_mapping, in the factory's own body after the app line) become
    `Settings` fields, the class goes at module level before the factory and before the
    tree's own imports, and reads in the factory become `settings.<field>`. None when one
    use cannot be converted (the app stays in Flask)."""
    body = list(module.body)
    found = _factory_of(body, owner)
    if found is None:
        return None
    at, function, app_at = found
    limit = at
    bound_at: dict[str, int] = dict.fromkeys([*dir(builtins), "__file__"], 0)
    for i, statement in enumerate(body[:at]):
        if _imports_tree(statement):
            limit = i
            break
        bound_at.update(dict.fromkeys(_bound(statement), i + 1))
    every = set().union(*(_bound(s) for s in body))
    if every & set(DEFINED) or "settings" in _local_names(function):
        return None
    result = Plan(owner, class_at=limit, factory=function.name.value)
    lines = list(function.body.body)  # type: ignore[attr-defined]
    first = None
    for j, statement in enumerate(lines[app_at + 1 :], app_at + 1):
        sets = _sets(statement, owner) if isinstance(statement, cst.SimpleStatementLine) else None
        if sets is None:
            continue
        if isinstance(sets, str):
            return None  # from_prefixed_env in a factory: not ported yet
        first = j if first is None else first
        for key, value in sets:
            names = _free_names(value)
            name = field_name(key)
            if (
                key in APP_RULE_KEYS | {BODY_LIMIT}
                or name is None
                or key in result.keys
                or names is None
                or names - set(bound_at)
            ):
                return None  # a local of the factory, a lambda, a key set twice…
            result.settings.append(Setting(key, value, statement, _env_field(name, value)))
        result.statements.append(statement)  # type: ignore[arg-type]
    if first is None:
        return None
    # Every other `owner.config` use: a read of a set key in the factory, after the settings.
    uses = _Uses(owner, owners)
    done = {id(s) for s in result.statements}
    for j, statement in enumerate(lines):
        if id(statement) not in done:
            uses.statement = j
            statement.visit(uses)
    uses.statement = -1  # any use outside the factory keeps the app in Flask
    for statement in body:
        if statement is not function:
            statement.visit(uses)
    reads = [(k, j) for k, where, j in uses.reads]
    if (
        uses.writes
        or len(reads) != uses.config_nodes
        or any(k not in result.keys or j < first for k, j in reads)
    ):
        return None
    result.factory_reads = len(reads)
    session_keys = {k for k in result.keys if _page_of(k) == "security/sessions.md"}
    if session_keys and {"flask.session", "flask.flash"} & set(owners.imported.values()):
        return None  # the key signs the session the views use: ported with the session
    from flask2fastapi.port.login import PLAN as LOGIN_PLAN

    login = LOGIN_PLAN.get()
    if login is not None and login.ok and owner in login.sessions:
        result.ported_keys = {k for k in session_keys if k.startswith(SESSION_PREFIX)}
        result.ported_keys |= {"SECRET_KEY"} & result.keys
    return result


def _local_names(function: cst.FunctionDef) -> set[str]:
    """Names a function binds or takes (a generous count: any name it stores)."""
    names = set(function_params(function))

    class Stores(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.update(n.value for n in _names_in(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.update(n.value for n in _names_in(node.target))

    function.body.visit(Stores())
    return names


def _names_in(node: cst.CSTNode) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, cst.Tuple | cst.List):
        return [n for e in node.elements for n in _names_in(e.value)]
    return []


# ---------------------------------------------------------------------- the tree
@dataclass(frozen=True)
class ConfigTree:
    """A package's app factory settings, ported to a module of their own so that every
    module imports them without an import cycle: `home` is the factory module's import
    name, `module` the new module's (`pkg.settings`, beside it) and `code` its text;
    `fields` maps each key to its `Settings` field."""

    home: str
    module: str
    code: str
    fields: dict[str, str]


#: The run's `ConfigTree` (set by the driver for a package; None: each module alone).
TREE_SETTINGS: ContextVar[ConfigTree | None] = ContextVar("flask2fastapi_config", default=None)
#: Names a field's value may read in the settings module of its own.
PORTABLE = {*dir(builtins), "__file__", "os"}


def config_tree(
    modules: dict[str | None, cst.Module], names: set[str], packages: set[str]
) -> ConfigTree | None:
    """The `ConfigTree` of a package: `modules` maps import names to parsed modules (those
    that may hold a factory), `names` are all the tree's module names, `packages` those of
    `__init__` modules. None unless exactly one module's factory settings convert, read
    nothing but `os` and builtins, and the name `<package>.settings` is free."""
    from flask2fastapi.port.analysis import ModuleInfo

    found = []
    for name, module in modules.items():
        text = source(module)
        if name is None or ".config" not in text or "Flask(" not in text:
            continue
        owners = ModuleInfo(module).owners
        for owner in sorted(owners.apps):
            plan = _factory_plan(module, owner, owners)
            if plan is not None:
                found.append((name, module, plan))
    if len(found) != 1:
        return None
    home, module, plan = found[0]
    used = set().union(
        *({"?"} if (names := _free_names(s.value)) is None else names for s in plan.settings)
    )
    uses_os = "os" in used
    imports_os = any(
        isinstance(small, cst.Import)
        and any(dotted(a.name) == "os" and not a.asname for a in small.names)
        for stmt in module.body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
    )
    if used - PORTABLE or (uses_os and not imports_os):
        return None
    package = home if home in packages else home.rpartition(".")[0]
    target = f"{package}.settings" if package else "settings"
    if target in names:
        return None
    lines, imports = settings_lines(plan)
    head = ["import os", ""] if uses_os else []
    for from_module in sorted(dict.fromkeys(m for m, _ in imports)):
        wanted = sorted({n for m, n in imports if m == from_module})
        head.append(f"from {from_module} import {', '.join(wanted)}")
    doc = f'"""The settings `{home}`\'s app factory put in `app.config` (flask2fastapi config)."""'
    code = "\n".join([doc, "", *head, "", "", *lines]) + "\n"
    fields = {s.key: field_name(s.key) or "" for s in plan.settings}
    return ConfigTree(home, target, code, fields)


def ported_setting(key: str) -> tuple[str, str] | None:
    """How code in any module of the package reads the setting `key` once this rule ports
    its app factory: `("get_settings().sqlalchemy_database_uri", "pkg.settings")`, the
    code and the module to import `get_settings` from. None when this rule does not port
    `key` (no package run, or no factory it converts). The hand-over to other rules (the
    `sqlalchemy` rule's engine URL): they write that code, never `app.config`."""
    tree = TREE_SETTINGS.get()
    if tree is None or key not in tree.fields:
        return None
    return f"get_settings().{tree.fields[key]}", tree.module


class ConfigRule(PortRule):
    id = "config"
    needs = ("config",)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.wanted: list[bool] = []  # per function: does it need the `settings` parameter

    def visit_Module(self, node: cst.Module) -> bool:
        self.plan: Plan | None = None
        self.in_set = False
        self.key_reads: set[int] = set()  # ids of `current_app.config` read by key
        for owner in sorted(self.owners.apps):
            found = plan(node, owner, self.owners)
            if found is not None and (found.statements or found.needs_class):
                self.plan = found
                break
        # A package's factory settings, in a module of their own (`config_tree`): this
        # module's factory, or reads through `current_app`, import them from there.
        self.tree = TREE_SETTINGS.get()
        self.home = self.tree is not None and self.plan is not None and bool(self.plan.factory)
        return self.plan is not None or "current_app" in source(node)

    # ------------------------------------------------------------------ reads
    def _key_read(self, node: cst.CSTNode) -> tuple[str, bool] | None:
        """(key, on current_app) for a read this rule converts."""
        if self.plan is not None:
            key = read_key(node, f"{self.plan.owner}.config")
            if key is not None:
                return key, False
        for local, name in self.owners.imported.items():
            if name == "flask.current_app":
                key = read_key(node, f"{local}.config")
                if key is not None:
                    return key, True
        return None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        # A set line is removed whole: its target is not a read.
        self.in_set = self.plan is not None and any(node is s for s in self.plan.statements)
        return super().visit_SimpleStatementLine(node)

    def _convert_read(self, updated: cst.BaseExpression) -> cst.BaseExpression:
        found = None if self.in_set else self._key_read(updated)
        if found is None:
            return updated
        key, on_current_app = found
        name = field_name(key)
        known = self.plan is not None and key in self.plan.keys
        if not known and on_current_app and self.tree is not None and key in self.tree.fields:
            known = True  # set in the tree's factory: read from the settings module
        if known and self.tree is not None and name is not None:
            self.add_import(self.tree.module, "get_settings")
            if self.in_view:
                self.add_import(self.tree.module, "Settings")
        if not known or name is None:
            if on_current_app:
                self.todo(
                    f"`{key}`: set it in the Settings class and read `settings.{key.lower()}`"
                )
            return updated
        if self.functions and len(self.functions) == 1 and self.in_view:
            params = function_params(self.functions[0])
            if "settings" in params and not self._has_settings(self.functions[0]):
                self.todo("this view has a `settings` already: read the setting by hand")
                return updated
            self.wanted[-1] = True
            self.converted()
            return cst.parse_expression(f"settings.{name}")
        plan = self.plan
        factory = plan.factory if plan is not None else None
        if factory and len(self.functions) == 1 and self.functions[0].name.value == factory:
            self.converted()  # the factory's own `settings = get_settings()`
            return cst.parse_expression(f"settings.{name}")
        # Outside a view (module level, a helper): the cached settings, as the page says
        # code outside the views reads them.
        self.converted()
        return cst.parse_expression(f"get_settings().{name}")

    @staticmethod
    def _has_settings(fn: cst.FunctionDef) -> bool:
        return any(
            p.name.value == "settings" and "get_settings" in cst.Module([]).code_for_node(p)
            for p in fn.params.params
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.wanted.append(False)
        return super().visit_FunctionDef(node)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        plan = self.plan
        if plan is not None and plan.factory == original.name.value and not self.functions:
            updated = self._factory(plan, original, updated)
        if self.wanted.pop() and not self._has_settings(updated):
            for module, name in (("typing", "Annotated"), ("fastapi", "Depends")):
                self.add_import(module, name)
            updated = add_param(updated, "settings: Annotated[Settings, Depends(get_settings)]")
        return updated

    def _mark_read(self, node: cst.Subscript | cst.Call) -> None:
        """Remember the `current_app.config` of a read by key (converted, or TODO-marked)."""
        if self._key_read(node) is not None:
            inner = node.value if isinstance(node, cst.Subscript) else node.func.value  # type: ignore[attr-defined]
            self.key_reads.add(id(inner))

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        self._mark_read(node)
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        self._mark_read(node)
        return True

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        # `config = current_app.config`, `for k in current_app.config`: no app context on
        # FastAPI, and no key this rule could follow.
        if (
            original.attr.value == "config"
            and self.owners.flask(original.value) == "flask.current_app"
            and id(original) not in self.key_reads
        ):
            self.todo("read each setting by key (`settings.<name>` from `get_settings`)")
        return updated

    def leave_Subscript(
        self, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.BaseExpression:
        return self._convert_read(updated)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self._convert_read(updated)

    # ------------------------------------------------------------------ the module
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        self.drop_import("flask", "current_app")
        plan = self.plan
        if plan is None:
            return updated
        removed = {id(s) for s in plan.statements}
        settings_lines = {id(s.statement) for s in plan.settings}
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []  # comments of removed lines, for what comes next
        if self.home:  # the class is in the settings module (`config_tree`)
            self.add_import(self.tree.module, "get_settings")  # type: ignore[union-attr]
        for i, (old, new) in enumerate(zip(original.body, updated.body, strict=True)):
            if plan.needs_class and i == plan.class_at and not self.home:
                body += self._settings_code(plan, carried)
                carried = []
                # Two blank lines after `get_settings`, before what follows (an import).
                blanks = next(
                    (i for i, e in enumerate(new.leading_lines) if e.comment is not None),
                    len(new.leading_lines),
                )
                if blanks < 2:
                    more = [cst.EmptyLine()] * (2 - blanks)
                    new = new.with_changes(leading_lines=[*more, *new.leading_lines])
            if _app_line(new, plan.owner) and plan.body_limit is not None:
                new = self._with_body_limit(new)
            if id(old) in settings_lines:
                self.converted()  # its comments go with its fields
            elif id(old) in removed:
                carried += list(old.leading_lines)
            else:
                if carried:
                    new = new.with_changes(leading_lines=[*carried, *new.leading_lines])
                    carried = []
                body.append(new)
        return updated.with_changes(body=body, footer=[*carried, *updated.footer])

    def _factory(
        self, plan: Plan, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        """The factory's set lines go (their keys are fields now); the first becomes
        `settings = get_settings()` (a bare call when the factory reads none), so that a
        missing or bad value stops the factory there, as Flask's `KeyError` did."""
        removed = {id(s) for s in plan.statements}
        lines: list[cst.BaseStatement] = []
        first = True
        for old, new in zip(original.body.body, updated.body.body, strict=True):  # type: ignore[attr-defined]
            if id(old) not in removed:
                lines.append(new)
                continue
            self.converted()
            if first:
                first = False
                stops = f"# a missing or bad value stops {plan.factory}() here at the latest"
                call = "settings = get_settings()" if plan.factory_reads else "get_settings()"
                line = cst.parse_statement(f"{call}  {stops}\n")
                blank = [e for e in old.leading_lines if e.comment is None][:1]
                lines.append(line.with_changes(leading_lines=blank))
        return updated.with_changes(body=updated.body.with_changes(body=lines))

    def _with_body_limit(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        assign = line.body[0]
        call = assign.value  # type: ignore[attr-defined]
        if keyword(call, "max_body_size") is not None:
            return line
        args = list(call.args)
        if args:
            args[-1] = args[-1].with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        args.append(arg(self.plan.body_limit, "max_body_size"))  # type: ignore[union-attr,arg-type]
        self.converted()
        return line.with_changes(body=[assign.with_changes(value=call.with_changes(args=args))])  # type: ignore[attr-defined]

    def _settings_code(self, plan: Plan, carried: list[cst.EmptyLine]) -> list[cst.BaseStatement]:
        lines, imports = settings_lines(plan)
        for module, name in imports:
            self.add_import(module, name)
        new = list(cst.parse_module("\n".join(lines) + "\n").body)
        leading = list(carried)
        if not any(e.comment is None for e in leading[:2]):  # two blank lines before a class
            leading = [cst.EmptyLine(), cst.EmptyLine(), *leading]
        new[0] = new[0].with_changes(leading_lines=leading)
        new[1] = new[1].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        return new


def settings_lines(plan: Plan) -> tuple[list[str], list[tuple[str, str]]]:
    """The `Settings` class and `get_settings` of a plan, as lines of code, and the
    (module, name) imports they need."""
    code = cst.Module([]).code_for_node
    imports = [("functools", "lru_cache"), ("pydantic_settings", "BaseSettings")]
    lines = ["class Settings(BaseSettings):"]
    if plan.env_prefix is not None:
        imports.append(("pydantic_settings", "SettingsConfigDict"))
        lines.append(
            f"    # Flask's from_prefixed_env: {plan.env_prefix}NAME sets a field (any case)."
        )
        lines.append(f'    model_config = SettingsConfigDict(env_prefix="{plan.env_prefix}")')
    elif plan.factory:
        lines += [
            "    # Read from the environment at the first get_settings() call, then cached;",
            "    # a field without validation_alias also reads its own name (any case).",
        ]
    else:
        lines.append(
            "    # Set in the code on Flask; pydantic-settings also reads each field from an"
        )
        lines.append("    # environment variable of the same name (any case).")
    inner = _arg_comments(plan)
    seen: list[cst.SimpleStatementLine] = []
    for s in plan.settings:
        first = not any(s.statement is done for done in seen)
        seen.append(s.statement)
        if first:
            lines += [f"    {e.comment.value}" for e in s.statement.leading_lines if e.comment]
        before, after = inner.get(id(s.value), ([], None))
        lines += [f"    {c}" for c in before]
        if s.field is not None:
            text = f"    {s.field}"
            if ": Any " in s.field:
                imports.append(("typing", "Any"))
            if "Field(" in s.field:
                imports.append(("pydantic", "Field"))
        else:
            kind = _kind(s.value)
            if kind == "Any":
                imports.append(("typing", "Any"))
            text = f"    {field_name(s.key)}: {kind} = {code(s.value)}"
        comment = s.statement.trailing_whitespace.comment
        notes = [comment.value] if comment is not None and first else []
        notes += [after] if after else []
        page = _page_of(s.key)
        if s.key in plan.ported_keys or STARLETTE_SAYS.get(s.key) == code(s.value):
            page = None  # the login rule's SessionMiddleware has it, or Starlette always does
        if page is not None:
            notes.append(
                f"# TODO(flask2fastapi {ConfigRule.id}): Flask reads `{s.key}`, FastAPI does "
                f"not: port what it does — {page_url(page)}"
            )
        if notes:
            text += "  " + "  ".join(notes)
        lines.append(text)
    lines += [
        "",
        "",
        "@lru_cache",
        "def get_settings() -> Settings:",
        "    return Settings()  # read once; tests replace it with app.dependency_overrides",
    ]
    if not plan.factory:  # a factory reads them when it runs, as Flask's did
        lines += [
            "",
            "",
            "get_settings()  # at start-up: a bad value stops the app here, not at a request",
        ]
    return lines, list(dict.fromkeys(imports))


def _arg_comments(plan: Plan) -> dict[int, tuple[list[str], str | None]]:
    """The comments inside a set line's call (`app.config.update(\n  # why\n  KEY=v,  # note\n)`):
    id(value) → (the comment lines above its argument, the comment after it), so that they
    go with its field."""
    found: dict[int, tuple[list[str], str | None]] = {}
    for statement in {id(s.statement): s.statement for s in plan.settings}.values():
        call = getattr(statement.body[0], "value", None)
        if not isinstance(call, cst.Call):
            continue
        space = call.whitespace_before_args
        for a in call.args:
            before = [
                e.comment.value for e in getattr(space, "empty_lines", ()) if e.comment is not None
            ]
            after = None
            if isinstance(a.comma, cst.Comma):
                space = a.comma.whitespace_after
                line = getattr(space, "first_line", None)
                after = line.comment.value if line is not None and line.comment else None
            found[id(a.value)] = (before, after)
    return found
