"""Rule `json-helper`: `request.get_json(...)` in a helper the views call, and
`request.get_json(silent=True)` in a view → a `body` the view gets from a dependency.

FastAPI reads a body only through a view's parameters, and a plain `def` helper cannot
await `request.json()`. So the helper gets a `body=None` parameter in place of the call,
each view that calls it passes `body=body`, and the view's `body` comes from a dependency
written once into the module that reads the body as Flask did:

* `get_json(silent=True)` → `json_or_none`: the parsed body, or None when the
  Content-Type is not JSON or the body does not parse (Flask's `silent`).
* `get_json()` → `json_like_flask`: 415 for a body whose Content-Type is not JSON, 400
  for one that does not parse (Werkzeug's answers, as FastAPI's JSON error body); None for
  an empty body, so a view that reads it for one method only still answers the others.

A helper is converted only when every use of its name is a call from a view, the views
agree on the kind, and neither the helper nor those views have a `body` already; otherwise
the `request-json` rule leaves its TODO. (The json-body page, "Hostile input" for the
values JSON cannot carry.)
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.base import PortRule, add_param, arg, function_params, is_view, walk

SILENT, STRICT = "json_or_none", "json_like_flask"

#: The dependencies, as written into the port (before its first `def` or `class`). Their
#: parameter is `req`: the rules that run next read `request` as Flask's.
DEPENDENCIES = {
    SILENT: """\
async def json_or_none(req: Request) -> Any:
    # Flask's request.get_json(silent=True): the JSON body, or None when the Content-Type
    # is not JSON or the body does not parse.
    mimetype = req.headers.get("content-type", "").partition(";")[0].strip().lower()
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        return None
    try:
        return await req.json()
    except (ValueError, RecursionError):
        return None
""",
    STRICT: """\
async def json_like_flask(req: Request) -> Any:
    # Flask's request.get_json(): 415 when the Content-Type is not JSON, 400 when the body
    # does not parse; None without a body (the view may not read it for every method).
    if not await req.body():
        return None
    mimetype = req.headers.get("content-type", "").partition(";")[0].strip().lower()
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        raise HTTPException(415)
    try:
        return await req.json()
    except (ValueError, RecursionError):
        raise HTTPException(400) from None
""",
}


def _kind(call: cst.Call) -> str | None:
    """SILENT for `get_json(silent=True)`, STRICT for `get_json()`, else None."""
    if not call.args:
        return STRICT
    if (
        len(call.args) == 1
        and call.args[0].keyword is not None
        and call.args[0].keyword.value == "silent"
        and isinstance(call.args[0].value, cst.Name)
        and call.args[0].value.value == "True"
    ):
        return SILENT
    return None


class _Survey(cst.CSTVisitor):
    """Each top-level function's `request.get_json` kinds and other `request` uses, and
    where every helper name is used."""

    def __init__(self, rule: JsonHelperRule) -> None:
        self.rule = rule
        self.top: list[cst.FunctionDef] = []
        self.depth = 0
        self.kinds: dict[str, set[str | None]] = {}
        self.other_request: set[str] = set()
        #: name → the top-level functions (None: module level, a class) calling or naming it
        self.calls: dict[str, list[str | None]] = {}
        self.names: dict[str, int] = {}
        self.in_class = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.in_class += 1
        return True

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.in_class -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self.depth == 0 and not self.in_class:
            self.top.append(node)
        self.depth += 1
        return True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth -= 1

    @property
    def current(self) -> str | None:
        return self.top[-1].name.value if self.depth and self.top and not self.in_class else None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_json"
            and self.rule.is_request(func.value)
            and self.current
        ):
            self.kinds.setdefault(self.current, set()).add(_kind(node))
        if isinstance(func, cst.Name):
            self.calls.setdefault(func.value, []).append(self.current)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.rule.is_request(node.value) and node.attr.value != "get_json" and self.current:
            self.other_request.add(self.current)

    def visit_Name(self, node: cst.Name) -> None:
        self.names[node.value] = self.names.get(node.value, 0) + 1


class JsonHelperRule(PortRule):
    id = "json-helper"
    needs = ("get_json",)

    def is_request(self, node: cst.BaseExpression) -> bool:
        return self.owners.flask(node) == "flask.request"

    def visit_Module(self, node: cst.Module) -> bool:
        survey = _Survey(self)
        walk(node, survey)  # a survey: nothing rebuilt
        functions = {f.name.value: f for f in survey.top}
        views = {name for name, f in functions.items() if is_view(f, self.owners)}
        #: helper → its kind; view → the dependency its `body` comes from
        self.helpers: dict[str, str] = {}
        self.views: dict[str, str] = {}
        taken = {name for name, f in functions.items() if "body" in function_params(f)}
        for name, kinds in survey.kinds.items():  # a view's own get_json(silent=True) first
            if (
                name in views
                and kinds == {SILENT}
                and name not in taken
                and name not in survey.other_request
            ):
                self.views[name] = SILENT
        for name, kinds in survey.kinds.items():
            kind = next(iter(kinds)) if len(kinds) == 1 else None
            if kind is None or name in views or name in survey.other_request or name in taken:
                continue
            callers = survey.calls.get(name, [])
            # The def's own name, plus one Name per call: any other use (passed as a value,
            # called from a helper or a class) keeps the helper as it is.
            if (
                name not in functions
                or not callers
                or survey.names.get(name, 0) != len(callers) + 1
                or any(c not in views or c in taken for c in callers)
                or any(self.views.get(c, kind) != kind for c in callers)
            ):
                continue
            self.helpers[name] = kind
            for c in callers:
                self.views[c] = kind  # type: ignore[index]
        self.used: set[str] = set()
        return True

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.functions:
            return updated
        top = self.functions[0].name.value
        func = updated.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_json"
            and self.is_request(func.value)
            and (
                top in self.helpers
                or (
                    len(self.functions) == 1
                    and top in self.views
                    and self.views[top] == _kind(updated)
                )
            )
        ):
            self.converted()
            return cst.Name("body")
        if isinstance(func, cst.Name) and func.value in self.helpers and top in self.views:
            args = list(updated.args)
            if args:
                args[-1] = args[-1].with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            return updated.with_changes(args=[*args, arg(cst.Name("body"), "body")])
        return updated

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.functions:  # a nested function
            return updated
        name = updated.name.value
        if name in self.helpers:
            self.add_import("typing", "Any")
            return add_param(updated, "body: Any = None")
        dependency = self.views.get(name)
        if dependency is None:
            return updated
        self.used.add(dependency)
        for module, imported in (("typing", "Annotated"), ("typing", "Any"),
                                 ("fastapi", "Depends"), ("fastapi", "Request")):  # fmt: skip
            self.add_import(module, imported)
        if dependency == STRICT:
            self.add_import("fastapi", "HTTPException")
        return add_param(updated, f"body: Annotated[Any, Depends({dependency})]")

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self.used:
            return updated
        self.drop_import("flask", "request")
        defined = {s.name.value for s in updated.body if isinstance(s, cst.FunctionDef)}
        new = [
            cst.parse_statement(DEPENDENCIES[d]).with_changes(
                leading_lines=[cst.EmptyLine(), cst.EmptyLine()]
            )
            for d in (SILENT, STRICT)
            if d in self.used and d not in defined
        ]
        body = list(updated.body)
        at = next(
            (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
            len(body),
        )
        return updated.with_changes(body=[*body[:at], *new, *body[at:]])
