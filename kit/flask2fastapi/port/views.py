"""Rule `method-view`: a `MethodView` registered once with
`app.add_url_rule(rule, view_func=View.as_view(name))` → one route function per method.

`class ItemAPI(MethodView)` with `get(self, item_id)` and `delete(self, item_id)`
becomes `item_api_get(item_id)` and `item_api_delete(item_id)`, each decorated
`@app.route(rule, methods=[...], endpoint=name)`, which the `routes` rule then turns into
FastAPI's decorators (typed path parameters, `name=`). Methods the class lacks are not
routed, as in Flask: a 405 (the class-based-views page).

Only a class whose methods are HTTP verbs that never use `self`, with no class attributes
(`decorators`, `methods`, `init_every_request`) and no `__init__`, registered once without
`as_view` arguments, is converted; any other `as_view` keeps the app in Flask (the
analysis lists it) for the page's recipe by hand: a router built by a function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from flask2fastapi.port.base import (
    HTTP_METHODS,
    Owners,
    PortRule,
    dotted,
    keyword,
    positional,
    quoted,
    string_value,
)

METHOD_VIEW = {"flask.views.MethodView", "flask.MethodView"}


@dataclass(frozen=True)
class Registration:
    """One `owner.add_url_rule(rule, view_func=cls.as_view(endpoint))` the rule converts."""

    owner: str
    rule: str
    endpoint: str
    cls: str


def _as_view(call: cst.Call, owners: Owners) -> tuple[str, str, str, str] | None:
    """(owner, rule, endpoint, class) of a convertible `add_url_rule` call, else None."""
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "add_url_rule":
        return None
    owner = dotted(call.func.value)
    args = positional(call)
    view = keyword(call, "view_func")
    extra = [a for a in call.args if a.keyword and a.keyword.value != "view_func"]
    if owner not in owners or len(args) != 1 or view is None or extra:
        return None
    rule = string_value(args[0].value)
    inner = view.value
    if rule is None or not isinstance(inner, cst.Call):
        return None
    func = inner.func
    if not isinstance(func, cst.Attribute) or func.attr.value != "as_view":
        return None
    cls = dotted(func.value)
    if cls is None or "." in cls or len(inner.args) != 1 or inner.args[0].keyword:
        return None
    endpoint = string_value(inner.args[0].value)
    return (owner, rule, endpoint, cls) if endpoint else None


def _plain_class(node: cst.ClassDef, owners: Owners) -> bool:
    """A MethodView whose body is HTTP-verb methods only, none of them using `self`."""
    if node.decorators or node.keywords or len(node.bases) != 1:
        return False
    if owners.flask(node.bases[0].value) not in METHOD_VIEW:
        return False
    if not isinstance(node.body, cst.IndentedBlock):
        return False
    seen = set()
    for i, stmt in enumerate(node.body.body):
        if i == 0 and isinstance(stmt, cst.SimpleStatementLine) and _docstring(stmt):
            continue
        if not isinstance(stmt, cst.FunctionDef) or stmt.name.value not in HTTP_METHODS:
            return False
        if stmt.decorators or stmt.asynchronous or stmt.name.value in seen:
            return False
        seen.add(stmt.name.value)
        params = stmt.params.params
        if not params or params[0].name.value != "self" or _uses(stmt.body, "self"):
            return False
    return bool(seen)


def _docstring(stmt: cst.SimpleStatementLine) -> bool:
    return (
        len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def _uses(node: cst.CSTNode, name: str) -> bool:
    finder = _Names()
    node.visit(finder)
    return name in finder.names


def registrations(module: cst.Module, owners: Owners) -> tuple[dict[str, Registration], int]:
    """The module's convertible MethodView registrations by class name, and how many
    `add_url_rule(view_func=<not a name>)` calls it has in all (converted or not)."""
    classes = {
        s.name.value: s
        for s in module.body
        if isinstance(s, cst.ClassDef) and _plain_class(s, owners)
    }
    found: dict[str, Registration] = {}
    others = 0
    for stmt in module.body:  # module level only: a registration in a function may repeat
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        expr = stmt.body[0]
        if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
            continue
        got = _as_view(expr.value, owners)
        if got is not None and got[3] in classes and got[3] not in found:
            found[got[3]] = Registration(*got)
    names = _Names()
    module.visit(names)
    counts = {n: names.names.count(n) for n in found}
    # the class statement's own name + the one registration: used nowhere else
    found = {n: r for n, r in found.items() if counts[n] == 2}
    total = _CountAsView(owners)
    module.visit(total)
    others = total.count
    return found, others


class _CountAsView(cst.CSTVisitor):
    def __init__(self, owners: Owners) -> None:
        self.owners = owners
        self.count = 0

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "add_url_rule"
            and dotted(node.func.value) in self.owners
        ):
            view = keyword(node, "view_func") or (node.args[2] if len(node.args) > 2 else None)
            if view is not None and not isinstance(view.value, cst.Name):
                self.count += 1


def all_converted(module: cst.Module, owners: Owners) -> bool:
    """True when every class-based `add_url_rule` of the module is one this rule converts
    (the analysis then does not keep the app in Flask for them)."""
    found, total = registrations(module, owners)
    return total > 0 and len(found) == total


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


class MethodViewRule(PortRule):
    id = "method-view"
    needs = ("as_view",)

    def visit_Module(self, node: cst.Module) -> bool:
        found, _ = registrations(node, self.owners) if self.options.structure else ({}, 0)
        taken = {s.name.value for s in node.body if isinstance(s, cst.FunctionDef | cst.ClassDef)}
        self.found = {
            n: r for n, r in found.items()
            if not any(f"{_snake(n)}_{m}" in taken for m in HTTP_METHODS)
        }  # fmt: skip
        return True

    def leave_ClassDef(
        self, original: cst.ClassDef, updated: cst.ClassDef
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        reg = self.found.get(updated.name.value)
        if reg is None or self.functions:
            return updated
        functions: list[cst.BaseStatement] = []
        for stmt in updated.body.body:  # type: ignore[union-attr]
            if not isinstance(stmt, cst.FunctionDef):
                continue  # the docstring
            method = stmt.name.value
            decorator = cst.Decorator(
                cst.parse_expression(
                    f"{reg.owner}.route({quoted(reg.rule).value}, "
                    f'methods=["{method.upper()}"], endpoint={quoted(reg.endpoint).value})'
                )
            )
            params = stmt.params.with_changes(params=stmt.params.params[1:])
            first = list(updated.leading_lines)  # the class's blank lines and comments
            functions.append(
                stmt.with_changes(
                    name=cst.Name(f"{_snake(reg.cls)}_{method}"),
                    params=params,
                    decorators=[decorator],
                    leading_lines=[cst.EmptyLine(), cst.EmptyLine()] if functions else first,
                )
            )
        self.converted()
        self.drop_import("flask.views", "MethodView")
        return cst.FlattenSentinel(functions)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        body = updated.body
        if (
            not self.functions
            and len(body) == 1
            and isinstance(body[0], cst.Expr)
            and isinstance(body[0].value, cst.Call)
        ):
            got = _as_view(body[0].value, self.owners)
            if got is not None and got[3] in self.found:
                self._pop()
                return cst.RemoveFromParent()
        return super().leave_SimpleStatementLine(original, updated)
