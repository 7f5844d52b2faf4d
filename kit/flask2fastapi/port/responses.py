"""Rules for what a view returns.

* `responses`: `jsonify(x)` → `x`; `(body, status)`, `(body, headers)` and
  `(body, status, headers)` → `JSONResponse(body, status_code=..., headers=...)` (an
  `HTMLResponse` for a text body, which Flask sends as `text/html`); a returned string →
  `HTMLResponse` (FastAPI would send a JSON string); `make_response(body, status)` → the
  same response class, whose `.headers` and `.set_cookie` work as Flask's.
* `redirect`: `redirect(url_for("x"))` → `RedirectResponse(request.url_for("x"),
  status_code=302)` (Flask's 302 kept); `url_for("x")` → `request.url_for("x").path`, the
  path Flask returns; `url_for("static", filename=f)` → `request.url_for("static",
  path=f).path` (the static mount's parameter, the static-files page).
"""

from __future__ import annotations

import keyword as pykeyword

import libcst as cst

from flask2fastapi.port.base import (
    FastVisitor,
    PortRule,
    RequestParamRule,
    arg,
    children,
    dotted,
    is_view,
    keyword,
    names_in,
    positional,
    quoted,
    string_value,
)


def _walk(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    """Every node under `node`, not entering nested functions."""
    for child in children(node):
        yield child
        if not isinstance(child, cst.FunctionDef):
            yield from _walk(child)


TEXT = (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)


#: Builtins whose value is a str whatever their arguments (the JSON encoders: `is_text`).
TEXT_CALLS = frozenset({"str", "repr", "format", "ascii"})
#: str methods that return a str (called on a str literal, or on a text expression).
TEXT_METHODS = frozenset(
    {"format", "join", "upper", "lower", "strip", "lstrip", "rstrip", "replace", "title",
     "capitalize", "casefold", "center", "ljust", "rjust", "zfill", "expandtabs",
     "format_map", "removeprefix", "removesuffix", "swapcase"}
)  # fmt: skip


def is_text(
    node: cst.BaseExpression,
    function: cst.FunctionDef | None = None,
    dumps: frozenset[str] = frozenset(),
) -> bool:
    """True when `node` is certainly a str (or bytes) that Flask sends as `text/html`
    while FastAPI would JSON-encode it again: a literal, `json.dumps(...)` (also
    `flask.json.dumps`, `app.json.dumps`), `str(...)`, `"...".format(...)`,
    `"-".join(...)`, `"%s" % x`, `"a" + x`, `x if c else "b"` with both sides text, or
    a local of `function` that every assignment gives such a value; `dumps` are the names
    the module imports a JSON encoder's `dumps` as (`json_dumps`: `from json import dumps`)."""
    if isinstance(node, TEXT):
        return True
    if isinstance(node, cst.Name):
        return function is not None and _text_local(node.value, function, dumps)
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Modulo):
            return is_text(node.left, function, dumps)
        if isinstance(node.operator, cst.Add):
            return is_text(node.left, function, dumps) or is_text(node.right, function, dumps)
        return False
    if isinstance(node, cst.IfExp):
        return is_text(node.body, function, dumps) and is_text(node.orelse, function, dumps)
    if not isinstance(node, cst.Call):
        return False
    name = dotted(node.func) or ""
    if name in TEXT_CALLS or name in dumps or name.endswith("json.dumps"):
        return True  # (orjson, simplejson, ujson, flask.json, app.json: str or bytes)
    func = node.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in TEXT_METHODS
        and is_text(func.value, function, dumps)
    )


def json_dumps(module: cst.Module) -> frozenset[str]:
    """The names `module`'s top-level `from <…json> import dumps [as x]` lines bind (the
    stdlib's, `flask.json`, simplejson, ujson, orjson: each returns the JSON text)."""
    found = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not isinstance(small.names, cst.ImportStar)
                and (dotted(small.module) or "").endswith("json")
                and not small.relative
            ):
                for alias in small.names:
                    if alias.evaluated_name == "dumps":
                        found.add(alias.evaluated_alias or "dumps")
    return frozenset(found)


def _text_local(name: str, function: cst.FunctionDef, dumps: frozenset[str]) -> bool:
    """True when `name` is bound in `function` only by `name = <text>` (or `+= <text>`)
    lines, at least one, and is no parameter."""
    if name in {p.name.value for p in function.params.params}:
        return False
    found = False
    for node in _walk(function.body):
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
            if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                if len(targets) != 1 or not is_text(node.value, None, dumps):
                    return False
                found = True
            elif any(name in names_in(t) for t in targets):
                return False  # unpacked into, or a subscript of it
        elif isinstance(node, cst.AugAssign | cst.AnnAssign) and name in names_in(node.target):
            if node.value is None or not is_text(node.value, None, dumps):
                return False
            found = True
        elif (isinstance(node, cst.For | cst.CompFor) and name in names_in(node.target)) or (
            isinstance(node, cst.AsName | cst.NamedExpr | cst.Global | cst.Nonlocal)
            and name in names_in(node)
        ):
            return False  # bound by a loop, `as`, `:=`, or another scope's
    return found


def _is_status(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer | cst.Name | cst.Attribute | cst.IfExp)


def _response(cls: str, body: cst.BaseExpression | None, rule: PortRule, **kw: cst.BaseExpression):
    rule.add_import("fastapi.responses" if cls != "Response" else "fastapi", cls)
    args = [] if body is None else [arg(body)]
    args += [arg(v, k) for k, v in kw.items()]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [a.with_changes(comma=comma) for a in args[:-1]] + args[-1:]
    return cst.Call(func=cst.Name(cls), args=args)


def _unwrap_jsonify(node: cst.BaseExpression, rule: PortRule) -> cst.BaseExpression:
    if isinstance(node, cst.Call) and rule.owners.flask(node.func) == "flask.jsonify":
        args = node.args
        if len(args) == 1 and args[0].keyword is None and not args[0].star:
            rule.drop_import("flask", "jsonify")
            return args[0].value
        if args and all(a.keyword is not None for a in args):
            rule.drop_import("flask", "jsonify")
            return cst.Dict(
                [cst.DictElement(cst.SimpleString(f'"{a.keyword.value}"'), a.value) for a in args]  # type: ignore[union-attr]
            )
    return node


def response_for(
    value: cst.BaseExpression,
    rule: PortRule,
    always: bool = False,
    function: cst.FunctionDef | None = None,
    dumps: frozenset[str] = frozenset(),
) -> cst.BaseExpression | None:
    """The FastAPI return value for a Flask view's (or handler's, `always=True`) return
    value, or None to leave it as it is. A tuple it cannot read gets a TODO. `function`
    is the view, whose locals may be text, and `dumps` its module's `json_dumps`
    (`is_text`)."""
    value = _unwrap_jsonify(value, rule)
    if isinstance(value, cst.Tuple):
        parts = [e.value for e in value.elements]
        if (
            any(isinstance(e, cst.StarredElement) for e in value.elements)
            or not 2 <= len(parts) <= 3
        ):
            rule.todo("return a Response with status_code= and headers= by hand")
            return None
        body = _unwrap_jsonify(parts[0], rule)
        cls = "HTMLResponse" if is_text(body, function, dumps) else "JSONResponse"
        if len(parts) == 3:
            return _response(cls, body, rule, status_code=parts[1], headers=parts[2])
        if isinstance(parts[1], cst.Dict):
            return _response(cls, body, rule, headers=parts[1])
        if _is_status(parts[1]):
            return _response(cls, body, rule, status_code=parts[1])
        rule.todo("is the second item a status or headers? return a Response by hand")
        return None
    if is_text(value, function, dumps):  # FastAPI would send the str as a JSON string
        return _response("HTMLResponse", value, rule)
    if always and isinstance(value, cst.Dict | cst.List):
        return _response("JSONResponse", value, rule)
    if always and not isinstance(value, cst.Call):
        rule.todo("an exception handler must return a Response")
    return value if value is not None else None


def tuple_helpers(module: cst.Module, owners) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """The module-level functions (not views) that may return a `(body, status)` or
    `(body, status, headers)` tuple, directly or by returning such a function's call,
    each → True when the `responses` rule converts its tuples as a view's: it returns one
    directly, every use of its name in the module (one at least) is `return name(...)`
    right in a view,
    and no other module of the tree may import it (`TREE_IMPORTS`). Flask reads a view's
    returned tuple whichever function built it; FastAPI would send it as a JSON list."""
    from flask2fastapi.port.requests import TREE_IMPORTS

    functions: dict[str, cst.FunctionDef] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            functions[statement.name.value] = statement
    views = {n for n, f in functions.items() if is_view(f, owners)}
    returns = {
        name: [n.value for n in _walk(f.body) if isinstance(n, cst.Return) and n.value]
        for name, f in functions.items()
        if name not in views
    }
    direct = {
        name
        for name, values in returns.items()
        if any(isinstance(v, cst.Tuple) and 2 <= len(v.elements) <= 3 for v in values)
    }
    found = set(direct)
    grown = True
    while grown:  # `return error(...)` in another helper: a tuple too
        more = {
            name
            for name, values in returns.items()
            if name not in found
            and any(isinstance(v, cst.Call) and dotted(v.func) in found for v in values)
        }
        grown = bool(more)
        found |= more
    if not found:
        return {}
    returned: set[int] = set()  # the `f` Name of each `return f(...)` right in a view
    for name in views:
        for n in _walk(functions[name].body):
            if (
                isinstance(n, cst.Return)
                and isinstance(n.value, cst.Call)
                and isinstance(n.value.func, cst.Name)
            ):
                returned.add(id(n.value.func))
    uses: dict[str, list[bool]] = {name: [] for name in found}

    skip: set[int] = set()  # names that are no use: a `def`'s, an attribute's, a keyword's

    class Uses(FastVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            skip.add(id(node.name))

        def visit_Attribute(self, node: cst.Attribute) -> None:
            skip.add(id(node.attr))

        def visit_Arg(self, node: cst.Arg) -> None:
            if node.keyword is not None:
                skip.add(id(node.keyword))

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in uses and id(node) not in skip:
                uses[node.value].append(id(node) in returned)

    module.visit(Uses())
    elsewhere = TREE_IMPORTS.get() or frozenset()
    return {
        name: name in direct and name not in elsewhere and bool(uses[name]) and all(uses[name])
        for name in found
    }


class ResponsesRule(PortRule):
    """Rule `responses` (see the module docstring); Flask's `Response(...)` and what is
    done to a response object are the `response-api` rule's (`response_api.py`)."""

    id = "responses"
    needs = ("return", "make_response")

    def visit_Module(self, node: cst.Module) -> bool:
        self.tuples = tuple_helpers(node, self.owners) if self.options.structure else {}
        self.dumps = json_dumps(node)
        return True

    def _tuple_todo(self, value: cst.BaseExpression) -> None:
        """A view returns a helper's `(body, status)` tuple that the rule did not convert
        (see `tuple_helpers`): FastAPI would send the tuple as a JSON list with 200."""
        if isinstance(value, cst.Name):  # `result = error(...)` … `return result`
            calls = [
                n.value
                for n in _walk(self.functions[-1].body)
                if isinstance(n, cst.Assign)
                and any(names_in(t.target) == {value.value} for t in n.targets)
                and isinstance(n.value, cst.Call)
            ]
            value = next((c for c in calls if dotted(c.func) in self.tuples), value)
        name = dotted(value.func) if isinstance(value, cst.Call) else None
        if name in self.tuples and not self.tuples[name]:
            self.todo(
                f"`{name}` returns a (body, status) tuple, which FastAPI sends as a JSON "
                "list: make it return a JSONResponse(body, status_code=...)",
                "responses/json-responses.md",
            )

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        if updated.value is None:
            return updated
        if not self.in_view:
            if (
                len(self.functions) == 1
                and self.tuples.get(self.functions[0].name.value)
                and isinstance(updated.value, cst.Tuple)
            ):  # a helper whose tuple every caller (a view) returns: a view's recipe
                new = response_for(
                    updated.value, self, function=self.functions[-1], dumps=self.dumps
                )
                if new is not None and not new.deep_equals(updated.value):
                    self.converted()
                    return updated.with_changes(value=new)
            return updated
        if self.tuples:
            self._tuple_todo(updated.value)
        new = response_for(updated.value, self, function=self.functions[-1], dumps=self.dumps)
        if new is None or new.deep_equals(updated.value):
            return updated
        self.converted()
        return updated.with_changes(value=new)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        # A `jsonify` left in a view (assigned first, in a conditional expression...) needs
        # Flask's app context, which a FastAPI request does not push: a 500 at run time.
        if self.in_view and any(
            isinstance(n, cst.Call) and self.owners.flask(n.func) == "flask.jsonify"
            for n in _walk(updated)
        ):
            self.todo(
                "`jsonify` needs Flask's app context: return the value (or a JSONResponse)",
                "responses/json-responses.md",
            )
        return super().leave_SimpleStatementLine(original, updated)

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator):  # type: ignore[no-untyped-def]
        # `@stream_with_context` on a generator inside a view: FastAPI keeps the request
        # readable while it streams (the streaming page), and Flask's needs its context.
        if (
            self.options.structure
            and len(self.functions) >= 2
            and is_view(self.functions[-2], self.owners)
            and self.owners.flask(updated.decorator) == "flask.stream_with_context"
        ):
            self._pop()
            self.converted()
            self.drop_import("flask", "stream_with_context")
            return cst.RemoveFromParent()
        return super().leave_Decorator(original, updated)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.in_view:
            return updated
        if self.owners.flask(updated.func) != "flask.make_response":
            return updated
        args = positional(updated)
        if not args or len(args) > 3 or len(args) != len(updated.args):
            self.todo("build the Response by hand")
            return updated
        body = _unwrap_jsonify(args[0].value, self)
        cls = "HTMLResponse" if is_text(body, self.functions[-1], self.dumps) else "JSONResponse"
        kw: dict[str, cst.BaseExpression] = {}
        if len(args) >= 2:
            kw["status_code"] = args[1].value
        if len(args) == 3:
            kw["headers"] = args[2].value
        self.converted()
        self.drop_import("flask", "make_response")
        return _response(cls, body, self, **kw)


class RedirectRule(RequestParamRule):
    id = "redirect"
    needs = ("redirect", "url_for")

    def _url_for(self, call: cst.Call) -> cst.BaseExpression | None:
        """`url_for("name")` → `request.url_for("name")` (a URL), or None with a TODO."""
        args = positional(call)
        name = string_value(args[0].value) if len(args) == 1 else None
        filename = keyword(call, "filename")
        if name == "static" and filename is not None and len(call.args) == 2:
            # The static mount's parameter is `path` (the static-files page).
            self.needs_request[-1] = True
            self.drop_import("flask", "url_for")
            return cst.Call(
                func=cst.parse_expression("request.url_for"),
                args=[
                    arg(args[0].value).with_changes(
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    ),
                    arg(filename.value, "path"),
                ],
            )
        if name is not None and name.startswith(".") and len(call.args) == 1:
            blueprint = self._blueprint()
            if blueprint is None:
                self.todo("write the endpoint's blueprint before its dot, then rerun",
                          "routing/url-building.md")  # fmt: skip
                return None
            name = blueprint + name  # `.index` in a view of `main` is `main.index`
            args = [arg(quoted(name))]
        if name is None or len(call.args) != 1 or name == "static":
            self.todo("url_for with arguments: pass path parameters to request.url_for by hand",
                      "routing/url-building.md")  # fmt: skip
            return None
        self.needs_request[-1] = True
        self.drop_import("flask", "url_for")
        return cst.Call(func=cst.parse_expression("request.url_for"), args=[arg(args[0].value)])

    def _blueprint(self) -> str | None:
        """The name of the blueprint the enclosing view is routed on, else None."""
        for decorator in self.functions[-1].decorators if self.functions else ():
            call = decorator.decorator
            func = call.func if isinstance(call, cst.Call) else None
            if isinstance(func, cst.Attribute) and dotted(func.value) in self.owners.blueprints:
                return self.owners.blueprints[dotted(func.value)]  # type: ignore[index]
        return None

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.in_view:
            return updated
        name = self.owners.flask(updated.func)
        if name == "flask.redirect":
            args = positional(updated)
            code = keyword(updated, "code") or (args[1] if len(args) > 1 else None)
            target = args[0].value if args else None
            if target is None or len(updated.args) - (code is not None) != 1:
                self.todo("return a RedirectResponse by hand")
                return updated
            if (
                isinstance(target, cst.Attribute)
                and target.attr.value == "path"
                and isinstance(target.value, cst.Call)
                and dotted(target.value.func) == "request.url_for"
            ):  # the url_for inside, already converted: redirect to the URL itself
                target = target.value
            elif isinstance(target, cst.Call) and self.owners.flask(target.func) == "flask.url_for":
                return updated  # its TODO is already on the line
            elif string_value(target) is None and not isinstance(target, cst.Name):
                self.todo("return a RedirectResponse by hand")
                return updated
            self.converted()
            self.drop_import("flask", "redirect")
            status = code.value if code is not None else cst.Integer("302")
            return _response("RedirectResponse", target, self, status_code=status)
        if name == "flask.url_for":
            new = self._url_for(updated)
            if new is None:
                return updated
            self.converted()
            return cst.Attribute(value=new, attr=cst.Name("path"))
        return updated


#: What a `stream_with_context` generator may read from `request` and the view can read
#: first: `request.<source>.get("key", ...)` and `request.<source>["key"]`.
HOISTED_SOURCES = ("args", "form", "headers", "cookies")


def _read_key(node: cst.BaseExpression, owners) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(source, key) of `request.<source>.get("key", ...)` or `request.<source>["key"]`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value != "get" or not node.args or node.args[0].keyword:
            return None
        holder, key = node.func.value, string_value(node.args[0].value)
    elif isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        holder = node.value
        key = string_value(index.value) if isinstance(index, cst.Index) else None
    else:
        return None
    if (
        key is None
        or not isinstance(holder, cst.Attribute)
        or holder.attr.value not in HOISTED_SOURCES
        or owners.flask(holder.value) != "flask.request"
    ):
        return None
    return holder.attr.value, key


def _local_name(source: str, key: str) -> str | None:
    name = key.lower().replace("-", "_") if source in ("headers", "cookies") else key
    return name if name.isidentifier() and not pykeyword.iskeyword(name) else None


class StreamContextRule(PortRule):
    """Rule `stream-context`: a `@stream_with_context` generator in a view that reads
    `request.args.get("name", ...)` (or `form`, `headers`, `cookies`) → the view reads it
    into a local the generator uses, as the streaming page's FastAPI app passes `name`
    (a FastAPI generator has no request context to keep). The request rules, which run
    next, then turn that local into a parameter. Runs before them."""

    id = "stream-context"
    needs = ("stream_with_context",)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.options.structure or not is_view(updated, self.owners):
            return updated
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated
        wrapped = {
            dotted(n.args[0].value.func)
            for n in _walk(updated.body)
            if isinstance(n, cst.Call)
            and self.owners.flask(n.func) == "flask.stream_with_context"
            and n.args
            and isinstance(n.args[0].value, cst.Call)
        }
        taken = names_in(updated)
        body: list[cst.BaseStatement] = []
        changed = False
        for stmt in updated.body.body:
            if isinstance(stmt, cst.FunctionDef) and (
                stmt.name.value in wrapped
                or any(
                    self.owners.flask(d.decorator) == "flask.stream_with_context"
                    for d in stmt.decorators
                )
            ):
                new, reads = self._hoist(stmt, taken)
                if reads:
                    changed = True
                    first = [
                        cst.parse_statement(f"{name} = {code}").with_changes(
                            leading_lines=stmt.leading_lines if i == 0 else []
                        )
                        for i, (name, code) in enumerate(reads.items())
                    ]
                    body += first
                    stmt = new.with_changes(leading_lines=[])
            body.append(stmt)
        if not changed:
            return updated
        self.converted()
        return updated.with_changes(body=updated.body.with_changes(body=body))

    def _hoist(
        self, generator: cst.FunctionDef, taken: set[str]
    ) -> tuple[cst.FunctionDef, dict[str, str]]:
        reads: dict[str, str] = {}  # local name → the expression it holds
        rule = self

        class Hoist(cst.CSTTransformer):
            def _swap(self, updated: cst.BaseExpression) -> cst.BaseExpression:
                found = _read_key(updated, rule.owners)
                if found is None:
                    return updated
                code = cst.Module([]).code_for_node(updated)
                name = _local_name(*found)
                if name is None or (name in taken and reads.get(name) != code):
                    return updated  # the request rules leave their TODO on it
                reads[name] = code
                return cst.Name(name)

            def leave_Call(self, original, updated):  # type: ignore[no-untyped-def]
                return self._swap(updated)

            def leave_Subscript(self, original, updated):  # type: ignore[no-untyped-def]
                return self._swap(updated)

        new = generator.visit(Hoist())
        taken.update(reads)
        return new, reads  # type: ignore[return-value]
