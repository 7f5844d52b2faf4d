"""Rule `abort`: `abort(code)` → `raise HTTPException(code)` (a bare
`www_authenticate=WWWAuthenticate("bearer")` → `headers={"WWW-Authenticate": "Bearer"}`);
rule `errorhandler`: `@app.errorhandler(code or exception)` → `@app.exception_handler(...)`.

FastAPI's handlers take `(request, exc)` and must return a response: the handler gets a
`request: Request` first parameter and its returns go through the `responses` rule's
tuple conversion (a dict becomes a `JSONResponse`). A blueprint's own handler is never
widened to the app (the structure analysis stops at it: see the blueprint-scope page).
"""

from __future__ import annotations

import re
from http import HTTPStatus

import libcst as cst

from flask2fastapi.port.base import (
    FastVisitor,
    Owners,
    PortRule,
    arg,
    dotted,
    expr,
    keyword,
    names_in,
    positional,
    source,
    string_value,
    walk,
)


class AbortRule(PortRule):
    id = "abort"
    needs = ("abort", "werkzeug")

    def visit_Module(self, node: cst.Module) -> bool:
        self._module = node
        self._calls: dict[str, list[cst.Call]] | None = None
        return True

    @property
    def calls(self) -> dict[str, list[cst.Call]]:
        """Every call of a plain name in the module, by name (for `abort(x)` with `x` a
        parameter), gathered the first time it is asked for."""
        if self._calls is None:
            self._calls = _calls_by_name(self._module)
        return self._calls

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.BaseSmallStatement:
        call = updated.value
        if not self.options.structure:  # HTTPException means nothing to a Flask app
            return updated
        if not isinstance(call, cst.Call) or self.owners.flask(call.func) != "flask.abort":
            return updated
        args = positional(call)
        if args and self._is_response(args[0].value):
            # `abort(response)` sends that response; `HTTPException(response)` answers 500.
            self.todo(
                "FastAPI cannot raise a response: raise HTTPException(status_code, "
                'detail=..., headers=...) (its body is {"detail": ...}) or return the '
                "response from the view"
            )
            return updated
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

    def _is_response(self, node: cst.BaseExpression) -> bool:
        """Is `abort`'s argument a response (`make_response(...)`, `Response(...)`,
        `jsonify(...)`, what another rule made of one, or a name the enclosing function
        binds to one) rather than a status code?"""
        if isinstance(node, cst.Call):
            called = (dotted(node.func) or "").rpartition(".")[2]
            return called not in ("int", "HTTPStatus")
        if not isinstance(node, cst.Name) or not self.functions:
            return False
        if self._passed_a_response(self.functions[-1], node.value):
            return True
        bound = [
            a.value
            for a in _assignments(self.functions[-1])
            if any(isinstance(t.target, cst.Name) and t.target.value == node.value
                   for t in a.targets)
        ]  # fmt: skip
        return any(self._is_response(value) for value in bound)

    def leave_Raise(self, original: cst.Raise, updated: cst.Raise) -> cst.Raise:
        """`raise NotFound(description)` (any of Werkzeug's HTTP errors) is `abort(404,
        description)` to Flask; in a FastAPI app it would be an unhandled exception, a 500.
        → `raise HTTPException(404, detail=description)`."""
        if not self.options.structure or updated.exc is None:
            return updated
        call = updated.exc if isinstance(updated.exc, cst.Call) else None
        name = self.owners.flask(call.func if call else updated.exc) or ""
        cls = name.rpartition(".")[2]
        if not name.startswith("werkzeug.exceptions.") or cls not in WERKZEUG_CODES:
            return updated
        args = [] if call is None else list(call.args)
        detail = keyword(call, "description") if call else None
        if call is not None and detail is None and len(args) == 1 and not args[0].keyword:
            detail = args[0]
        if any(a.star for a in args) or len(args) > (1 if detail else 0):
            self.todo(
                f"raise HTTPException({WERKZEUG_CODES[cls]}, detail=..., headers=...) by hand"
            )
            return updated
        new = [arg(cst.Integer(str(WERKZEUG_CODES[cls])))]
        if detail is not None:
            new = [
                new[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                arg(detail.value, "detail"),
            ]
        self.converted()
        self.add_import("fastapi", "HTTPException")
        self.drop_import("werkzeug.exceptions", cls)
        return updated.with_changes(exc=cst.Call(func=cst.Name("HTTPException"), args=new))

    def leave_ExceptHandler(
        self, original: cst.ExceptHandler, updated: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        """`except NotFound:` catches no more what the port raises instead (`abort(404)`
        and `raise NotFound()` become FastAPI's `HTTPException`): a TODO on that line."""
        if not self.options.structure or updated.type is None:
            return updated
        caught = updated.type.elements if isinstance(updated.type, cst.Tuple) else None
        kinds = [e.value for e in caught] if caught is not None else [updated.type]
        werkzeug = [
            name
            for k in kinds
            if (name := self.owners.flask(k) or "").startswith("werkzeug.exceptions.")
            and (name.rpartition(".")[2] in WERKZEUG_CODES or name.endswith(".HTTPException"))
        ]
        if not werkzeug or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        self._push()
        self.todo(
            "the port raises FastAPI's HTTPException where Flask raised Werkzeug's "
            "(`abort`, `raise NotFound`): catch `fastapi.HTTPException` and check its "
            "`status_code`"
        )
        (todo,) = self._pop()
        header = updated.body.header
        text = header.comment.value if header.comment else ""
        if todo.split(":", 1)[0] in text:
            return updated
        comment = cst.Comment(f"{text}  # {todo}" if text else f"# {todo}")
        header = header.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        return updated.with_changes(body=updated.body.with_changes(header=header))

    def _passed_a_response(self, function: cst.FunctionDef, name: str) -> bool:
        """Is `name` a parameter of `function` annotated as a response, or given one
        (`deny(make_response(...))`, or what another rule made of it) by a call in the
        module? A parameter only ever given codes stays a status code."""
        params = list(function.params.params)
        found = [(i, p) for i, p in enumerate(params) if p.name.value == name]
        if not found:
            return False
        index, param = found[0]
        if param.annotation is not None:
            kind = (dotted(param.annotation.annotation) or "").rpartition(".")[2]
            if kind.endswith("Response"):
                return True
        for call in self.calls.get(function.name.value, ()):
            given = keyword(call, name)
            if given is None:
                spread = positional(call)
                if any(a.star for a in call.args) or index >= len(spread):
                    continue
                given = spread[index]
            if isinstance(given.value, cst.Call) and self._is_response(given.value):
                return True
        return False

    def _scheme(self, node: cst.BaseExpression) -> str | None:
        """The scheme of `WWWAuthenticate("bearer")` (no parameters), title-cased, else None."""
        if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].keyword:
            return None
        name = self.owners.flask(node.func)
        if name != "werkzeug.datastructures.WWWAuthenticate":
            return None
        scheme = string_value(node.args[0].value)
        return scheme.title() if scheme and scheme.isalnum() else None


#: Werkzeug's exception classes by name → their status: `errorhandler(NotFound)` is
#: `errorhandler(404)` to Flask (each class's `code`, the standard phrase without spaces).
WERKZEUG_CODES = {
    s.phrase.replace(" ", "").replace("-", ""): s.value for s in HTTPStatus if s.value >= 400
}
#: `exc.<attr>` of Werkzeug's HTTPException → the code on Starlette's (None: `exc.name`,
#: written as the status phrase, which is what Werkzeug's `name` is).
HTTP_ATTRS = {"code": "status_code", "description": "detail", "name": None}


class ErrorHandlerRule(PortRule):
    """`@app.errorhandler(...)` → `@app.exception_handler(...)`, registered on what the
    error-handlers page registers: Werkzeug's `HTTPException` → Starlette's (the router
    raises Starlette's for unknown routes and wrong methods), `500` (or
    `InternalServerError`) → `Exception`, another Werkzeug class → its status code. In an
    HTTP error handler `exc.code`, `exc.description`, `exc.name` become `exc.status_code`,
    `exc.detail`, the status phrase, and Flask's `exc.get_response()` recipe (JSON data
    and content type on Werkzeug's response) a `JSONResponse` that keeps `exc.headers`."""

    id = "errorhandler"
    needs = ("errorhandler", "register_error_handler")
    without_structure = True  # a blueprint's own handler gets its TODO either way

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        super().visit_Decorator(node)
        if _blueprint_handler(node, self.owners) and not self.options.structure:
            # A router takes no exception handlers: registered on the app as it is, the
            # handler would answer for every route (blueprint-scope page). Not widened.
            self.todo(BLUEPRINT_TODO, "structure/blueprint-scope.md")
        elif _imported_handler(node, self.owners):
            # The structure analysis keeps the tree on Flask for it: say where, and why.
            self.todo(
                "registered on an app or blueprint made in another module, which this rule "
                "does not follow: register it there by hand (an app's `exception_handler`; "
                "for a blueprint, the app's, checking `request.url.path`), then rerun",
                "structure/blueprint-scope.md",
            )
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        super().visit_SimpleStatementLine(node)
        if not self.options.structure and blueprint_registration(node, self.owners):
            self.todo(BLUEPRINT_TODO, "structure/blueprint-scope.md")
        return True

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """A blueprint's module-level `bp.register_error_handler(exc, f)` lines become
        comments carrying the TODO, as its `@bp.errorhandler` decorators do."""
        if not self.options.structure:
            return updated
        body: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        for stmt in updated.body:
            if isinstance(stmt, cst.SimpleStatementLine) and blueprint_registration(
                stmt, self.owners
            ):
                carried += [*stmt.leading_lines, self._commented(stmt.body[0], stmt)]
                continue
            if carried:
                stmt = stmt.with_changes(leading_lines=[*carried, *stmt.leading_lines])
                carried = []
            body.append(stmt)
        if len(body) == len(updated.body):
            return updated
        return updated.with_changes(body=body, footer=[*carried, *updated.footer])

    def _commented(self, node: cst.CSTNode, line: cst.CSTNode) -> cst.EmptyLine:
        """`node`'s code as a comment line with the blueprint TODO (and `line`'s comment)."""
        self._push()
        self.todo(f"not registered: {BLUEPRINT_TODO}", "structure/blueprint-scope.md")
        (todo,) = self._pop()
        mine = line.trailing_whitespace.comment  # type: ignore[attr-defined]
        code = cst.Module([]).code_for_node(node).strip()
        return cst.EmptyLine(
            comment=cst.Comment(f"# {code}" + (f"  {mine.value}" if mine else "") + f"  # {todo}")
        )

    def _unregister(self, updated: cst.FunctionDef) -> cst.FunctionDef:
        """The blueprint's own `@bp.errorhandler(...)` lines become comments carrying the
        TODO: on a router the decorator would fail at import, and on the app the handler
        would answer for every route. The function stays, registered nowhere."""
        decorators: list[cst.Decorator] = []
        carried: list[cst.EmptyLine] = []
        for d in updated.decorators:
            if not _blueprint_handler(d, self.owners):
                if carried:
                    d = d.with_changes(leading_lines=[*carried, *d.leading_lines])
                    carried = []
                decorators.append(d)
                continue
            commented = self._commented(d.decorator, d)
            text = commented.comment.value.replace("# ", "# @", 1)  # type: ignore[union-attr]
            carried += [*d.leading_lines, cst.EmptyLine(comment=cst.Comment(text))]
        if len(decorators) == len(updated.decorators):
            return updated
        return updated.with_changes(
            decorators=decorators,
            lines_after_decorators=[*carried, *updated.lines_after_decorators],
        )

    def visit_Module(self, node: cst.Module) -> bool:
        # Does the module register a handler for HTTP errors (a class or a status code)?
        # Without one, Flask sent 404s and abort()s to an `Exception` handler too.
        kinds = {kind for kind, _ in _registrations(node, self.owners)}
        self.http_handled = bool(kinds & {"http", "code"})
        # Flask sends an unhandled exception, as a 500, to the HTTPException handler when
        # nothing handles 500 or Exception; Starlette never does.
        self.crash_handled = bool(kinds & {"500", "exception"})
        self.bound = names_in(node)
        return True

    def leave_FunctionDef(  # type: ignore[override]
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        self.crash_for: str | None = None
        updated = super().leave_FunctionDef(original, updated)
        if self.crash_for is None:
            return updated
        return cst.FlattenSentinel([updated, self._crash_handler(updated)])

    def _crash_handler(self, handler: cst.FunctionDef) -> cst.FunctionDef:
        """The `Exception` handler that answers an unhandled exception as Flask did: by
        calling the HTTP error `handler` with a 500 (Werkzeug's `InternalServerError`,
        whose description the handler may show)."""
        (decorator,) = [d for d in handler.decorators if _is_http_registration(d)]
        app = cst.Module([]).code_for_node(decorator.decorator.func.value)  # type: ignore[attr-defined]
        exc = handler.params.params[1].name.value
        detail = ""
        if re.search(rf"\b{re.escape(exc)}\.detail\b", cst.Module([]).code_for_node(handler)):
            detail = f", detail={_server_error_description()!r}"
        name = "server_error" if "server_error" not in self.bound else f"{handler.name.value}_500"
        awaited, prefix = ("await ", "async ") if handler.asynchronous else ("", "")
        self.add_import("starlette.exceptions", "HTTPException", "StarletteHTTPException")
        self.converted()
        code = (
            f"# Flask sent unhandled exceptions to `{handler.name.value}` too, as a 500.\n"
            f"@{app}.exception_handler(Exception)\n"
            f"{prefix}def {name}(request: Request, exc: Exception):\n"
            f"    return {awaited}{handler.name.value}(request, "
            f"StarletteHTTPException(500{detail}))\n"
        )
        new = cst.parse_statement(code)
        blank = [line for line in handler.leading_lines if line.comment is None] or [
            cst.EmptyLine()
        ]
        return new.with_changes(  # type: ignore[return-value]
            leading_lines=[*blank, *new.leading_lines]
        )

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.options.structure:
            return updated
        updated = self._unregister(updated)
        decorators = list(updated.decorators)
        kinds = set()
        for i, d in enumerate(decorators):
            found = _registration(d, self.owners)
            if found is None:
                continue
            kind, new_arg = found
            kinds.add(kind)
            call = d.decorator
            old = self.owners.flask(call.args[0].value) if call.args else None
            if new_arg is not None and old and old.startswith("werkzeug.exceptions."):
                self.drop_import("werkzeug.exceptions", old.rsplit(".", 1)[1])
            func = cst.Attribute(value=call.func.value, attr=cst.Name("exception_handler"))
            args = [call.args[0].with_changes(value=new_arg)] if new_arg else call.args
            decorators[i] = d.with_changes(decorator=call.with_changes(func=func, args=args))
        if not kinds:
            return updated
        params = list(updated.params.params)
        if len(params) != 1 or len(kinds) != 1:
            self.todo("a FastAPI handler takes (request, exc): fix the signature")
            return updated.with_changes(decorators=decorators)
        kind = kinds.pop()
        if kind == "http":
            self.add_import("starlette.exceptions", "HTTPException", "StarletteHTTPException")
        if kind == "http" and not self.crash_handled:
            # Flask also sent unhandled exceptions here, as a 500; FastAPI needs its own
            # `Exception` handler for them (error-handlers page): one that hands this
            # handler the 500 Flask would have (written after it, see leave_FunctionDef).
            self.crash_handled = True
            self.crash_for = updated.name.value
        if kind == "exception" and not self.http_handled:
            self.todo(
                "Flask also sent HTTP errors (404, 405, abort) here; FastAPI sends them to a "
                "handler for StarletteHTTPException: register one if this handler shaped them"
            )
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
        if kind in ("http", "code"):
            exc = params[0]
            if exc.annotation and self.owners.flask(exc.annotation.annotation) == (
                "werkzeug.exceptions.HTTPException"
            ):
                self.drop_import("werkzeug.exceptions", "HTTPException")
                self.add_import("starlette.exceptions", "HTTPException", "StarletteHTTPException")
                exc = exc.with_changes(
                    annotation=cst.Annotation(cst.Name("StarletteHTTPException"))
                )
                updated = updated.with_changes(
                    params=updated.params.with_changes(params=[request, exc])
                )
            updated = _HttpErrorBody(self, exc.name.value).rewrite(updated)
        elif kind == "500":
            updated = updated.with_changes(
                body=updated.body.visit(_ServerErrorBody(self, params[0].name.value))
            )
        return updated.visit(_HandlerReturns(self))  # type: ignore[return-value]


#: What to do with a blueprint's own error handler (the blueprint-scope page's recipes).
BLUEPRINT_TODO = (
    "a router has no exception handlers: register this one on the app, and keep it to the "
    "router's URLs by checking `request.url.path` (it then also sees their routing errors, "
    "404 and 405), or mount the router's routes as a sub-application with its own handler"
)


def _is_http_registration(decorator: cst.Decorator) -> bool:
    """`@x.exception_handler(StarletteHTTPException)`, as this rule writes it."""
    call = decorator.decorator
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "exception_handler"
        and len(call.args) == 1
        and dotted(call.args[0].value) == "StarletteHTTPException"
    )


def _server_error_description() -> str:
    """Werkzeug's `InternalServerError.description`: the `description` Flask's HTTP error
    handler read for an unhandled exception (read from the installed Werkzeug)."""
    from werkzeug.exceptions import InternalServerError

    return str(InternalServerError.description)


def _blueprint_handler(decorator: cst.Decorator, owners: Owners) -> bool:
    """`@bp.errorhandler(...)` on a blueprint (not an app) of the module."""
    call = decorator.decorator
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "errorhandler"
        and dotted(call.func.value) in owners.blueprints
    )


def blueprint_registration(line: cst.SimpleStatementLine, owners: Owners) -> str | None:
    """The blueprint of a one-line `bp.register_error_handler(exc, f)` statement, else None."""
    small = line.body[0] if len(line.body) == 1 else None
    call = small.value if isinstance(small, cst.Expr) else None
    if not (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "register_error_handler"
        and dotted(call.func.value) in owners.blueprints
        and "\n" not in cst.Module([]).code_for_node(call)  # one comment line holds it
    ):
        return None
    return dotted(call.func.value)


def registered_blueprints(module: cst.Module, owners: Owners) -> set[str]:
    """Blueprints whose every `register_error_handler` use is such a module-level line (the
    `errorhandler` rule comments them out: they keep the tree on Flask no more)."""
    lines = [s for s in module.body if isinstance(s, cst.SimpleStatementLine)]
    found = [b for s in lines if (b := blueprint_registration(s, owners))]
    code = source(module)
    return {
        b for b in set(found)
        if len(re.findall(rf"\b{re.escape(b)}\.register_error_handler\b", code)) == found.count(b)
    }  # fmt: skip


def _imported_handler(decorator: cst.Decorator, owners: Owners) -> bool:
    """`@x.errorhandler(...)` where `x` is no app or blueprint of the module (imported)."""
    call = decorator.decorator
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "errorhandler"
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value not in owners
    )


def _registration(
    decorator: cst.Decorator, owners: Owners
) -> tuple[str, cst.BaseExpression | None] | None:
    """For `@app.errorhandler(x)` on an app: the kind of `x` (`http` for Werkzeug's
    HTTPException, `500`, `code` for another status, `exception` for `Exception`, `class`)
    and what to register instead (None: `x` itself). None for any other decorator."""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return None
    if call.func.attr.value != "errorhandler" or dotted(call.func.value) not in owners.apps:
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return ("class", None)  # the signature TODO
    value = call.args[0].value
    name = owners.flask(value) or dotted(value) or ""
    code = None
    if isinstance(value, cst.Integer):
        code = int(value.value)
    elif name.startswith("werkzeug.exceptions."):
        if name == "werkzeug.exceptions.HTTPException":
            return ("http", cst.Name("StarletteHTTPException"))
        code = WERKZEUG_CODES.get(name.rsplit(".", 1)[1])
    if code == 500:
        return ("500", cst.Name("Exception"))
    if code is not None:
        return ("code", cst.Integer(str(code)))
    if name == "Exception":
        return ("exception", None)
    return ("class", None)


def handler_names(module: cst.Module, owners: Owners) -> set[str]:
    """The functions registered with `@app.errorhandler(...)` on an app of `module` that
    the rules may treat as views: not those reading the query or the body, which the
    request rules would make parameters (FastAPI calls a handler with (request, exc))."""
    found: set[str] = set()
    if "errorhandler" not in source(module):
        return found
    from flask2fastapi.port.hooks import _reads

    class Handlers(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if any(_registration(d, owners) for d in node.decorators) and not (
                _reads(node, "request") & {"args", "form", "files", "values", "get_json", "json"}
            ):
                found.add(node.name.value)

    module.visit(Handlers())
    return found


def _registrations(module: cst.Module, owners: Owners) -> list[tuple[str, object]]:
    """Every `errorhandler` registration on an app in `module` (see `_registration`)."""
    found = []

    class Decorators(cst.CSTVisitor):
        def visit_Decorator(self, node: cst.Decorator) -> None:
            reg = _registration(node, owners)
            if reg is not None:
                found.append(reg)

    module.visit(Decorators())
    return found


class _HttpErrorBody(cst.CSTTransformer):
    """An HTTP error handler's body on Starlette's HTTPException: `exc.code` →
    `exc.status_code`, `exc.description` → `exc.detail`, `exc.name` →
    `HTTPStatus(exc.status_code).phrase`; Flask's recipe

        response = exc.get_response()
        response.content_type = "application/json"
        response.data = <json>.dumps(body)
        return response

    → `return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)`. Any
    other use of Werkzeug's exception gets a TODO."""

    def __init__(self, rule: ErrorHandlerRule, exc: str) -> None:
        self.rule = rule
        self.exc = exc
        self.depth = 0  # functions nested in the handler
        self.awaits = False

    def rewrite(self, node: cst.FunctionDef) -> cst.FunctionDef:
        body = node.body
        if isinstance(body, cst.IndentedBlock):
            new = self._recipe(list(body.body))
            if new is not None:
                body = body.with_changes(body=new)
        node = node.with_changes(body=body.visit(self))
        if self.awaits and node.asynchronous is None:
            node = node.with_changes(asynchronous=cst.Asynchronous())
        return node

    def _recipe(self, statements: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        """The statements with the `get_response()` recipe replaced, else None."""
        lines = [s for s in statements if isinstance(s, cst.SimpleStatementLine)]
        start = next((s for s in lines if self._is_get_response(s)), None)
        if start is None:
            return None
        target = dotted(start.body[0].targets[0].target)
        payload, content_type, ret = None, None, None
        for s in lines:
            small = s.body[0] if len(s.body) == 1 else None
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                where = dotted(small.targets[0].target)
                if where == f"{target}.data" and _dumps_arg(small.value) is not None:
                    payload = s
                elif where == f"{target}.content_type" and (
                    string_value(small.value) == "application/json"
                ):
                    content_type = s
            elif isinstance(small, cst.Return) and dotted(small.value) == target:
                ret = s
            elif (
                isinstance(small, cst.Expr)
                and isinstance(small.value, cst.Call)
                and dotted(small.value.func) == f"{target}.set_data"
                and len(small.value.args) == 1
                and _dumps_arg(small.value.args[0].value) is not None
            ):
                payload = s  # response.set_data(json.dumps(body)): the same
        if payload is None or content_type is None or ret is None:
            return None
        used = {start, payload, content_type, ret}
        if any(target in names_in(s) for s in statements if s not in used):
            return None  # the response is used otherwise: left to the TODO
        written = payload.body[0]
        value = _dumps_arg(
            written.value.args[0].value if isinstance(written, cst.Expr) else written.value
        )
        new_return = cst.parse_statement(
            f"return JSONResponse(BODY, status_code={self.exc}.status_code, "
            f"headers={self.exc}.headers)"
        )
        new_return = new_return.visit(_Replace("BODY", value))
        self.rule.add_import("fastapi.responses", "JSONResponse")
        out = []
        for s in statements:
            if s is ret:
                out.append(new_return.with_changes(leading_lines=s.leading_lines))
            elif s not in used:
                out.append(s)
        if statements[0] in used and out:  # keep the comments above the first line
            out[0] = out[0].with_changes(leading_lines=statements[0].leading_lines)
        return out

    def _is_get_response(self, s: cst.SimpleStatementLine) -> bool:
        small = s.body[0] if len(s.body) == 1 else None
        return (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and isinstance(small.value, cst.Call)
            and not small.value.args
            and dotted(small.value.func) == f"{self.exc}.get_response"
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return True  # a nested function may read the exception too

    def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
        self.depth -= 1
        return updated

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        # `return exc`: Werkzeug's own page for it; here FastAPI's own answer, the
        # blueprint-scope page's `await http_exception_handler(request, exc)`.
        if self.depth or dotted(updated.value) != self.exc:
            return updated
        self.rule.add_import("fastapi.exception_handlers", "http_exception_handler")
        self.awaits = True
        return updated.with_changes(
            value=expr(f"await http_exception_handler(request, {self.exc})")
        )

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        # Werkzeug's `get_headers()`: its HTML page's Content-Type, then what the error
        # carries (Allow on a 405...), which Starlette's keeps in `headers` (or None).
        if dotted(updated.func) != f"{self.exc}.get_headers":
            return updated
        if updated.args:
            self.rule.todo("Starlette's HTTPException has no `get_headers`: use its `headers`")
            return updated
        return expr(
            f'[("Content-Type", "text/html; charset=utf-8"), *({self.exc}.headers or {{}}).items()]'
        )

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if dotted(updated.value) != self.exc:
            return updated
        attr = updated.attr.value
        if attr not in HTTP_ATTRS:
            if attr not in ("status_code", "detail", "headers", "get_headers"):
                self.rule.todo(
                    f"Starlette's HTTPException has no `{attr}`: use status_code, detail, headers"
                )
            return updated
        if HTTP_ATTRS[attr] is None:
            self.rule.add_import("http", "HTTPStatus")
            return expr(f"HTTPStatus({self.exc}.status_code).phrase")
        return updated.with_changes(attr=cst.Name(HTTP_ATTRS[attr]))


class _ServerErrorBody(cst.CSTTransformer):
    """A 500 handler's body, now given the exception itself where Flask gave an
    `InternalServerError` wrapping it: `exc.original_exception` → `exc`, `exc.code` →
    `500`; any other attribute of Werkzeug's exception gets a TODO."""

    def __init__(self, rule: ErrorHandlerRule, exc: str) -> None:
        self.rule = rule
        self.exc = exc

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if dotted(updated.value) != self.exc:
            return updated
        attr = updated.attr.value
        if attr == "original_exception":
            return cst.Name(self.exc)
        if attr == "code":
            return cst.Integer("500")
        self.rule.todo(
            f"this handler now gets the exception itself, not Werkzeug's "
            f"InternalServerError: `{self.exc}.{attr}` by hand"
        )
        return updated


def _dumps_arg(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """`x` of `json.dumps(x)`, `app.json.dumps(x)`, `current_app.json.dumps(x)`, else None."""
    if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].keyword:
        return None
    name = dotted(node.func) or ""
    return node.args[0].value if name.endswith(("json.dumps",)) else None


class _Replace(cst.CSTTransformer):
    def __init__(self, name: str, value: cst.BaseExpression) -> None:
        self.name, self.value = name, value

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.value if updated.value == self.name else updated


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

        if updated.value is None or isinstance(updated.value, cst.Await):
            return updated  # nothing, or another handler's response
        if _renders_a_template(updated.value):
            return updated  # the `templates` rule makes it a TemplateResponse (an HTML page)
        new = response_for(updated.value, self.rule, always=True)
        return updated if new is None else updated.with_changes(value=new)


def _renders_a_template(value: cst.BaseExpression) -> bool:
    """`render_template(...)`, alone or first in a `(body, status[, headers])` tuple."""
    if isinstance(value, cst.Tuple) and value.elements:
        value = value.elements[0].value
    return isinstance(value, cst.Call) and dotted(value.func) in (
        "render_template",
        "flask.render_template",
    )


def _calls_by_name(module: cst.Module) -> dict[str, list[cst.Call]]:
    """Every call of a plain name in `module` (`deny(...)`), by that name."""
    found: dict[str, list[cst.Call]] = {}

    class Calls(FastVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                found.setdefault(node.func.value, []).append(node)

    walk(module, Calls())
    return found


def _assignments(function: cst.FunctionDef) -> list[cst.Assign]:
    """Every `x = ...` in `function`'s body (nested functions included)."""
    found: list[cst.Assign] = []

    class Gather(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            found.append(node)

    function.body.visit(Gather())
    return found
