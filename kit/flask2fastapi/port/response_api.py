"""Rule `response-api`: Flask's (Werkzeug's) `Response` objects → Starlette's.

* `Response(body, status, headers, mimetype=, content_type=)` → `Response(body,
  status_code=, headers=, media_type=)` (`StreamingResponse` for a generator), with
  Werkzeug's default `text/html` written out (Starlette sends no Content-Type without
  one) and Werkzeug's charset kept (it adds one to XML and JavaScript types, Starlette
  only to `text/*`): the custom-responses page.
* `response = jsonify(...)` → `JSONResponse(...)` (the content-negotiation page), where
  the response is kept in a variable to be changed before it is returned.
* On such a variable: `response.status_code = s` just after it is built → the
  constructor's `status_code=`; `response.headers.add(k, v)` → `.append(k, v)` and
  `.extend(pairs)` → one `append` per pair (Starlette's repeated headers);
  `.headers.set(k, v)` → `.headers[k] = v`; `response.vary.add(v)` → Starlette's
  `response.headers.add_vary_header(v)`, which adds to the Vary header as Werkzeug's does;
  `response.mimetype` → `.media_type`; `response.content_type` →
  `.headers.get("content-type")`. What reads or writes alike (`.headers[k]`,
  `.headers.get`, `.status_code`, `.set_cookie`, `return response`) stays. Anything else
  on the object gets a TODO, and so does a constructor this rule cannot read.
* Outside a view, a returned `jsonify(...)` → `JSONResponse(...)`; any other `jsonify`
  or `make_response` there gets a TODO (Flask's app context is gone).
* In a view, `response.call_on_close(f)` → `background_tasks.add_task(f)` with a
  `background_tasks: BackgroundTasks` parameter (the background-work page): run once the
  answer is sent, as Werkzeug runs it once the response is closed.
* The same on the response of `await call_next(request)` in an after-request hook the
  `hooks` rule made an HTTP middleware (`response.vary.add("Cookie")`, seen in public apps).
"""

from __future__ import annotations

import re

import libcst as cst

from flask2fastapi.port.base import (
    FastVisitor,
    PortRule,
    add_param,
    arg,
    dotted,
    function_params,
    is_view,
    names_in,
    positional,
    string_value,
    with_todos,
)
from flask2fastapi.port.responses import tuple_helpers

#: Werkzeug's `get_content_type`: the types, besides `text/*` and `*+xml`, it gives a charset.
CHARSET_TYPES = {
    "application/ecmascript", "application/javascript", "application/sql", "application/xml",
    "application/xml-dtd", "application/xml-external-parsed-entity",
}  # fmt: skip
#: Werkzeug's Response(...) parameters, in their positional order.
WERKZEUG_PARAMS = ("response", "status", "headers", "mimetype", "content_type")
#: What Starlette's headers do as Werkzeug's (an attribute of `response.headers`).
HEADERS_ALIKE = {"get", "getlist", "items", "keys", "values", "setdefault"}
#: Starlette's own, written by this rule.
HEADERS_STARLETTE = {"append", "add_vary_header"}
#: Attributes of the response object that Starlette's has alike.
RESPONSE_ALIKE = {"status_code", "headers", "set_cookie", "delete_cookie"}
PAGE = "responses/custom-responses.md"
#: A response built into a variable (`response = jsonify(...)`), which may be changed after.
ASSIGNED = re.compile(r"=\s*(?:\w+\.)?(?:jsonify|make_response)\(")


def werkzeug_content_type(mimetype: str) -> str:
    """The Content-Type Werkzeug sends for `mimetype=` (`werkzeug.utils.get_content_type`
    with Flask's utf-8)."""
    if mimetype.startswith("text/") or mimetype in CHARSET_TYPES or mimetype.endswith("+xml"):
        return f"{mimetype}; charset=utf-8"
    return mimetype


def starlette_content_type(media_type: str) -> str:
    """The Content-Type Starlette's `Response(media_type=...)` sends (`init_headers`)."""
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        return f"{media_type}; charset=utf-8"
    return media_type


def _call(cls: str, parts: list[tuple[str | None, cst.BaseExpression]]) -> cst.Call:
    args = [arg(value, name) for name, value in parts]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Call(cst.Name(cls), [a.with_changes(comma=comma) for a in args[:-1]] + args[-1:])


class _Scan(FastVisitor):
    """One walk of the module: per function (by id), each plain name it assigns
    (`x = ...`, one target) with the values it gets (None for a name bound any other way:
    `for x`, `x += `, `with ... as x`), nested functions and classes apart; and the names
    of the functions that yield (a Response built on one streams)."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, list[cst.BaseExpression | None]] | None] = []
        self.functions: dict[int, dict[str, list[cst.BaseExpression | None]]] = {}
        self.names: list[str | None] = []
        self.generators: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(self.functions.setdefault(id(node), {}))
        self.names.append(node.name.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.names.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(None)
        self.names.append(None)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.pop()
        self.names.pop()

    visit_Lambda = visit_ClassDef  # type: ignore[assignment]
    leave_Lambda = leave_ClassDef  # type: ignore[assignment]

    def _bind(self, target: cst.BaseExpression | None, value: cst.BaseExpression | None) -> None:
        scope = self.scopes[-1] if self.scopes else None
        if scope is not None and isinstance(target, cst.Name):
            scope.setdefault(target.value, []).append(value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value if len(node.targets) == 1 else None)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None)

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.names and self.names[-1] is not None:
            self.generators.add(self.names[-1])


class ResponseApiRule(PortRule):
    id = "response-api"
    needs = ("Response", "jsonify", "make_response", "after_request", "call_next")

    def visit_Module(self, node: cst.Module) -> bool:
        self.made = False
        if not self._work_in(node):
            return False  # nothing of Flask's response API here: skip the walk
        scan = _Scan()
        node.visit(scan)
        self.generators = scan.generators
        self.assigned = scan.functions
        self.vars: list[set[str]] = []
        self.dicts: list[dict[str, list[cst.BaseExpression]]] = []
        self.streamed: list[set[str]] = []  # names bound to `await call_next(...)`
        self.background: list[bool] = []  # per function: needs `background_tasks`
        self.made = False
        self.targets: set[int] = set()  # ids of assignment targets
        self.bound: set[int] = set()  # ids of constructors assigned to a response variable
        self.returned: set[int] = set()  # ids of returned values
        self.tuples = tuple_helpers(node, self.owners)
        self.in_tuple: set[int] = set()  # ids of bodies of tuples `responses` converts
        return True

    def _work_in(self, module: cst.Module) -> bool:
        """Whether the module may hold what this rule rewrites: a `Response(...)`, a
        response kept in a variable, a hook's response, or `jsonify`/`make_response` in a
        function that is not a view (views' own are the `responses` rule's). A text check
        first: most modules only return `jsonify(...)` from views."""
        if not self.options.structure:
            return False
        if any(self.source_has(word) for word in ("Response(", "call_next", "after_request")):
            return True
        text = self.context.scratch.get("source")
        if text is None or ASSIGNED.search(text):
            return True
        return any(
            isinstance(s, cst.ClassDef)
            or (isinstance(s, cst.FunctionDef) and not is_view(s, self.owners))
            for s in module.body
        )

    # ------------------------------------------------------------------ constructors
    def _flask(self, node: cst.BaseExpression, name: str) -> bool:
        return isinstance(node, cst.Call) and self.owners.flask(node.func) == f"flask.{name}"

    def response_call(self, call: cst.Call) -> tuple[cst.Call | None, str]:
        """Starlette's spelling of Werkzeug's `Response(...)` call, or (None, why)."""
        given: dict[str, cst.BaseExpression] = {}
        for i, a in enumerate(call.args):
            if a.star:
                return None, "build the Starlette Response by hand (`*args`)"
            name = a.keyword.value if a.keyword else (
                WERKZEUG_PARAMS[i] if i < len(WERKZEUG_PARAMS) else None
            )  # fmt: skip
            if name not in WERKZEUG_PARAMS or name in given:
                return None, f"Starlette's Response has no `{name}`: build it by hand"
            given[name] = a.value
        body = given.get("response")
        cls = "Response"
        if self._flask(body, "stream_with_context"):
            body = body.args[0].value  # type: ignore[union-attr]  # FastAPI's keeps the request
        if isinstance(body, cst.Call) and dotted(body.func) in self.generators:
            cls = "StreamingResponse"
        elif isinstance(body, cst.List | cst.Tuple | cst.GeneratorExp):
            return None, "Starlette's Response takes str or bytes: join the body by hand"
        parts: list[tuple[str | None, cst.BaseExpression]] = [] if body is None else [(None, body)]
        status = given.get("status")
        if status is not None:
            if isinstance(status, cst.SimpleString | cst.FormattedString):
                return None, "Starlette takes the status as an int: `status_code=`"
            parts.append(("status_code", status))
        headers = given.get("headers")
        if headers is not None:
            if not self._a_dict(headers):
                return None, (
                    "Starlette takes headers as a dict: pass one, and `response.headers."
                    "append(name, value)` for a repeated header"
                )
            parts.append(("headers", headers))
        kind = given.get("content_type") or given.get("mimetype")
        if "content_type" in given and "mimetype" in given:
            return None, "pass `media_type=` by hand (both `mimetype` and `content_type`)"
        if kind is None:
            media = "text/html"  # Werkzeug's default mimetype; Starlette has none
        else:
            text = string_value(kind)
            if text is None:
                return None, (
                    "a computed type: Werkzeug adds `; charset=utf-8` to text, XML and "
                    "JavaScript types, Starlette only to text/*: pass `media_type=` by hand"
                )
            sent = text if "content_type" in given else werkzeug_content_type(text)
            if starlette_content_type(text) == sent:
                media = text
            elif starlette_content_type(sent) == sent:
                media = sent
            else:
                return None, (
                    f"Starlette would send `{starlette_content_type(text)}`: set the "
                    f"Content-Type header `{sent}` by hand"
                )
        parts.append(("media_type", cst.SimpleString(f'"{media}"')))
        return _call(cls, parts), cls

    def _a_dict(self, node: cst.BaseExpression) -> bool:
        """A dict literal, or a local name only ever bound to one."""
        if isinstance(node, cst.Dict):
            return True
        if isinstance(node, cst.Name) and self.dicts:
            values = self.dicts[-1].get(node.value) or [None]
            return all(isinstance(v, cst.Dict) for v in values)
        return False

    def jsonify_call(self, call: cst.Call) -> cst.Call | None:
        """`jsonify(x)` → `JSONResponse(x)`, `jsonify(k=v)` → `JSONResponse({"k": v})`."""
        args = call.args
        if len(args) == 1 and args[0].keyword is None and not args[0].star:
            return _call("JSONResponse", [(None, args[0].value)])
        if args and all(a.keyword is not None for a in args):
            keys = [
                cst.DictElement(cst.SimpleString(f'"{a.keyword.value}"'), a.value) for a in args
            ]  # type: ignore[union-attr]
            return _call("JSONResponse", [(None, cst.Dict(keys))])
        return None

    def _convertible(self, value: cst.BaseExpression | None, in_view: bool) -> bool:
        if value is None:
            return False
        if self._flask(value, "Response"):
            return self.response_call(value)[0] is not None  # type: ignore[arg-type]
        if self._flask(value, "jsonify"):
            return self.jsonify_call(value) is not None  # type: ignore[arg-type]
        if self._from_call_next(value):
            return True
        # make_response in a view: the `responses` rule makes it Starlette's.
        return in_view and self._flask(value, "make_response")

    @staticmethod
    def _from_call_next(value: cst.BaseExpression | None) -> bool:
        """`await call_next(request)`: the response an after-request hook gets once the
        `hooks` rule made it an HTTP middleware (Starlette's, streamed)."""
        return (
            isinstance(value, cst.Await)
            and isinstance(value.expression, cst.Call)
            and dotted(value.expression.func) == "call_next"
        )

    # ------------------------------------------------------------------ scopes
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        bound = self.assigned.get(id(node), {})
        view = is_view(node, self.owners)
        self.vars.append(
            {
                name
                for name, values in bound.items()
                if self.options.structure
                and any(v is not None and not isinstance(v, cst.Dict) for v in values)
                and all(self._convertible(v, view) for v in values)
            }
        )
        self.dicts.append(bound)
        self.streamed.append(
            {name for name, values in bound.items() if any(map(self._from_call_next, values))}
        )
        self.background.append(False)
        return super().visit_FunctionDef(node)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.background.pop():
            self.add_import("fastapi", "BackgroundTasks")
            updated = add_param(updated, "background_tasks: BackgroundTasks")
        return updated

    def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
        self.vars.pop()
        self.dicts.pop()
        self.streamed.pop()
        return super().leave_FunctionDef(original, updated)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.targets.add(id(node.target))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and self._var(node.targets[0].target):
            self.bound.add(id(node.value))  # converted with its assignment

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returned.add(id(node.value))
        if (
            isinstance(node.value, cst.Tuple)
            and len(self.functions) == 1
            and self.tuples.get(self.functions[0].name.value)
            and node.value.elements
        ):  # the `responses` rule converts this helper's tuple, jsonify included
            self.in_tuple.add(id(node.value.elements[0].value))

    def _outside_views(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`jsonify` and `make_response` in a function that is not a view (the `responses`
        rule has those in views): they need Flask's app context, a RuntimeError in FastAPI.
        A returned `jsonify(...)` is the `JSONResponse` it built; anything else a TODO."""
        if id(original) in self.bound or self.in_view or id(original) in self.in_tuple:
            return updated
        if self._flask(updated, "jsonify"):
            new = self.jsonify_call(updated) if id(original) in self.returned else None
            if new is not None:
                self.converted()
                self.drop_import("flask", "jsonify")
                self.add_import("fastapi.responses", "JSONResponse")
                return new
        if self._flask(updated, "jsonify") or self._flask(updated, "make_response"):
            self.todo(
                "this needs Flask's app context outside a view: build a JSONResponse "
                "(or HTMLResponse) here",
                "responses/json-responses.md",
            )
        return updated

    def _var(self, node: cst.BaseExpression) -> str | None:
        """The response variable `node` names, else None."""
        if isinstance(node, cst.Name) and self.vars and node.value in self.vars[-1]:
            return node.value
        return None

    # ------------------------------------------------------------------ rewrites
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.options.structure or not self.functions:
            return updated
        if self._flask(updated, "Response"):
            new, cls = self.response_call(updated)
            if new is None:
                self.todo(cls, PAGE)
                return updated
            self.converted()
            self.made = True
            if any(self._flask(a.value, "stream_with_context") for a in updated.args):
                self.drop_import("flask", "stream_with_context")
            self.add_import("fastapi.responses" if cls != "Response" else "fastapi", cls)
            return new
        if self._flask(updated, "jsonify") or self._flask(updated, "make_response"):
            return self._outside_views(original, updated)
        func = updated.func
        if not isinstance(func, cst.Attribute):
            return updated
        if (
            func.attr.value == "call_on_close"
            and self._var(func.value)
            and self.in_view
            and len(updated.args) == 1
            and not updated.args[0].keyword
            and not updated.args[0].star
            and "background_tasks" not in function_params(self.functions[-1])
            and "background_tasks" not in names_in(self.functions[-1])
        ):  # run once the answer is sent: FastAPI's BackgroundTasks (the background-work page)
            self.converted()
            self.background[-1] = True
            return cst.Call(cst.parse_expression("background_tasks.add_task"), [updated.args[0]])
        if func.attr.value == "call_on_close" and self._var(func.value):
            self.todo(
                "run it after the answer with BackgroundTasks in the view",
                "data/background-work.md",
            )
            return updated
        holder = func.value
        # response.headers.add / .vary.add
        if isinstance(holder, cst.Attribute) and self._var(holder.value):
            owner = holder.attr.value
            method = func.attr.value
            plain = len(positional(updated)) == len(updated.args)
            if owner == "headers" and method == "add" and plain and len(updated.args) == 2:
                self.converted()
                return updated.with_changes(func=func.with_changes(attr=cst.Name("append")))
            if owner == "vary" and method == "add" and plain and len(updated.args) == 1:
                self.converted()
                new_func = cst.Attribute(
                    cst.Attribute(holder.value, cst.Name("headers")), cst.Name("add_vary_header")
                )
                return updated.with_changes(func=new_func)
            if owner == "vary" or (owner == "headers" and method == "add"):
                self.todo(f"Starlette has no `{owner}.{method}` like this: port it by hand", PAGE)
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.BaseSmallStatement:
        if (
            len(updated.targets) == 1
            and self._var(updated.targets[0].target)
            and self._flask(updated.value, "jsonify")
        ):
            self.converted()
            self.drop_import("flask", "jsonify")
            self.add_import("fastapi.responses", "JSONResponse")
            return updated.with_changes(value=self.jsonify_call(updated.value))  # type: ignore[arg-type]
        return updated

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        name = self._var(updated.value)
        if name is None:
            return updated
        attr = updated.attr.value
        if id(original) in self.targets and attr in ("mimetype", "content_type"):
            self.todo("Starlette's Response writes its type when built: pass `media_type=`", PAGE)
            return updated
        if attr in ("mimetype", "content_type") and name in self.streamed[-1]:
            self.todo(
                f"read the type from `{name}.headers.get('content-type')` (a middleware's "
                "response has no `media_type`)",
                PAGE,
            )
            return updated
        if attr == "mimetype":
            self.converted()
            return updated.with_changes(attr=cst.Name("media_type"))
        if attr == "content_type":
            self.converted()
            return cst.parse_expression(f'{name}.headers.get("content-type")')
        if attr not in RESPONSE_ALIKE and attr not in ("vary", "call_on_close"):
            self.todo(f"Starlette's Response has no `{attr}`: port this line by hand", PAGE)
        return updated

    def _returned_tuple(self, line: cst.SimpleStatementLine) -> list[cst.BaseStatement] | None:
        """`return response, status[, headers]` → the status and headers set on the
        response, then `return response`, as Flask does with a response in a tuple (a
        headers dict updates the response's headers). None when it is not that shape."""
        small = line.body[0] if len(line.body) == 1 else None
        value = small.value if isinstance(small, cst.Return) else None
        if not isinstance(value, cst.Tuple) or not 2 <= len(value.elements) <= 3:
            return None
        parts = [e.value for e in value.elements]
        name = self._var(parts[0])
        if name is None or any(isinstance(e, cst.StarredElement) for e in value.elements):
            return None
        code = cst.Module([]).code_for_node
        status = headers = None
        if len(parts) == 3:
            status, headers = parts[1], parts[2]
        elif isinstance(parts[1], cst.Dict):
            headers = parts[1]
        else:
            status = parts[1]
        if status is not None and not isinstance(status, cst.Integer | cst.Name | cst.Attribute):
            return None
        if headers is not None and not isinstance(headers, cst.Dict):
            return None
        lines = [f"{name}.status_code = {code(status)}"] if status is not None else []
        lines += [f"{name}.headers.update({code(headers)})"] if headers is not None else []
        lines.append(f"return {name}")
        out = [cst.parse_statement(text) for text in lines]
        out[0] = out[0].with_changes(leading_lines=line.leading_lines)
        out[-1] = out[-1].with_changes(trailing_whitespace=line.trailing_whitespace)
        self.converted()
        return out

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        split = self._returned_tuple(updated)
        if split is not None:
            split[-1] = with_todos(split[-1], self._pop())
            return cst.FlattenSentinel(split)
        small = updated.body[0] if len(updated.body) == 1 else None
        call = small.value if isinstance(small, cst.Expr) else None
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
            holder = call.func.value
            if (
                isinstance(holder, cst.Attribute)
                and holder.attr.value == "headers"
                and self._var(holder.value)
            ):
                method = call.func.attr.value
                new = self._headers_statement(updated, holder, method, call)
                if new is not None:
                    self._pop()
                    return new
        return super().leave_SimpleStatementLine(original, updated)

    def _headers_statement(
        self, line: cst.SimpleStatementLine, headers: cst.Attribute, method: str, call: cst.Call
    ) -> cst.BaseStatement | None:
        """`response.headers.extend(pairs)` → a loop of `append`s; `.set(k, v)` →
        `response.headers[k] = v`. None: left (with a TODO if it differs)."""
        plain = len(positional(call)) == len(call.args)
        code = cst.Module([]).code_for_node
        if method == "set" and plain and len(call.args) == 2:
            self.converted()
            key, value = (code(a.value) for a in call.args)
            new = cst.parse_statement(f"{code(headers)}[{key}] = {value}")
            return new.with_changes(
                leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace
            )
        if method == "extend" and plain and len(call.args) == 1:
            given = call.args[0].value
            if isinstance(given, cst.Dict):
                pairs = f"{code(given)}.items()"
            elif isinstance(given, cst.List | cst.Tuple):
                pairs = code(given)
            else:  # a dict, a list of pairs or Headers: Werkzeug reads all three
                self.add_import("werkzeug.datastructures", "iter_multi_items")
                pairs = f"iter_multi_items({code(given)})"
            taken = names_in(self.functions[-1]) if self.functions else set()
            key, value = "header", "value"
            while key in taken or value in taken:
                key, value = key + "_", value + "_"
            self.converted()
            loop = cst.parse_statement(
                f"for {key}, {value} in {pairs}:\n    {code(headers)}.append({key}, {value})\n"
            )
            return loop.with_changes(leading_lines=line.leading_lines)
        if method in HEADERS_ALIKE | HEADERS_STARLETTE or method in ("add", "update"):
            return None
        self.todo(f"Starlette's headers have no `{method}`: port this line by hand", PAGE)
        return None

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """`r = JSONResponse(...)` then `r.status_code = s` → `JSONResponse(...,
        status_code=s)`: the status set where the response is built, as the pages do."""
        body = list(updated.body)
        out: list[cst.BaseStatement] = []
        i = 0
        while i < len(body):
            stmt = body[i]
            nxt = body[i + 1] if i + 1 < len(body) else None
            merged = self._fold(stmt, nxt) if nxt is not None else None
            if merged is not None:
                out.append(merged)
                i += 2
                continue
            out.append(stmt)
            i += 1
        return updated.with_changes(body=out) if len(out) != len(body) else updated

    def _fold(
        self, first: cst.BaseStatement, second: cst.BaseStatement
    ) -> cst.BaseStatement | None:
        if not (
            isinstance(first, cst.SimpleStatementLine)
            and isinstance(second, cst.SimpleStatementLine)
            and len(first.body) == 1
            and len(second.body) == 1
            and isinstance(first.body[0], cst.Assign)
            and isinstance(second.body[0], cst.Assign)
            and len(first.body[0].targets) == 1
            and len(second.body[0].targets) == 1
            and not any(line.comment for line in second.leading_lines)
            and second.trailing_whitespace.comment is None
            and first.trailing_whitespace.comment is None
        ):
            return None
        name = first.body[0].targets[0].target
        built = first.body[0].value
        target = second.body[0].targets[0].target
        if (
            not isinstance(name, cst.Name)
            or self._var(name) is None
            or not isinstance(built, cst.Call)
            or dotted(built.func) not in ("JSONResponse", "Response")
            or any(a.keyword and a.keyword.value == "status_code" for a in built.args)
            or not isinstance(target, cst.Attribute)
            or dotted(target) != f"{name.value}.status_code"
        ):
            return None
        status = second.body[0].value
        if name.value in names_in(status):
            return None
        args = list(built.args)
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = args[-1].with_changes(comma=comma)
        # after the body, before any other keyword: the order the pages write
        position = 1 if args and args[0].keyword is None else 0
        args.insert(position, arg(status, "status_code").with_changes(comma=comma))
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.converted()
        assign = first.body[0].with_changes(value=built.with_changes(args=args))
        return first.with_changes(body=[assign])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """Flask's `Response` import goes once a `Response(...)` is Starlette's: the name
        (an annotation, `isinstance`, a call left with its TODO) then means Starlette's
        class, as it would anyway under the `fastapi` import that follows."""
        if not self.made:
            return updated
        body = []
        for statement in updated.body:
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if (
                isinstance(small, cst.ImportFrom)
                and dotted(small.module) == "flask"
                and not isinstance(small.names, cst.ImportStar)
                and len(statement.body) == 1  # type: ignore[union-attr]
            ):
                names = [a for a in small.names if not (
                    a.asname is None and dotted(a.name) == "Response"
                )]  # fmt: skip
                if not names:
                    continue
                if len(names) != len(small.names):
                    names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    statement = statement.with_changes(body=[small.with_changes(names=names)])
            body.append(statement)
        return updated.with_changes(body=body)
