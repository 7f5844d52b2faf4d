"""Rules for what a view reads from the request.

* `request-args`: `request.args.get("page", 1, type=int)` → a query parameter
  `page: int = 1`; `request.args["q"]` → `q: str` (required); `getlist("tag")` →
  `tag: list[str] = Query([])`; `request.args.to_dict()` → the first value of each key
  from `request.query_params`. A value that does not convert answers 422 where Flask fell
  back to the default (the query-422 difference).
* `request-form`: the same for `request.form`, with `Form()` (python-multipart).
* `request-json`: `request.get_json()` / `request.json` in a view → a `body: dict[str, Any]`
  parameter, with a TODO to declare a Pydantic model (the json-body page).
* `request-object`: what is left of `request` in a view, when Starlette's `Request` reads it
  the same (`headers`, `cookies`, `method`), → a `request: Request` parameter; `request.path`
  → `request.url.path`. Any other use keeps a TODO.
"""

from __future__ import annotations

import keyword as pykeyword

import libcst as cst

from flask2fastapi.port.base import (
    PortRule,
    add_param,
    dotted,
    function_params,
    keyword,
    positional,
    string_value,
)

QUERY_TYPES = {"int": "int", "float": "float", "str": "str"}
#: Attributes of Flask's `request` that Starlette's `Request` reads alike.
SAME_ON_STARLETTE = {"headers", "cookies", "method"}
#: Attributes only Flask's `request` has: on a `request: Request` parameter, a leftover.
FLASK_ONLY = {"args", "form", "files", "values", "endpoint", "blueprint", "view_args",
              "remote_addr", "get_data", "data", "accept_mimetypes", "full_path", "host_url",
              "is_json", "mimetype", "content_length", "authorization", "user_agent"}  # fmt: skip
#: Attributes only Starlette's `Request` has (another rule already wrote them).
STARLETTE_ONLY = {"url_for", "state", "app", "query_params", "path_params", "client", "body"}


def _literal(node: cst.BaseExpression) -> bool:
    """A default FastAPI can hold in a signature: a number, a string, None/True/False."""
    if isinstance(node, cst.UnaryOperation):
        node = node.expression
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    return isinstance(node, cst.Integer | cst.Float | cst.SimpleString)


class _ParamsRule(PortRule):
    """A rule that adds parameters to the view it is in: `self.wanted[-1]` collects them."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.wanted: list[dict[str, str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.wanted.append({})
        return super().visit_FunctionDef(node)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        wanted = self.wanted.pop()
        if "request" in wanted:  # Request first, as FastAPI's docs write it
            wanted = {"request": wanted.pop("request"), **wanted}
        for code in wanted.values():
            updated = add_param(updated, code)
        if wanted:
            self.drop_import("flask", "request")
        return updated

    def is_request(self, node: cst.BaseExpression) -> bool:
        return self.owners.flask(node) == "flask.request"

    def free_name(self, name: str) -> bool:
        fn = self.functions[-1]
        return (
            name.isidentifier()
            and not pykeyword.iskeyword(name)
            and name not in function_params(fn)
            and name != "request"
        )


class RequestArgsRule(_ParamsRule):
    id = "request-args"
    needs = ("request",)
    source = "args"  # request.<source>
    page_path = "routing/query-parameters.md"

    def spell(self, name: str, annotation: str, default: str | None, many: bool) -> str:
        """The parameter's code: `page: int = 1`, `q: str`, `tag: list[str] = Query([])`."""
        if many:
            self.add_import("fastapi", "Query")
            return f"{name}: list[str] = Query([])"
        if default is None:
            return f"{name}: {annotation}"
        if default == "None":
            return f"{name}: {annotation} | None = None"
        return f"{name}: {annotation} = {default}"

    def _is_source(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value == self.source
            and self.is_request(node.value)
        )

    def _use(self, name: str, code: str, updated: cst.BaseExpression) -> cst.BaseExpression:
        previous = self.wanted[-1].get(name)
        if previous is not None and previous != code:
            self.todo("this value is read twice in different ways: merge by hand", self.page_path)
            return updated
        self.wanted[-1][name] = code
        self.converted()
        return cst.Name(name)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not self.in_view or not isinstance(func, cst.Attribute):
            return updated
        if (
            self.source == "args"
            and func.attr.value == "to_dict"
            and not updated.args
            and self._is_source(func.value)
            and "request" not in function_params(self.functions[-1])
        ):
            # The first value of each key, as Werkzeug's MultiDict.to_dict() keeps (a plain
            # dict of Starlette's QueryParams would keep the last).
            self.add_import("fastapi", "Request")
            self.wanted[-1]["request"] = "request: Request"
            self.converted()
            return cst.parse_expression("dict(reversed(request.query_params.multi_items()))")
        if not self._is_source(func.value) or func.attr.value not in ("get", "getlist"):
            return updated
        args = positional(updated)
        name = string_value(args[0].value) if args else None
        if name is None or not self.free_name(name):
            self.todo("declare this parameter by hand (alias=...)", self.page_path)
            return updated
        if func.attr.value == "getlist":
            if len(updated.args) != 1:
                self.todo("declare this list parameter by hand", self.page_path)
                return updated
            return self._use(name, self.spell(name, "str", None, True), updated)
        type_arg = keyword(updated, "type")
        default_node = keyword(updated, "default") or (args[1] if len(args) > 1 else None)
        extra = len(updated.args) - 1 - (type_arg is not None) - (default_node is not None)
        annotation = QUERY_TYPES.get(dotted(type_arg.value) or "") if type_arg else "str"
        if annotation is None or extra:
            self.todo("declare this parameter with its type by hand", self.page_path)
            return updated
        if default_node is not None and not _literal(default_node.value):
            self.todo("a default computed at request time: declare it by hand", self.page_path)
            return updated
        default = (
            "None" if default_node is None else cst.Module([]).code_for_node(default_node.value)
        )
        return self._use(name, self.spell(name, annotation, default, False), updated)

    def leave_Subscript(
        self, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.BaseExpression:
        if not self.in_view or not self._is_source(updated.value) or len(updated.slice) != 1:
            return updated
        index = updated.slice[0].slice
        name = string_value(index.value) if isinstance(index, cst.Index) else None
        if name is None or not self.free_name(name):
            self.todo("declare this parameter by hand (alias=...)", self.page_path)
            return updated
        return self._use(name, self.spell(name, "str", None, False), updated)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        # `page = request.args.get("page")` became `page = page`: the line goes.
        body = updated.body
        if (
            len(body) == 1
            and isinstance(body[0], cst.Assign)
            and len(body[0].targets) == 1
            and isinstance(body[0].targets[0].target, cst.Name)
            and isinstance(body[0].value, cst.Name)
            and body[0].targets[0].target.value == body[0].value.value
            and not original.deep_equals(updated)
        ):
            self._pop()
            return cst.RemoveFromParent()
        return super().leave_SimpleStatementLine(original, updated)


class RequestFormRule(RequestArgsRule):
    id = "request-form"
    source = "form"
    page_path = "requests/form-data.md"

    def spell(self, name: str, annotation: str, default: str | None, many: bool) -> str:
        self.add_import("fastapi", "Form")
        if many:
            return f"{name}: list[str] = Form([])"
        if default is None:
            return f"{name}: {annotation} = Form()"
        if default == "None":
            return f"{name}: {annotation} | None = Form(None)"
        return f"{name}: {annotation} = Form({default})"


class RequestJsonRule(_ParamsRule):
    id = "request-json"
    needs = ("request",)

    def _replace(self) -> cst.BaseExpression | None:
        name = "body"
        if not self.free_name(name) and name not in self.wanted[-1]:
            return None
        self.add_import("typing", "Any")
        self.wanted[-1][name] = f"{name}: dict[str, Any]"
        self.converted()
        self.todo("declare a Pydantic model for this body (the fields the view reads)")
        return cst.Name(name)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "get_json"):
            return updated
        if not self.is_request(func.value):
            return updated
        if not self.in_view or updated.args:
            self.todo("read the body through a parameter of the view (a Pydantic model)")
            return updated
        return self._replace() or updated

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if updated.attr.value != "json" or not self.is_request(updated.value):
            return updated
        if not self.in_view:
            self.todo("read the body through a parameter of the view (a Pydantic model)")
            return updated
        return self._replace() or updated


class RequestObjectRule(_ParamsRule):
    id = "request-object"
    needs = ("request",)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.uses: list[list[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.uses.append([])
        return super().visit_FunctionDef(node)

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if not self.functions or (
            not self.is_request(updated.value)
            and not (
                self.in_view
                and dotted(updated.value) == "request"
                and "request" in function_params(self.functions[-1])
            )
        ):
            return updated
        attr = updated.attr.value
        if attr in ("get_json", "json"):
            return updated  # the request-json rule's
        if not self.is_request(updated.value) and attr not in FLASK_ONLY:
            return updated  # already Starlette's Request (a parameter of the view)
        if not self.in_view:
            self.todo(f"`request.{attr}` outside a view: pass the value from the view",
                      "requests/request-object.md")  # fmt: skip
            return updated
        self.uses[-1].append(attr)
        if attr == "path":
            self.converted()
            return cst.parse_expression("request.url.path")
        if attr in SAME_ON_STARLETTE:
            self.converted()
        elif attr not in STARLETTE_ONLY:
            self.todo(f"Starlette's Request has no `{attr}`: port this line by hand")
        return updated

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        uses = self.uses.pop()
        if uses and "request" not in function_params(updated):
            self.add_import("fastapi", "Request")
            self.wanted[-1]["request"] = "request: Request"
        return super().rewrite_function(original, updated)
