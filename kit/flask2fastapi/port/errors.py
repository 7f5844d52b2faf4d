"""Rule `abort`: `abort(code)` → `raise HTTPException(code)` (a bare
`www_authenticate=WWWAuthenticate("bearer")` → `headers={"WWW-Authenticate": "Bearer"}`);
rule `errorhandler`: `@app.errorhandler(code or exception)` → `@app.exception_handler(...)`.

FastAPI's handlers take `(request, exc)` and must return a response: the handler gets a
`request: Request` first parameter and its returns go through the `responses` rule's
tuple conversion (a dict becomes a `JSONResponse`). A blueprint's own handler is never
widened to the app (the structure analysis stops at it: see the blueprint-scope page).
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.base import (
    PortRule,
    arg,
    dotted,
    expr,
    keyword,
    positional,
    string_value,
)


class AbortRule(PortRule):
    id = "abort"
    needs = ("abort",)

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.BaseSmallStatement:
        call = updated.value
        if not self.options.structure:  # HTTPException means nothing to a Flask app
            return updated
        if not isinstance(call, cst.Call) or self.owners.flask(call.func) != "flask.abort":
            return updated
        args = positional(call)
        extra = [
            a.keyword.value
            for a in call.args
            if a.keyword and a.keyword.value not in ("description", "www_authenticate")
        ]
        challenge = keyword(call, "www_authenticate")
        scheme = self._scheme(challenge.value) if challenge else None
        if (
            not args
            or len(args) > 2
            or extra
            or any(a.star for a in call.args)
            or (challenge is not None and scheme is None)
        ):
            self.todo("raise HTTPException(status_code, detail=..., headers=...) by hand")
            return updated
        new = [args[0]]
        detail = keyword(call, "description") or (args[1] if len(args) > 1 else None)
        if detail is not None:
            new.append(arg(detail.value, "detail"))
        if scheme is not None:
            # Werkzeug writes a bare challenge as its scheme in title case: "Bearer".
            new.append(arg(expr(f'{{"WWW-Authenticate": "{scheme}"}}'), "headers"))
            self.drop_import("werkzeug.datastructures", "WWWAuthenticate")
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new = [a.with_changes(comma=comma) for a in new[:-1]] + [
            new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        ]
        self.converted()
        self.add_import("fastapi", "HTTPException")
        self.drop_import("flask", "abort")
        return cst.Raise(exc=cst.Call(func=cst.Name("HTTPException"), args=new))

    def _scheme(self, node: cst.BaseExpression) -> str | None:
        """The scheme of `WWWAuthenticate("bearer")` (no parameters), title-cased, else None."""
        if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].keyword:
            return None
        name = self.owners.flask(node.func)
        if name != "werkzeug.datastructures.WWWAuthenticate":
            return None
        scheme = string_value(node.args[0].value)
        return scheme.title() if scheme and scheme.isalnum() else None


class ErrorHandlerRule(PortRule):
    id = "errorhandler"
    needs = ("errorhandler",)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.options.structure:
            return updated
        decorators = list(updated.decorators)
        changed = False
        for i, d in enumerate(decorators):
            call = d.decorator
            if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
                continue
            owner = dotted(call.func.value)
            if call.func.attr.value != "errorhandler" or owner not in self.owners.apps:
                continue
            func = cst.Attribute(value=call.func.value, attr=cst.Name("exception_handler"))
            decorators[i] = d.with_changes(decorator=call.with_changes(func=func))
            changed = True
        if not changed:
            return updated
        params = list(updated.params.params)
        if len(params) != 1:
            self.todo("a FastAPI handler takes (request, exc): fix the signature")
            return updated.with_changes(decorators=decorators)
        request = cst.Param(
            cst.Name("request"), cst.Annotation(cst.Name("Request")),
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )  # fmt: skip
        self.add_import("fastapi", "Request")
        self.converted()
        updated = updated.with_changes(
            decorators=decorators,
            params=updated.params.with_changes(params=[request, *params]),
        )
        return updated.visit(_HandlerReturns(self))  # type: ignore[return-value]


class _HandlerReturns(cst.CSTTransformer):
    """A handler's `return body, status` and `return {...}` → `JSONResponse(...)`."""

    def __init__(self, rule: ErrorHandlerRule) -> None:
        self.rule = rule
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1  # not into nested functions

    def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
        self.depth -= 1
        return updated

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        from flask2fastapi.port.responses import response_for

        if updated.value is None:
            return updated
        new = response_for(updated.value, self.rule, always=True)
        return updated if new is None else updated.with_changes(value=new)
