"""TODO-only rules: what the port leaves to the reader, each with the page that ports it.

* `extensions`: an import of a Flask extension on the guide's extensions map gets a TODO
  naming its replacement and page.
  Flask-Login's is left to the `login` rule when it converts (see `login`), and
  Flask-SQLAlchemy's to the `sqlalchemy` rule (see `sqlalchemy`).
* `app-context`: `with app.app_context():` → a TODO: start-up work for a lifespan function.
* `g`: `g.x` (`flask.g`) → a dependency's value or `request.state`, as the request-globals
  page says; which one depends on who sets it, so the port does not guess.
* `hooks`: `before_request`/`after_request`/`teardown_request` functions: a dependency or a
  middleware, chosen by what the hook reads (never a middleware when it reads
  `request.endpoint`). The structure analysis already keeps an app with hooks in Flask.
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.base import (
    Owners,
    PortRule,
    add_param,
    def_with_todos,
    dotted,
    function_params,
    knowledge,
    string_value,
)
from flask2fastapi.port.login import current_plan
from flask2fastapi.port.sqlalchemy import SHARED as DB_SHARED
from flask2fastapi.port.sqlalchemy import DbPlan, _is_create_block, plan_module


class ExtensionsRule(PortRule):
    id = "extensions"
    needs = ("import",)
    without_structure = True

    @classmethod
    def applies(cls, code, options):  # type: ignore[no-untyped-def]
        # It acts on the imports of extensions, and on `init_app` calls of objects that
        # may be imported from another module of the tree.
        from flask2fastapi.port.base import may_import_extension

        return super().applies(code, options) and ("init_app" in code or may_import_extension(code))

    def _check(self, module: str | None) -> None:
        if not module:
            return
        row = knowledge().extension(module.split(".")[0])
        if row is None:
            return
        if module == "flask_login" and (
            (self.options.structure and self.login.ok) or not self.login.used
        ):
            return  # the `login` rule converts it (or only the plain mixins are left)
        if module == "flask_sqlalchemy" and self.options.structure and self.db.ok:
            return  # the `sqlalchemy` rule converts it
        page = row["link"].url if row["link"] else self.page
        text = f"{row['name']} → {row['replacement']}"
        self._pending[-1].append(f"TODO(flask2fastapi {self.id}): {text} — {page}")

    def visit_Module(self, node: cst.Module) -> bool:
        self.login = current_plan(node)
        # A module that imports a shared `db` has no `flask_sqlalchemy` in its text.
        used = self.source_has("flask_sqlalchemy") or DB_SHARED.get() is not None
        self.db = plan_module(node, set(self.owners.apps)) if used else DbPlan()
        return True

    def visit_Call(self, node: cst.Call) -> None:
        # `db.init_app(app)`: the extension hooks into the Flask app; name its replacement
        # at this line (Flask-Login's converts: the `login` rule's).
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value != "init_app":
            return
        module = self.login.extensions.get(dotted(node.func.value) or "")
        if module == "flask_sqlalchemy" and self.options.structure and self.db.ok:
            return
        row = knowledge().extension(module) if module else None
        if row is not None:
            page = row["link"].url if row["link"] else self.page
            self._pending[-1].append(
                f"TODO(flask2fastapi {self.id}): `{dotted(node.func)}` hooks {row['name']} "
                f"into the Flask app; port it here to {row['replacement']} — {page}"
            )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._check(dotted(node.module) if node.module else None)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._check(dotted(alias.name))


class GlobalsRule(PortRule):
    """`g.x` → a TODO; but where a request hook the `hooks` rule ports sets `g.x`, the
    request-globals page's `request.state.x` in that hook and in the views and other hooks
    that read it (each gets a `request: Request` parameter). Deeper code that reads `g`
    keeps its TODO: pass the value in."""

    id = "g"
    needs = ("g.", ", g", "import g")  # `g.x`, or g imported (then used bare)
    without_structure = True

    def visit_Module(self, node: cst.Module) -> bool:
        self.from_hooks = _set_in_hooks(node, self.owners) if self.options.structure else set()
        self.state_uses: list[bool] = [False]  # [0]: outside any function
        self.seen: set[int] = set()
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.state_uses.append(False)
        return super().visit_FunctionDef(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False  # `from flask import g` is not a use

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.owners.flask(node.value) == "flask.g":
            self.seen.add(id(node.value))  # `g.x`: leave_Attribute decides

    def visit_Call(self, node: cst.Call) -> None:
        # getattr(g, "x", None) / hasattr(g, "x"), for an `x` a ported hook sets.
        if self._state_lookup(node):
            self.seen.add(id(node.args[0].value))

    def _state_lookup(self, node: cst.Call) -> bool:
        return (
            dotted(node.func) in ("getattr", "hasattr")
            and len(node.args) >= 2
            and self.owners.flask(node.args[0].value) == "flask.g"
            and string_value(node.args[1].value) in self.from_hooks
            and self.in_view
        )

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self._state_lookup(original):
            return updated
        self.state_uses[-1] = True
        self.converted()
        self.drop_import("flask", "g")
        first = updated.args[0].with_changes(value=cst.parse_expression("request.state"))
        return updated.with_changes(args=[first, *updated.args[1:]])

    def visit_Name(self, node: cst.Name) -> None:
        # `g` itself passed on, compared, iterated: Flask's g, which a FastAPI request has
        # not (a RuntimeError outside Flask's app context).
        if id(node) not in self.seen and self.owners.flask(node) == "flask.g":
            self.todo("`g` has no FastAPI counterpart: use request.state or a dependency")

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if self.owners.flask(updated.value) != "flask.g":
            return updated
        name = updated.attr.value
        if name in self.from_hooks and self.in_view:
            self.state_uses[-1] = True
            self.converted()
            self.drop_import("flask", "g")
            function = self.functions[-1]
            if _is_middleware(function) and name not in _assigned(function):
                self.todo(
                    f"a dependency does not run for an unknown URL (404): set `{name}` in "
                    "this middleware before call_next, or read it with getattr"
                )
            return cst.parse_expression(f"request.state.{name}")
        self.todo(f"`g.{name}`: a dependency's value, or request.state")
        return updated

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.state_uses.pop() and "request" not in function_params(updated):
            self.add_import("fastapi", "Request")
            return add_param(updated, "request: Request")
        return updated


def _is_middleware(node: cst.FunctionDef) -> bool:
    return any(
        isinstance(d.decorator, cst.Call)
        and isinstance(d.decorator.func, cst.Attribute)
        and d.decorator.func.attr.value == "middleware"
        for d in node.decorators
    )


def _assigned(node: cst.CSTNode) -> set[str]:
    """The names `x` of every `g.x = ...` in `node`."""
    found: set[str] = set()

    class Assigned(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            target = dotted(n.target)
            if target and target.startswith("g.") and target.count(".") == 1:
                found.add(target[2:])

    node.visit(Assigned())
    return found


def _set_in_hooks(module: cst.Module, owners: Owners) -> set[str]:
    """The `g` attributes set in the request hooks the `hooks` rule ports."""
    found: set[str] = set()

    class Hooks(cst.CSTVisitor):
        def visit_FunctionDef(self, n: cst.FunctionDef) -> None:
            if n.name.value in owners.hooks:
                found.update(_assigned(n))

    module.visit(Hooks())
    return found


class AppContextRule(PortRule):
    """`with app.app_context():` → a TODO on that line: FastAPI has no app context, and
    what such a block does (create tables, seed data) is start-up work for a lifespan
    function. Not converted: the block's calls (Flask-SQLAlchemy's `db.create_all()`…)
    need the app context until their extension is ported; a block holding only
    `db.create_all()` is the `sqlalchemy` rule's when it converts (its lifespan)."""

    id = "app-context"
    needs = ("app_context",)
    without_structure = True

    def visit_Module(self, node: cst.Module) -> bool:
        self.db = (
            plan_module(node, set(self.owners.apps))
            if self.source_has("flask_sqlalchemy") or DB_SHARED.get() is not None
            else None
        )
        return True

    def visit_With(self, node: cst.With) -> bool:
        self._push()
        if self.db and self.db.ok and self.options.structure and _is_create_block(node, self.db):
            return True  # the `sqlalchemy` rule moves it into its lifespan
        for item in node.items:
            call = item.item
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "app_context"
                and dotted(call.func.value) in self.owners.apps
            ):
                if self.functions and not _creates_app(self.functions[-1]):
                    # Not start-up: code run later (a background job) that reads the app.
                    self.todo(
                        "FastAPI has no app context: pass this code what it reads from the "
                        "app (`current_app`, an extension's state), or keep a Flask app "
                        "context for it while both apps run",
                        "migrating/incremental-migration.md",
                    )
                    continue
                creates = "db.create_all()" in cst.Module([]).code_for_node(node.body)
                tables = "; `db.create_all()` becomes `Base.metadata.create_all(engine)`"
                self.todo(
                    "FastAPI has no app context: run this start-up work before `yield` in a "
                    "lifespan function (`FastAPI(lifespan=...)`)" + (tables if creates else "")
                )
        return True

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        return def_with_todos(updated, self._pop())


def _creates_app(function: cst.FunctionDef) -> bool:
    """An app factory: the function's own statements assign `Flask(...)`."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                value = small.value if isinstance(small, cst.Assign) else None
                if isinstance(value, cst.Call) and dotted(value.func) in ("Flask", "flask.Flask"):
                    return True
    return False
