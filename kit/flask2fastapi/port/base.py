"""What every port rule shares: the run's context, the TODO comment, and small CST helpers.

A rule is a LibCST transformer (`PortRule`) with an `id` registered in
`flask2fastapi.rules` (kind `port`). It rewrites what its page's tested behaviour allows
and, where it cannot, leaves the code as it was with
`# TODO(flask2fastapi <id>): <what to do> — <page address>` on that line.

`PortRule` is a plain `libcst.CSTTransformer` carrying a `CodemodContext`, not a
`libcst.codemod` command: those are matcher-decoratable, and building one scans the class
for matcher functions (`dir()` and a `getattr` per name, about 20 ms) on every instance,
then checks matchers on every node; with one instance per rule per module that was most
of a port's time.
"""

from __future__ import annotations

import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from flask2fastapi.knowledge import Knowledge, docs_url
from flask2fastapi.rules import RULES

#: A TODO the port left, as it reads in the output: the rule id, then the text.
TODO_LINE = re.compile(r"#\s*TODO\(flask2fastapi (?P<rule>[\w-]+)\): (?P<text>.*)$")

HTTP_METHODS = ("get", "post", "put", "delete", "patch")
ROUTE_DECORATORS = {"route", *HTTP_METHODS}
FASTAPI_ROUTE_DECORATORS = {*HTTP_METHODS, "head", "options", "api_route"}


#: The run's `--docs-url` (None: `FLASK2FASTAPI_DOCS_URL`, else the published guide); set
#: by `port_tree` for the length of a run, so rules need not carry it.
DOCS_URL: ContextVar[str | None] = ContextVar("flask2fastapi_port_docs_url", default=None)


@lru_cache(maxsize=8)
def _knowledge(site_url: str) -> Knowledge:
    return Knowledge.load(site_url)


def knowledge() -> Knowledge:
    """The guide's knowledge, its links under `knowledge.docs_url()` for this run."""
    return _knowledge(docs_url(DOCS_URL.get()))


def page_url(page: str) -> str:
    """The address of a guide page given by its path under `docs/`, under
    `flask2fastapi.knowledge.docs_url()` (the run's `--docs-url`, else
    `FLASK2FASTAPI_DOCS_URL`, else the published guide). `KeyError` for an unknown page."""
    return knowledge().page(page).url


@dataclass
class Owners:
    """The app and blueprint variables of one module: `apps` (names bound to `Flask(...)`
    or, once ported, `FastAPI(...)`) and `blueprints` (name → the blueprint's name)."""

    apps: set[str] = field(default_factory=set)
    blueprints: dict[str, str] = field(default_factory=dict)
    #: local name → the flask (or werkzeug) name it was imported as: `abort` → `flask.abort`.
    imported: dict[str, str] = field(default_factory=dict)
    #: Request hooks the `hooks` rule turns into dependencies or middleware, and an app's
    #: error handlers: called per request, given the request, the rules read it in them
    #: as in a view.
    hooks: set[str] = field(default_factory=set)
    #: Owners made by `FastAPI(...)` or `APIRouter(...)`: a port's own (a rerun of
    #: `port` on its output counts no conversion of their routes).
    ported: set[str] = field(default_factory=set)

    def flask(self, node: cst.BaseExpression | None) -> str | None:
        """The Flask name an expression refers to (`flask.abort` for `abort`), else None."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.imported:
            return self.imported[head] + (f".{rest}" if rest else "")
        return name if head == "flask" else None

    def __contains__(self, name: object) -> bool:
        return name in self.apps or name in self.blueprints


@dataclass
class PortOptions:
    """What the run was asked for: `structure` is False when the tree's app cannot be
    turned into FastAPI yet (see `flask2fastapi.port.analysis`), so that no rule converts
    a route of an app that stays Flask. `keep_flask_answers`: see `--keep-flask-answers`."""

    structure: bool = True
    blockers: tuple[str, ...] = ()
    keep_flask_answers: bool = False


#: What `libcst.matchers`' decorators (`@m.visit`, `@m.call_if_inside`…) set on a function.
_MATCHER_MARKS = (
    "_call_if_inside_matcher", "_call_if_not_inside_matcher", "_visit_matcher", "_leave_matcher",
)  # fmt: skip


def _hook(cls: type, found: dict, key: object, name: str):  # type: ignore[no-untyped-def]
    """`cls`'s method `name`, None for a missing one or one of the typed base's no-op
    stubs (marked `_is_no_op`); remembered in `found` under `key`."""
    method = getattr(cls, name, None)
    if method is not None and getattr(method, "_is_no_op", False):
        method = None
    found[key] = method
    return method


class FastDispatch:
    """Mixin for a `libcst.CSTTransformer` or `CSTVisitor`: the same calls as LibCST's
    `on_visit`/`on_leave`/`on_*_attribute`, with the method lookups cached per class.

    LibCST looks them up per node and per child attribute with an f-string and a
    `getattr`, on every rule's walk, and most of what it finds are the typed base's no-op
    stubs. Methods set on an instance are not seen (the port's rules set none)."""

    _visits: dict[object, object]
    _leaves: dict[object, object]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._visits, cls._leaves = {}, {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        try:
            method = self._visits[kind]
        except KeyError:
            method = _hook(type(self), self._visits, kind, f"visit_{kind.__name__}")
        return method is None or method(self, node) is not False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        key = (type(node), attribute)
        try:
            method = self._visits[key]
        except KeyError:
            method = _hook(type(self), self._visits, key, f"visit_{key[0].__name__}_{attribute}")
        if method is not None:
            method(self, node)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        key = (type(original_node), attribute)
        try:
            method = self._leaves[key]
        except KeyError:
            method = _hook(type(self), self._leaves, key, f"leave_{key[0].__name__}_{attribute}")
        if method is not None:
            method(self, original_node)

    def _leave_method(self, kind: type):  # type: ignore[no-untyped-def]
        try:
            return self._leaves[kind]
        except KeyError:
            return _hook(type(self), self._leaves, kind, f"leave_{kind.__name__}")


class FastTransformer(FastDispatch, cst.CSTTransformer):
    """`libcst.CSTTransformer` with `FastDispatch`."""

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        method = self._leave_method(type(original_node))
        return updated_node if method is None else method(self, original_node, updated_node)


class FastVisitor(FastDispatch, cst.CSTVisitor):
    """`libcst.CSTVisitor` with `FastDispatch`."""

    def on_leave(self, original_node: cst.CSTNode) -> None:
        method = self._leave_method(type(original_node))
        if method is not None:
            method(self, original_node)


class PortRule(FastTransformer):
    """A port rule. Subclasses set `id` and rewrite nodes; `todo(text)` asks for a TODO on
    the statement (or decorator, or `def` line) being rewritten. Conversions are counted
    in `self.context.scratch["conversions"]` (a `Counter` keyed by rule id); imports are
    asked for on `self.context` the `libcst.codemod.visitors` way, settled once per module
    by the driver.

    Matcher decorators are refused (`TypeError` when the class is defined): this base is
    not matcher-decoratable, so they would be silently ignored."""

    id: str = ""
    #: Words one of which the source must hold for the rule to have anything to do: a
    #: text check before the (slow) tree walk, as pyupgrade does with its tokens.
    needs: tuple[str, ...] = ()
    #: False for rules that only act on views or a converted app (nothing to do when the
    #: app stays in Flask).
    without_structure: bool = False

    @classmethod
    def applies(cls, code: str, options: PortOptions) -> bool:
        if not options.structure and not cls.without_structure:
            return False
        return not cls.needs or any(word in code for word in cls.needs)

    def source_has(self, word: str) -> bool:
        """Whether the module's source as it came in holds `word` (`port_source` keeps it in
        the context): a text check before a plan that walks the whole module."""
        text = self.context.scratch.get("source")
        return text is None or word in text

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in vars(cls).items():
            if any(hasattr(value, mark) for mark in _MATCHER_MARKS):
                raise TypeError(
                    f"{cls.__name__}.{name}: PortRule is a plain CSTTransformer; "
                    "test with libcst.matchers.matches() inside visit_*/leave_* instead"
                )

    def __init__(self, context: CodemodContext, owners: Owners, options: PortOptions) -> None:
        super().__init__()
        self.context = context
        self.owners = owners
        self.options = options
        self._pending: list[list[str]] = [[]]
        self.functions: list[cst.FunctionDef] = []

    # ------------------------------------------------------------------ bookkeeping
    @property
    def page(self) -> str:
        return page_url(RULES[self.id].page)

    def converted(self, n: int = 1) -> None:
        counts: Counter[str] = self.context.scratch.setdefault("conversions", Counter())
        counts[self.id] += n

    def todo(self, text: str, page: str | None = None) -> None:
        """Ask for `# TODO(flask2fastapi <id>): text — page` on the current line."""
        address = page_url(page) if page else self.page
        self._pending[-1].append(f"TODO(flask2fastapi {self.id}): {text} — {address}")

    def add_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        AddImportsVisitor.add_needed_import(self.context, module, name, asname)

    def drop_import(self, module: str, name: str | None = None) -> None:
        """Remove `from module import name` if nothing uses the name any more."""
        RemoveImportsVisitor.remove_unused_import(self.context, module, name)

    # ------------------------------------------------------------------ TODO placement
    def _push(self) -> None:
        self._pending.append([])

    def _pop(self) -> list[str]:
        return self._pending.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self._push()
        return True

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        return with_todos(updated, self._pop())

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._push()
        self.functions.append(node)
        return True

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.pop()
        updated = self.rewrite_function(original, updated)
        return def_with_todos(updated, self._pop())

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        """Override to rewrite a whole function once its body is rewritten."""
        return updated

    @property
    def in_view(self) -> bool:
        """True inside a function that is a FastAPI route (after the `routes` rule)."""
        return (
            self.options.structure
            and bool(self.functions)
            and is_view(self.functions[-1], self.owners)
        )

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        self._push()
        return True

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator) -> cst.Decorator:
        return with_todos(updated, self._pop())


class RequestParamRule(PortRule):
    """A rule that may give the function it is in a `request: Request` parameter: it sets
    `self.needs_request[-1] = True`, and the parameter is added (once) when the function
    is left, if the function has no `request` yet."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.needs_request: list[bool] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.needs_request.append(False)
        return super().visit_FunctionDef(node)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.needs_request.pop() and "request" not in function_params(updated):
            self.add_import("fastapi", "Request")
            updated = add_param(updated, "request: Request")
        return updated


def _comment_with(existing: cst.Comment | None, todos: list[str]) -> cst.Comment | None:
    text = existing.value if existing else ""
    new = [t for t in todos if t.split(":", 1)[0] not in text]
    if not new:
        return existing
    parts = [text] if text else []
    parts += [f"# {t}" for t in new]
    return cst.Comment("  ".join(parts))


def with_todos(node, todos: list[str]):  # type: ignore[no-untyped-def]
    """`node` with the TODO texts in its line's comment (kept once: a rerun adds nothing)."""
    if not todos or not hasattr(node, "trailing_whitespace"):
        return node
    ws = node.trailing_whitespace
    comment = _comment_with(ws.comment, todos)
    if comment is ws.comment:
        return node
    return node.with_changes(
        trailing_whitespace=ws.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
    )


def def_with_todos(node: cst.FunctionDef | cst.ClassDef, todos: list[str]):  # type: ignore[no-untyped-def]
    """A `def`/`class` with the TODO texts on its header line."""
    body = node.body
    if todos and isinstance(body, cst.SimpleStatementSuite):  # `def f(): ...` on one line
        return node.with_changes(body=with_todos(body, todos))
    if not todos or not isinstance(body, cst.IndentedBlock):
        return node
    header = body.header
    comment = _comment_with(header.comment, todos)
    if comment is header.comment:
        return node
    header = header.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
    return node.with_changes(body=body.with_changes(header=header))


# ---------------------------------------------------------------------- CST helpers
def dotted(node: cst.BaseExpression | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-string, no concatenation), else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def arg(value: cst.BaseExpression, name: str | None = None) -> cst.Arg:
    if name is None:
        return cst.Arg(value)
    return cst.Arg(
        value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def quoted(text: str) -> cst.SimpleString:
    return cst.SimpleString('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def function_params(node: cst.FunctionDef) -> set[str]:
    p = node.params
    names = {x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)}
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


def add_param(node: cst.FunctionDef, code: str) -> cst.FunctionDef:
    """`node` with one more parameter (`"name: T = default"`), placed before any `*args`;
    a parameter with a default goes after the others so the signature stays valid."""
    probe = cst.parse_statement(f"def _({code}): pass")
    if not isinstance(probe, cst.FunctionDef):  # pragma: no cover - parse_statement's shape
        raise TypeError(code)
    new = probe.params.params[0]
    params = list(node.params.params)
    params.append(new)
    # Python wants the parameters without a default first.
    params.sort(key=lambda p: p.default is not None)
    fixed = [
        p.with_changes(comma=cst.MaybeSentinel.DEFAULT) if i == len(params) - 1 else
        p.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        for i, p in enumerate(params)
    ]  # fmt: skip
    if node.params.star_arg is not cst.MaybeSentinel.DEFAULT or node.params.kwonly_params:
        fixed[-1] = fixed[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    return node.with_changes(params=node.params.with_changes(params=fixed))


def is_route_decorator(decorator: cst.Decorator, owners: Owners) -> bool:
    """A FastAPI route decorator on a known app or router: `@app.get(...)`…"""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    return dotted(call.func.value) in owners and call.func.attr.value in FASTAPI_ROUTE_DECORATORS


def is_view(node: cst.FunctionDef, owners: Owners) -> bool:
    if node.name.value in owners.hooks:
        return True
    return any(is_route_decorator(d, owners) for d in node.decorators)


#: id(module) → (module, its code); the module is held so that its id is not reused.
_SOURCES: dict[int, tuple[cst.Module, str]] = {}


def source(module: cst.Module) -> str:
    """`module.code`, generated once per Module object: the rules' pre-checks read a
    module's text many times, and LibCST writes the whole module out on every `.code`.
    (LibCST nodes take no weak references: the cache is bounded instead.)"""
    held = _SOURCES.get(id(module))
    if held is not None and held[0] is module:
        return held[1]
    if len(_SOURCES) >= 4096:
        _SOURCES.clear()
    text = module.code
    _SOURCES[id(module)] = (module, text)
    return text


def remember_source(module: cst.Module, text: str) -> None:
    """Record that `module` was parsed from `text` (its `.code`, which `source` returns)."""
    if len(_SOURCES) >= 4096:
        _SOURCES.clear()
    _SOURCES[id(module)] = (module, text)


def names_in(node: cst.CSTNode) -> set[str]:
    """Every name (`cst.Name`) that occurs in `node`, bound or read, nested scopes included."""
    found: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(Names())
    return found


# ---------------------------------------------------------------------- the walk
#: How LibCST visits a field, by the helper its `_visit_and_replace_children` calls.
_REQUIRED, _OPTIONAL, _SENTINEL, _SEQUENCE, _BODY = range(5)
_HOW = {
    "visit_required": _REQUIRED, "visit_optional": _OPTIONAL, "visit_sentinel": _SENTINEL,
    "visit_sequence": _SEQUENCE, "visit_body_sequence": _BODY,
}  # fmt: skip
#: Node class → its visited fields in LibCST's order, or None (LibCST's own method).
_FIELDS: dict[type, tuple[tuple[str, int], ...] | None] = {}


def _fields(kind: type) -> tuple[tuple[str, int], ...] | None:
    """The fields LibCST visits on a `kind` node, in its order, with how it visits each.

    Read from the source of `kind._visit_and_replace_children` when it is the plain
    `return Kind(field=visit_x(self, "field", self.field, visitor), other=self.other, …)`
    (all but a few of LibCST's classes); None for the others (`ImportFrom`,
    `FormattedStringExpression`…: they pick the helper at run time), which `walk` leaves
    to LibCST's own method."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(kind._visit_and_replace_children)))
    except (OSError, TypeError, SyntaxError):  # pragma: no cover - no source shipped
        return None
    function = tree.body[0]
    body = [s for s in function.body if not isinstance(s, ast.Expr)]  # the docstring
    if not isinstance(function, ast.FunctionDef) or len(body) != 1:
        return None
    call = body[0].value if isinstance(body[0], ast.Return) else None
    if not isinstance(call, ast.Call) or call.args:
        return None
    if ast.unparse(call.func) not in (kind.__name__, "self.__class__"):
        return None
    found = []
    for given in call.keywords:
        value, name = given.value, given.arg
        expected = ["self", repr(name), f"self.{name}", "visitor"]
        if ast.unparse(value) == f"self.{name}":
            continue  # not visited: copied as it is
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in _HOW
            and [ast.unparse(a) for a in value.args] == expected
        ):
            return None
        found.append((name, _HOW[value.func.id]))
    return tuple(found)


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor | cst.CSTTransformer):  # type: ignore[no-untyped-def]
    """`node.visit(visitor)` with the same calls in the same order and the same result,
    without rebuilding the nodes nothing changed under.

    LibCST's `visit` builds a new copy of every node it passes (and validates it), for a
    visitor too, so that each rule's walk cost about as much as a parse; here a node is
    only rebuilt (`with_changes`) when one of its children was replaced. The transformer
    then gets the original node as `updated_node` where nothing changed under it: rules
    compare nodes with `deep_equals` or by the `original_node` identity, never
    `updated is original`. Sequences come back as tuples, as LibCST gives them."""
    result = _walk(node, visitor, isinstance(visitor, cst.CSTVisitor))
    if isinstance(node, cst.Module) and isinstance(result, cst.RemovalSentinel):
        return node.with_changes(body=(), header=(), footer=())  # as `Module.visit`
    return result


def _walk(node, visitor, read_only: bool):  # type: ignore[no-untyped-def]
    updated = node
    if visitor.on_visit(node):
        kind = type(node)
        try:
            fields = _FIELDS[kind]
        except KeyError:
            fields = _FIELDS[kind] = _fields(kind)
        if fields is None:
            updated = node._visit_and_replace_children(visitor)
        else:
            changes = {}
            for name, how in fields:
                old = getattr(node, name)
                visitor.on_visit_attribute(node, name)
                if how >= _SEQUENCE:
                    new = _walk_sequence(old, visitor, read_only, how == _BODY)
                elif old is None or isinstance(old, cst.MaybeSentinel):  # optional, absent
                    new = old if how == _OPTIONAL else cst.MaybeSentinel.DEFAULT
                else:
                    new = _walk(old, visitor, read_only)
                    if isinstance(new, cst.FlattenSentinel) or (
                        how == _REQUIRED and isinstance(new, cst.RemovalSentinel)
                    ):
                        raise TypeError(
                            f"a {type(old).__name__} in {kind.__name__}.{name} cannot be "
                            "removed or replaced with a sequence"
                        )
                    if isinstance(new, cst.RemovalSentinel):
                        new = None if how == _OPTIONAL else cst.MaybeSentinel.DEFAULT
                visitor.on_leave_attribute(node, name)
                if new is not old:
                    changes[name] = new
            if changes and not read_only:
                updated = node.with_changes(**changes)
    if read_only:
        visitor.on_leave(node)
        return node
    result = visitor.on_leave(node, updated)
    if not isinstance(result, cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel):
        raise cst.CSTValidationError(
            f"Expected a node of type CSTNode or a RemovalSentinel, but got a return value "
            f"of {type(result).__name__}"
        )
    return result


def _walk_sequence(children, visitor, read_only: bool, body: bool):  # type: ignore[no-untyped-def]
    """LibCST's `visit_sequence` (`body`: `visit_body_sequence`, which also drops a
    statement a removal left empty); `children` itself when no child changed."""
    new: list[cst.CSTNode] = []
    changed = type(children) is not tuple  # LibCST hands on a tuple
    for child in children:
        result = _walk(child, visitor, read_only)
        if result is child:
            new.append(child)
            continue
        changed = True
        if isinstance(result, cst.RemovalSentinel):
            continue
        keep = not body or child._is_removable()
        for item in result if isinstance(result, cst.FlattenSentinel) else (result,):
            if keep or not item._is_removable():
                new.append(item)
    return tuple(new) if changed else children


_WORD = re.compile(r"[A-Za-z_]\w*")


def may_import_extension(code: str) -> bool:
    """Whether a word of `code` is the import name of an extension on the guide's map
    (`flask_sqlalchemy`…): without one, no `import` line of the module names an extension.
    True when the guide's knowledge cannot be loaded (the caller then fails as it would)."""
    try:
        known = knowledge().is_extension_module
    except Exception:
        return True
    return any(known(word) for word in set(_WORD.findall(code)))


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children` (its child nodes in source order), read from its fields where
    `walk` knows them: LibCST's property builds a copy of the node to collect them."""
    kind = type(node)
    try:
        fields = _FIELDS[kind]
    except KeyError:
        fields = _FIELDS[kind] = _fields(kind)
    if fields is None:
        return list(node.children)
    found: list[cst.CSTNode] = []
    for name, how in fields:
        value = getattr(node, name)
        if how >= _SEQUENCE:
            found += value
        elif isinstance(value, cst.CSTNode):
            found.append(value)
    return found


class NameReads(cst.CSTVisitor):
    """Calls `read(name)` for every name the visited code reads: the attribute part of
    `x.name` and a keyword argument's `name=` are not reads (`os` is read in
    `os.environ["X"]`, `environ` is not). Subclasses say what a read does."""

    def read(self, name: str) -> None:
        raise NotImplementedError

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.read(node.value)
