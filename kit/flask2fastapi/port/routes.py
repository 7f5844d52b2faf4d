"""Rule `routes`: `@x.route(rule, methods=[...])`, `@x.get(...)`… and `add_url_rule` →
FastAPI route decorators, with Werkzeug converters as typed path parameters.

One decorator per method set (`api_route` when there are several); `name=` keeps the
Flask endpoint where FastAPI's default (the function's name) would differ, so `url_for`
calls keep working as `request.url_for` (a blueprint's `login` is `"auth.login"`).
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.base import (
    HTTP_METHODS,
    ROUTE_DECORATORS,
    PortRule,
    arg,
    dotted,
    expr,
    keyword,
    positional,
    quoted,
    string_value,
)
from flask2fastapi.port.discovery import fastapi_path

#: Route options FastAPI has no counterpart for: left with a TODO.
UNSUPPORTED_OPTIONS = {
    "strict_slashes", "defaults", "host", "subdomain", "redirect_to",
    "provide_automatic_options", "merge_slashes", "build_only", "alias",
}  # fmt: skip


class RoutesRule(PortRule):
    id = "routes"
    needs = ("route", ".get", ".post", ".put", ".delete", ".patch", "add_url_rule")

    def visit_Module(self, node: cst.Module) -> bool:
        # `Path` may already be pathlib's: then FastAPI's goes in as `PathParam`.
        code = node.code
        self.path_name = "PathParam" if "import Path" in code and "fastapi" not in code else "Path"
        return True

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.options.structure:
            return updated
        decorators, params = [], {}
        for decorator in updated.decorators:
            new = self._decorator(decorator, updated.name.value)
            if new is None:
                decorators.append(decorator)
                continue
            converted, path_params = new
            decorators.append(converted)
            params.update(path_params)
        if params:
            updated = self._annotate(updated, params)
            named = {p.name.value for p in (*updated.params.params, *updated.params.kwonly_params)}
            missing = sorted(set(params) - named)
            if missing:
                self.todo(f"FastAPI passes path parameters by name: add {', '.join(missing)}")
        return updated.with_changes(decorators=decorators)

    # --------------------------------------------------------------------- decorators
    def _decorator(
        self, decorator: cst.Decorator, func: str
    ) -> tuple[cst.Decorator, dict[str, str]] | None:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return None
        owner = dotted(call.func.value)
        kind = call.func.attr.value
        if owner not in self.owners or kind not in ROUTE_DECORATORS:
            return None
        args = positional(call)
        rule = string_value(args[0].value) if args else None
        if rule is None or len(args) > 1:
            self._todo_on(decorator, "write the path as one string literal, then rerun")
            return None
        if kind == "route":
            methods = self._methods(call)
            if methods is None:
                self._todo_on(decorator, "list the methods as string literals, then rerun")
                return None
        else:
            methods = [kind.upper()]
        unsupported = [
            a.keyword.value for a in call.args
            if a.keyword and a.keyword.value in UNSUPPORTED_OPTIONS
        ]  # fmt: skip
        if unsupported:
            self._todo_on(decorator, f"FastAPI has no `{unsupported[0]}`: port it by hand")
            return None
        endpoint_arg = keyword(call, "endpoint")
        if endpoint_arg is None and owner in self.owners.apps:
            endpoint_arg = keyword(call, "name")  # a port's own `name=`: a rerun keeps it
        endpoint = string_value(endpoint_arg.value) if endpoint_arg else func
        if endpoint is None:
            self._todo_on(decorator, "give `endpoint` as a string literal, then rerun")
            return None
        built = self._build(owner, rule, methods, endpoint, func)
        if built is None:
            return None
        new_call, path_params = built
        if owner not in self.owners.ported or not new_call.deep_equals(call):
            self.converted()  # (a port's own `@app.get(...)`, as it was, is no conversion)
        return decorator.with_changes(decorator=new_call), path_params

    def _todo_on(self, decorator: cst.Decorator, text: str) -> None:
        # The decorator is already left: its TODO goes on the `def` line.
        self.todo(text)

    def _methods(self, call: cst.Call) -> list[str] | None:
        found = keyword(call, "methods")
        if found is None:
            return ["GET"]
        if not isinstance(found.value, cst.List | cst.Tuple | cst.Set):
            return None
        methods = [string_value(e.value) for e in found.value.elements]
        if any(m is None for m in methods):
            return None
        return [m.upper() for m in methods if m]  # type: ignore[union-attr]

    def _build(
        self, owner: str, rule: str, methods: list[str], endpoint: str, func: str
    ) -> tuple[cst.Call, dict[str, str]] | None:
        declared = sorted(set(methods) - {"HEAD", "OPTIONS"}) or sorted(set(methods))
        if self.options.keep_flask_answers and "GET" in declared and "HEAD" not in declared:
            declared = sorted({*declared, "HEAD"})  # Flask answers HEAD on every GET route
        path, params = fastapi_path(rule, self.path_name)
        for p in params:
            for module, name in p.imports:
                if (module, name) == ("fastapi", "Path") and self.path_name != "Path":
                    self.add_import("fastapi", "Path", self.path_name)
                else:
                    self.add_import(module, name)
        if owner in self.owners.blueprints:
            name = f"{self.owners.blueprints[owner]}.{endpoint}"
        else:
            name = endpoint if endpoint != func else None
        args = [arg(quoted(path))]
        if len(declared) == 1 and declared[0].lower() in (*HTTP_METHODS, "head", "options"):
            method = declared[0].lower()
        else:
            method = "api_route"
            listed = ", ".join(f'"{m}"' for m in declared)
            args.append(arg(expr(f"[{listed}]"), "methods"))
        if name is not None:
            args.append(arg(quoted(name), "name"))
        call = cst.Call(func=expr(f"{owner}.{method}"), args=_commas(args))
        return call, {p.name: p.annotation for p in params}

    # --------------------------------------------------------------------- parameters
    def _annotate(self, node: cst.FunctionDef, params: dict[str, str]) -> cst.FunctionDef:
        new_params = []
        for p in node.params.params:
            wanted = params.get(p.name.value)
            current = dotted(p.annotation.annotation) if p.annotation else None
            if wanted and (p.annotation is None or current in ("int", "float", "str", "UUID")):
                p = p.with_changes(annotation=cst.Annotation(expr(wanted)))
            new_params.append(p)
        return node.with_changes(params=node.params.with_changes(params=new_params))

    # --------------------------------------------------------------------- add_url_rule
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.options.structure or not isinstance(updated.func, cst.Attribute):
            return updated
        owner = dotted(updated.func.value)
        if owner not in self.owners or updated.func.attr.value != "add_url_rule":
            return updated
        args = positional(updated)
        rule = string_value(args[0].value) if args else None
        endpoint_node = keyword(updated, "endpoint") or (args[1] if len(args) > 1 else None)
        view = keyword(updated, "view_func") or (args[2] if len(args) > 2 else None)
        if rule is None or view is None or not isinstance(view.value, cst.Name):
            self.todo("register this view with add_api_route by hand")
            return updated
        func = view.value.value
        endpoint = string_value(endpoint_node.value) if endpoint_node else func
        methods = self._methods(updated)
        if endpoint is None or methods is None:
            self.todo("give the endpoint and methods as literals, then rerun")
            return updated
        path, params = fastapi_path(rule, self.path_name)
        if any(p.annotation != "str" for p in params):
            self.todo(f"annotate the path parameters of `{func}` ({path})")
        declared = sorted(set(methods) - {"HEAD", "OPTIONS"}) or sorted(set(methods))
        new = [arg(quoted(path)), arg(cst.Name(func))]
        new.append(arg(expr("[" + ", ".join(f'"{m}"' for m in declared) + "]"), "methods"))
        if owner in self.owners.blueprints:
            new.append(arg(quoted(f"{self.owners.blueprints[owner]}.{endpoint}"), "name"))
        elif endpoint != func:
            new.append(arg(quoted(endpoint), "name"))
        self.converted()
        return cst.Call(func=expr(f"{owner}.add_api_route"), args=_commas(new))


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=comma) for a in args[:-1]] + args[-1:]
