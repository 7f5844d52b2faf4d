"""Rule `hooks`: an app's (or a blueprint's) request hooks → what the request-hooks page
uses instead.

* `@app.before_request` → an app dependency, `FastAPI(dependencies=[Depends(hook)])`
  (`@bp.before_request` → `APIRouter(dependencies=[...])`, so that it stays scoped to the
  blueprint's routes, as the blueprint-scope page does). Returning a value answered in
  Flask; a dependency cannot answer, so `return {"detail": x}, status` becomes
  `raise HTTPException(status, detail=x)` (the same body) and any other answer gets a TODO.
* `@app.after_request` → `@app.middleware("http")`: the body runs on what
  `await call_next(request)` returns.
* `@app.teardown_request` → a dependency with `yield` in `try`/`finally` (the exception,
  if the hook reads it, caught and re-raised).

Dependencies must exist when `FastAPI(...)` is called, so those hooks move above the
line that creates the app (they are only called per request: what they use may still be
defined further down). A hook the page's recipe cannot keep stays in Flask and keeps the
app there (see `analysis`): an `after_request` that reads the request's body or query
(after `call_next` the body is spent; middleware gets no parameters), a hook with
defaults or other decorators, one registered away from where its app is created.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from flask2fastapi.port.base import Owners, PortRule, arg, dotted, names_in, string_value

HOOKS = ("before_request", "after_request", "teardown_request")
#: `request.<attr>` an `after_request` hook may not read: a middleware takes no
#: parameters, and after `call_next` the body is spent (the middleware page's trap).
#: `request.get_data()` and `request.data` are read before `call_next`, as that page does.
BODY_READS = {"get_json", "json", "form", "files", "values", "args"}


@dataclass(frozen=True)
class Hook:
    """One `@owner.<kind>` function: `ok` when the `hooks` rule can port it."""

    owner: str
    kind: str
    name: str
    ok: bool


def _hook_decorator(node: cst.FunctionDef, owners: Owners) -> tuple[str, str] | None:
    """(owner, kind) of a function decorated `@owner.before_request` (…), else None."""
    for d in node.decorators:
        target = d.decorator
        if isinstance(target, cst.Attribute) and target.attr.value in HOOKS:
            owner = dotted(target.value)
            if owner in owners:
                return owner, target.attr.value
    return None


def _creates(statement: cst.BaseStatement) -> str | None:
    """The target of `target = Something(...)`, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    return dotted(small.targets[0].target) if isinstance(small.value, cst.Call) else None


def _reads(node: cst.CSTNode, base: str) -> set[str]:
    """The attributes read on the name `base` anywhere in `node`."""
    found: set[str] = set()

    class Reads(cst.CSTVisitor):
        def visit_Attribute(self, n: cst.Attribute) -> None:
            if dotted(n.value) == base:
                found.add(n.attr.value)

    node.visit(Reads())
    return found


def _portable(node: cst.FunctionDef, owner: str, kind: str, owners: Owners) -> bool:
    p = node.params
    if len(node.decorators) != 1 or p.posonly_params or p.kwonly_params:
        return False
    if p.star_arg is not cst.MaybeSentinel.DEFAULT or p.star_kwarg is not None:
        return False
    if any(x.default is not None for x in p.params):
        return False
    if kind == "before_request":
        return not p.params
    if owner not in owners.apps or len(p.params) != 1:
        return False  # a blueprint's after/teardown hook: the blueprint-scope page
    if kind == "after_request":
        return not (_reads(node.body, "request") & BODY_READS) and _raw_reads_ok(node)
    return True


def _raw_reads_ok(node: cst.FunctionDef) -> bool:
    """Every `request.get_data` in `node` is a bare `request.get_data()` call."""
    calls = ok = 0

    class Calls(cst.CSTVisitor):
        def visit_Attribute(self, n: cst.Attribute) -> None:
            nonlocal calls
            calls += dotted(n) == "request.get_data"

        def visit_Call(self, n: cst.Call) -> None:
            nonlocal ok
            ok += dotted(n.func) == "request.get_data" and not n.args

    node.visit(Calls())
    return calls == ok


class _RawBody(cst.CSTTransformer):
    """`request.get_data()` and `request.data` → `name`, the bytes read before call_next."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if dotted(updated.func) == "request.get_data" and not updated.args:
            self.found = True
            return cst.Name(self.name)
        return updated

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if dotted(updated) == "request.data":
            self.found = True
            return cst.Name(self.name)
        return updated


def find_hooks(module: cst.Module, owners: Owners) -> list[Hook]:
    """Every hook function of `module`, and whether the `hooks` rule ports it: it must sit
    in the block (module or factory) that creates its owner, after that line."""
    hooks: list[Hook] = []

    def scan(statements) -> None:  # type: ignore[no-untyped-def]
        created: set[str] = set()
        for statement in statements:
            target = _creates(statement)
            if target is not None:
                created.add(target)
            if isinstance(statement, cst.FunctionDef):
                found = _hook_decorator(statement, owners)
                if found is not None:
                    owner, kind = found
                    ok = owner in created and _portable(statement, owner, kind, owners)
                    hooks.append(Hook(owner, kind, statement.name.value, ok))
                if isinstance(statement.body, cst.IndentedBlock):
                    scan(statement.body.body)

    scan(module.body)
    return hooks


class HooksRule(PortRule):
    id = "hooks"
    needs = HOOKS

    def visit_Module(self, node: cst.Module) -> bool:
        self.hooks = {h.name: h for h in find_hooks(node, self.owners) if h.ok}
        self.after = [h for h in self.hooks.values() if h.kind == "after_request"]
        #: owner → names of the dependency hooks converted, waiting to be registered.
        self.pending: dict[str, list[str]] = {}
        return True

    def _hook(self, node: cst.FunctionDef) -> Hook | None:
        found = _hook_decorator(node, self.owners)
        hook = self.hooks.get(node.name.value)
        if found is None or hook is None or (hook.owner, hook.kind) != found:
            return None
        return hook

    # ------------------------------------------------------------ before_request
    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.BaseSmallStatement:
        hook = self._hook(self.functions[-1]) if self.functions else None
        if hook is None or hook.kind != "before_request" or updated.value is None:
            return updated
        if dotted(updated.value) == "None":
            return updated
        value = updated.value
        parts = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else []
        body = parts[0] if len(parts) == 2 else None
        if (
            isinstance(body, cst.Dict)
            and len(body.elements) == 1
            and isinstance(body.elements[0], cst.DictElement)
            and string_value(body.elements[0].key) == "detail"
            and isinstance(parts[1], cst.Integer)
        ):
            # FastAPI's HTTPException answers {"detail": detail}: the same body.
            self.add_import("fastapi", "HTTPException")
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            args = [
                arg(parts[1], "status_code").with_changes(comma=comma),
                arg(body.elements[0].value, "detail"),
            ]
            return cst.Raise(exc=cst.Call(func=cst.Name("HTTPException"), args=args))
        self.todo(
            "a dependency cannot answer: raise HTTPException (its body is "
            '{"detail": ...}) or answer from a middleware'
        )
        return updated

    # ------------------------------------------------------------ each function
    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        hook = self._hook(original)
        if hook is None or not self.options.structure:
            return updated
        self.converted()
        if hook.kind == "after_request":
            return self._middleware(hook, updated)
        self.pending.setdefault(hook.owner, []).append(hook.name)
        updated = updated.with_changes(decorators=[])
        if hook.kind == "teardown_request":
            updated = self._teardown(updated)
        return updated

    def _middleware(self, hook: Hook, node: cst.FunctionDef) -> cst.FunctionDef:
        response = node.params.params[0].name.value
        self.add_import("fastapi", "Request")
        self.drop_import("flask", "request")  # if only middleware read it: their parameter
        decorator = cst.Decorator(cst.parse_expression(f'{hook.owner}.middleware("http")'))
        probe = cst.parse_statement(
            f"async def _(request: Request, call_next):\n"
            f"    {response} = await call_next(request)\n"
        )
        assert isinstance(probe, cst.FunctionDef)  # noqa: S101 - parse_statement's shape
        first = probe.body.body[0]  # type: ignore[union-attr]
        body = node.body
        if not isinstance(body, cst.IndentedBlock):
            body = cst.IndentedBlock(body=[cst.SimpleStatementLine(list(body.body))])
        # Comments above the first line stay above it, after the call_next line.
        used = names_in(node)
        raw = _RawBody(next(n for n in ("body", "request_body", "raw_body") if n not in used))
        body = body.visit(raw)
        statements = list(body.body)
        if raw.found:
            # Read before call_next: Starlette hands the same bytes on to the route, and
            # after it the stream is spent (the middleware page).
            read = cst.parse_statement(f"{raw.name} = await request.body()")
            first = [read, first]
        else:
            first = [first]
        returns = [s for s in statements if _returns(s) is not None]
        if any(dotted(_returns(s)) != response for s in returns) or not returns:
            self.todo(f"a middleware returns the response: end with `return {response}`")
        if len(self.after) > 1:
            self.todo(
                "Flask ran the after_request hooks last registered first; each middleware "
                "added later runs its code after call_next later: check their order"
            )
        docstring = statements[:1] if node.get_docstring(clean=False) is not None else []
        rest = statements[len(docstring) :]
        return node.with_changes(
            decorators=[decorator],
            asynchronous=node.asynchronous or cst.Asynchronous(),
            params=probe.params,
            body=body.with_changes(body=[*docstring, *first, *rest]),
        )

    def _teardown(self, node: cst.FunctionDef) -> cst.FunctionDef:
        exc = node.params.params[0].name.value
        body = node.body
        if not isinstance(body, cst.IndentedBlock):
            body = cst.IndentedBlock(body=[cst.SimpleStatementLine(list(body.body))])
        statements = list(body.body)
        if exc in names_in(body):
            error = "error" if "error" not in names_in(body) else f"{exc}_error"
            code = (
                "def _():\n"
                f"    {exc} = None\n"
                "    try:\n"
                "        yield  # the view runs here\n"
                f"    except Exception as {error}:\n"
                f"        {exc} = {error}  # Flask's teardown got the unhandled exception\n"
                "        raise  # re-raised, or FastAPI has no 500 to send\n"
                "    finally:\n"
                "        pass\n"
            )
        else:
            code = (
                "def _():\n"
                "    try:\n"
                "        yield  # the view runs here\n"
                "    finally:\n"
                "        pass\n"
            )
        probe = cst.parse_statement(code)
        assert isinstance(probe, cst.FunctionDef)  # noqa: S101 - parse_statement's shape
        new = list(probe.body.body)  # type: ignore[union-attr]
        wrapper = new[-1]
        assert isinstance(wrapper, cst.Try) and wrapper.finalbody is not None  # noqa: S101
        inner = wrapper.finalbody.body.with_changes(body=statements)  # type: ignore[union-attr]
        wrapper = wrapper.with_changes(finalbody=wrapper.finalbody.with_changes(body=inner))
        return node.with_changes(
            params=node.params.with_changes(params=[]),
            body=body.with_changes(body=[*new[:-1], wrapper]),
        )

    # ------------------------------------------------------------ registration
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._register(list(updated.body), top=True))

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not self.pending:
            return updated
        return updated.with_changes(body=self._register(list(updated.body), top=False))

    def _register(self, statements: list, top: bool) -> list:  # type: ignore[type-arg]
        """Move the converted dependency hooks of an owner created in `statements` above
        that line, and list them in its `dependencies=[...]`."""
        for index, statement in enumerate(statements):
            owner = _creates(statement)
            names = self.pending.get(owner or "")
            if not names:
                continue
            moved = [
                s for s in statements[index + 1 :]
                if isinstance(s, cst.FunctionDef) and s.name.value in names
            ]  # fmt: skip
            if not moved:
                continue
            del self.pending[owner]  # type: ignore[arg-type]
            order = [s.name.value for s in moved]
            rest = [s for s in statements[index + 1 :] if s not in moved]
            blank = [cst.EmptyLine(indent=False)] * (2 if top else 1)
            lines = list(statement.leading_lines)
            lead = []
            while lines and lines[0].comment is None:
                lead.append(lines.pop(0))
            created = statement.with_changes(
                leading_lines=blank + lines,
                body=[statement.body[0].with_changes(value=self._with_dependencies(
                    statement.body[0].value, order))],
            )  # fmt: skip
            # PEP 8's two blank lines above a module's first def; in a factory, as it was.
            first = max(lead, blank, key=len) if top else lead
            moved = [
                m.with_changes(leading_lines=(first if i == 0 else blank) + [
                    line for line in m.leading_lines if line.comment is not None
                ]) for i, m in enumerate(moved)
            ]  # fmt: skip
            return [*statements[:index], *moved, created, *rest]
        return statements

    def _with_dependencies(self, call: cst.Call, names: list[str]) -> cst.Call:
        self.add_import("fastapi", "Depends")
        listed = ", ".join(f"Depends({n})" for n in names)
        new = arg(cst.parse_expression(f"[{listed}]"), "dependencies")
        args = list(call.args)
        if args:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            args[-1] = args[-1].with_changes(comma=comma)
        return call.with_changes(args=[*args, new])


def _returns(statement: cst.BaseStatement) -> cst.BaseExpression | None:
    """The value of a top-level `return x` line (None for anything else)."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Return):
            return small.value
    return None
