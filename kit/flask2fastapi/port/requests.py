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
import re
from contextvars import ContextVar
from dataclasses import dataclass

import libcst as cst

from flask2fastapi.port.base import (
    FastVisitor,
    Owners,
    PortRule,
    add_param,
    dotted,
    function_params,
    is_view,
    keyword,
    page_url,
    positional,
    string_value,
    with_todos,
)

QUERY_TYPES = {"int": "int", "float": "float", "str": "str"}
#: Attributes of Flask's `request` that Starlette's `Request` reads alike.
SAME_ON_STARLETTE = {"headers", "cookies", "method"}
#: Attributes only Flask's `request` has: on a `request: Request` parameter, a leftover.
FLASK_ONLY = {"args", "form", "files", "values", "endpoint", "blueprint", "view_args",
              "remote_addr", "get_data", "data", "accept_mimetypes", "full_path", "host_url",
              "is_json", "mimetype", "content_length", "authorization", "user_agent"}  # fmt: skip
#: Flask's `request.<attr>` → the same value read from Starlette's Request (the
#: request-object page's table; `client` is None without a peer address, as in tests).
STARLETTE_SPELLING = {
    "url": "str(request.url)",
    "remote_addr": 'getattr(request.client, "host", None)',
}
#: What Werkzeug's FileStorage and Starlette's UploadFile both have, alike.
UPLOADFILE_SAME = {"filename", "content_type", "headers", "file", "size"}
#: Attributes only Starlette's `Request` has (another rule already wrote them).
STARLETTE_ONLY = {"url_for", "state", "app", "query_params", "path_params", "client", "body"}


def _module_names(module: cst.Module) -> list[cst.Name]:
    """The names the module's top-level classes, functions and assignments bind."""
    found = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            found.append(statement.name)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                for target in getattr(small, "targets", ()):
                    if isinstance(target.target, cst.Name):
                        found.append(target.target)
    return found


def _literal(node: cst.BaseExpression) -> bool:
    """A default FastAPI can hold in a signature: a number, a string, None/True/False."""
    if isinstance(node, cst.UnaryOperation):
        node = node.expression
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    return isinstance(node, cst.Integer | cst.Float | cst.SimpleString)


def made_async(rule: PortRule, fn: cst.FunctionDef, what: str) -> cst.FunctionDef:
    """`fn` as an `async def`, which reading `what` needs, with a TODO on its line: a
    blocking call left in it would stall every request (the blocking-calls page)."""
    if fn.asynchronous is not None:
        return fn
    rule._pending[-1].append(
        f"TODO(flask2fastapi {rule.id}): now `async def` to await {what}: move any "
        f"blocking call out of it — {page_url('async/blocking-calls.md')}"
    )
    return fn.with_changes(asynchronous=cst.Asynchronous())


class _ParamsRule(PortRule):
    """A rule that adds parameters to the view it is in: `self.wanted[-1]` collects them."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.wanted: list[dict[str, str]] = []
        self.awaits: list[bool] = []  # per function: does it now await the request

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

    @classmethod
    def applies(cls, code, options):  # type: ignore[no-untyped-def]
        # Each conversion and TODO of the rule starts at a `request.<source>` attribute.
        return super().applies(code, options) and cls.source in code

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

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.awaits.append(False)
        return super().visit_FunctionDef(node)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        # request.form.to_dict() → the first value of each key of `await request.form()`
        # (the flask-wtf-forms page reads the form so), in an `async def`.
        func = updated.func
        if (
            self.in_view
            and len(self.functions) == 1
            and isinstance(func, cst.Attribute)
            and func.attr.value == "to_dict"
            and not updated.args
            and self._is_source(func.value)
            and "request" not in function_params(self.functions[-1])
        ):
            self.add_import("fastapi", "Request")
            self.wanted[-1]["request"] = "request: Request"
            self.awaits[-1] = True
            self.converted()
            return cst.parse_expression("dict(reversed((await request.form()).multi_items()))")
        return super().leave_Call(original, updated)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.awaits.pop():
            updated = made_async(self, updated, "the form")
        return super().rewrite_function(original, updated)


class RequestFilesRule(RequestArgsRule):
    """`request.files["f"]` → `f: UploadFile`, `.get("f")` → `f: UploadFile | None = None`
    (the file-uploads page); then, on that name, `.save(out)` into a file opened by a `with`
    → `shutil.copyfileobj(f.file, out)`, `.read()` → `f.file.read()` (`await f.read()` in an
    `async def`), `.stream` → `f.file`. Any other use of the upload keeps a TODO."""

    id = "request-files"
    source = "files"
    page_path = "requests/file-uploads.md"

    def spell(self, name: str, annotation: str, default: str | None, many: bool) -> str:
        self.add_import("fastapi", "UploadFile")
        return f"{name}: UploadFile | None = None" if default == "None" else f"{name}: UploadFile"

    def _use(self, name: str, code: str, updated: cst.BaseExpression) -> cst.BaseExpression:
        # `"f" in request.files` made `f` optional: a later `request.files["f"]` reads it.
        if self.wanted[-1].get(name, "").endswith("| None = None"):
            self.converted()
            return cst.Name(name)
        return super()._use(name, code, updated)

    def leave_Comparison(
        self, original: cst.Comparison, updated: cst.Comparison
    ) -> cst.BaseExpression:
        # `"f" not in request.files` → `f is None`, with `f: UploadFile | None = None`: the
        # view's own answer for a missing part stays, instead of FastAPI's 422 before it.
        if not self.in_view or len(updated.comparisons) != 1:
            return updated
        target = updated.comparisons[0]
        name = string_value(updated.left)
        if not isinstance(target.operator, cst.In | cst.NotIn) or not self._is_source(
            target.comparator
        ):
            return updated
        if name is None or not self.free_name(name):
            return updated
        previous = self.wanted[-1].get(name)
        code = self.spell(name, "", "None", False)
        if previous is not None and previous != code:
            self.todo("the view reads this upload before checking it: merge by hand")
            return updated
        self.wanted[-1][name] = code
        self.converted()
        test = "is None" if isinstance(target.operator, cst.NotIn) else "is not None"
        return cst.parse_expression(f"{name} {test}")

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if (
            self.in_view
            and isinstance(func, cst.Attribute)
            and self._is_source(func.value)
            and (func.attr.value != "get" or len(updated.args) != 1)
        ):
            self.todo("declare this upload by hand (`list[UploadFile]`, `File()`)", self.page_path)
            return updated
        return super().leave_Call(original, updated)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        uploads = {name for name, code in self.wanted[-1].items() if "UploadFile" in code}
        updated = super().rewrite_function(original, updated)
        if not uploads:
            return updated
        names = {n.value for n in _names(updated)}
        uses = _UploadUses(self, uploads, updated.asynchronous is not None, names)
        return updated.with_changes(body=updated.body.visit(uses))


#: Calls that return a path: `os.path.join(...)`, `Path(...)`…
PATH_CALLS = {"os.path.join", "Path", "pathlib.Path", "str", "os.fspath", "safe_join"}


def _names(node: cst.CSTNode) -> list[cst.Name]:
    class Names(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.Name] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.found.append(node)

    finder = Names()
    node.visit(finder)
    return finder.found


def _path_like(node: cst.BaseExpression, paths: set[str]) -> bool:
    """An expression that is a path, not an open file: a string, a path call, `a / b`,
    or a name bound to one of these in the view."""
    if isinstance(node, cst.SimpleString | cst.FormattedString | cst.ConcatenatedString):
        return True
    if isinstance(node, cst.Call):
        return dotted(node.func) in PATH_CALLS
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        return _path_like(node.left, paths)
    return isinstance(node, cst.Name) and node.value in paths


class _UploadUses(cst.CSTTransformer):
    """Werkzeug `FileStorage` uses → `UploadFile`, on the names in `uploads`."""

    def __init__(
        self, rule: RequestFilesRule, uploads: set[str], is_async: bool, names: set[str]
    ) -> None:
        super().__init__()
        self.names = names  # every name the view spells: a new one must not clash
        self.rule = rule
        self.uploads = uploads
        self.is_async = is_async
        self.opened: set[str] = set()  # names bound by `with ... as name`
        self.paths: set[str] = set()  # names bound to a path (see `_path_like`)
        self.pending: list[list[str]] = []

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            self.opened.add(node.asname.name.value)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.pending.append([])

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(target, cst.Name) and _path_like(node.value, self.paths):
            self.paths.add(target.value)
        if isinstance(target, cst.Name) and dotted(node.value) in self.uploads:
            self.uploads.add(target.value)  # `file = attachment`: the same upload

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        todos = self.pending.pop()
        # `f.save(path)` → what Werkzeug's FileStorage.save does with a path: open it
        # "wb" and copy the upload into it.
        call = updated.body[0].value if len(updated.body) == 1 else None
        if (
            isinstance(updated.body[0], cst.Expr)
            and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "save"
            and dotted(call.func.value) in self.uploads
            and len(call.args) == 1
            and call.args[0].keyword is None
            and _path_like(call.args[0].value, self.paths)
        ):
            self.rule.add_import("shutil")
            self.rule.converted()
            code = cst.Module([]).code_for_node
            out = next(n for n in ("out", "target_file", "saved_file") if n not in self.names)
            block = cst.parse_statement(
                f'with open({code(call.args[0].value)}, "wb") as {out}:\n'
                f"    shutil.copyfileobj({dotted(call.func.value)}.file, {out})\n"
            )
            comment = updated.trailing_whitespace.comment
            if comment is not None:
                header = block.body.header.with_changes(  # type: ignore[attr-defined]
                    whitespace=cst.SimpleWhitespace("  "), comment=comment
                )
                block = block.with_changes(body=block.body.with_changes(header=header))  # type: ignore[attr-defined]
            return block.with_changes(leading_lines=updated.leading_lines)
        return with_todos(updated, todos)

    def _todo(self, text: str) -> None:
        if self.pending:
            address = page_url(self.rule.page_path)
            self.pending[-1].append(f"TODO(flask2fastapi {self.rule.id}): {text} — {address}")

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not isinstance(func, cst.Attribute) or dotted(func.value) not in self.uploads:
            return updated
        name, method = dotted(func.value), func.attr.value
        if method == "save":
            target = updated.args[0].value if len(updated.args) == 1 else None
            if isinstance(target, cst.Name) and target.value in self.opened:
                self.rule.add_import("shutil")
                self.rule.converted()
                return cst.parse_expression(f"shutil.copyfileobj({name}.file, {target.value})")
            if target is not None and _path_like(target, self.paths):
                return updated  # the statement becomes a `with open(...)` block
            self._todo(f"open the target and copy `{name}.file` into it (`shutil.copyfileobj`)")
        elif method == "read" and not updated.args:
            self.rule.converted()
            if self.is_async:
                return cst.Await(cst.parse_expression(f"{name}.read()"))
            return cst.parse_expression(f"{name}.file.read()")
        return updated

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if dotted(updated.value) not in self.uploads:
            return updated
        attr = updated.attr.value
        if attr == "stream":
            self.rule.converted()
            return updated.with_changes(attr=cst.Name("file"))
        if attr not in UPLOADFILE_SAME and attr not in ("save", "read"):
            self._todo(f"UploadFile has no `{attr}`: port this line by hand")
        return updated


@dataclass
class _Stub:
    """A view's JSON body model: `var = request.get_json()` and only `var["k"]` /
    `var.get("k"[, default])` reads after it. `fields`: key → its default's code (None:
    required)."""

    model: str
    var: str
    fields: dict[str, str | None]


class _BodyReads(cst.CSTVisitor):
    """Whether a view reads its JSON body only by constant keys (see `_Stub`)."""

    def __init__(self, rule: RequestJsonRule) -> None:
        self.rule = rule
        self.var: str | None = None
        self.bodies = 0  # request.get_json / request.json occurrences
        self.var_names = 0  # Name nodes spelling `var`, but the assignment's target
        self.reads = 0  # ... of which key reads
        self.fields: dict[str, str | None] = {}
        self.ok = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("get_json", "json") and self.rule.is_request(node.value):
            self.bodies += 1

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.var:
            self.var_names += 1

    def _field(self, key: str | None, default: str | None) -> None:
        if (
            key is None
            or not key.isidentifier()
            or pykeyword.iskeyword(key)
            or (key.startswith(("_", "model_")))
        ):
            self.ok = False
            return
        self.reads += 1
        if key in self.fields and self.fields[key] != default:
            self.fields[key] = None  # read both ways: required (a missing key raised)
        else:
            self.fields.setdefault(key, default)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if dotted(node.value) == self.var and len(node.slice) == 1:
            index = node.slice[0].slice
            self._field(string_value(index.value) if isinstance(index, cst.Index) else None, None)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and dotted(func.value) == self.var
        ):
            args = positional(node)
            if len(args) != len(node.args) or not 1 <= len(args) <= 2:
                self.ok = False
                return
            if len(args) == 2 and not _literal(args[1].value):
                self.ok = False
                return
            default = cst.Module([]).code_for_node(args[1].value) if len(args) == 2 else "None"
            self._field(string_value(args[0].value), default)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Subscript) and dotted(node.target.value) == self.var:
            self.ok = False  # the view writes into the body: keep the dict


def _stub(rule: RequestJsonRule, fn: cst.FunctionDef) -> _Stub | None:
    if not isinstance(fn.body, cst.IndentedBlock):
        return None
    var = None
    for statement in fn.body.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        value = getattr(small, "value", None)
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and (
                (isinstance(value, cst.Call) and not value.args
                 and dotted(value.func) is not None and dotted(value.func).endswith(".get_json"))
                or (dotted(value) or "").endswith(".json")
            )
        ):  # fmt: skip
            var = small.targets[0].target.value
            break
    if var is None or var in function_params(fn):
        return None
    reads = _BodyReads(rule)
    reads.var = var
    fn.body.visit(reads)
    # One body read, one binding of `var` (its target is one of the names), every other
    # use a key read.
    if not (reads.ok and reads.fields and reads.bodies == 1 and reads.var_names == reads.reads + 1):
        return None
    model = "".join(part.capitalize() for part in fn.name.value.split("_")) + "Body"
    return _Stub(model, var, reads.fields)


class RequestJsonRule(_ParamsRule):
    """`var = request.get_json()` read only by constant keys → a Pydantic model stub of
    those keys (`Any`; a `.get` key optional with its default) and `var.key`; any other
    body → `dict[str, Any]` with a TODO to declare the model (the json-body page)."""

    id = "request-json"
    needs = ("request",)

    def visit_Module(self, node: cst.Module) -> bool:
        self.taken = {
            n.value for n in _module_names(node)
        }  # a model stub never shadows a name of the module
        self.stubs: list[_Stub | None] = []
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        stub = None
        if not self.functions and is_view(node, self.owners):
            stub = _stub(self, node)
            if stub is not None and stub.model in self.taken:
                stub = None
        self.stubs.append(stub)
        return super().visit_FunctionDef(node)

    def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
        stub = self.stubs.pop()
        updated = super().leave_FunctionDef(original, updated)
        if stub is None or self.functions:
            return updated
        self.taken.add(stub.model)
        for module, name in (("pydantic", "BaseModel"), ("pydantic", "ConfigDict"),
                             ("typing", "Any")):  # fmt: skip
            self.add_import(module, name)
        lines = [
            f"class {stub.model}(BaseModel):",
            "    # No NaN, no lone surrogate once a field is typed: JSON cannot carry them back.",
            "    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)",
            "",
            "    # The keys the view reads, as flask2fastapi port found them: type each field.",
        ]
        for key, default in stub.fields.items():
            lines.append(f"    {key}: Any" + ("" if default is None else f" = {default}"))
        model = cst.parse_statement("\n".join(lines) + "\n").with_changes(
            leading_lines=updated.leading_lines
        )
        return cst.FlattenSentinel(
            [model, updated.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])]
        )

    def _stub_here(self) -> _Stub | None:
        return self.stubs[0] if self.stubs and len(self.functions) == 1 else None

    def leave_Subscript(
        self, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.BaseExpression:
        stub = self._stub_here()
        if stub is None or dotted(updated.value) != stub.var:
            return updated
        index = updated.slice[0].slice
        return cst.Attribute(value=updated.value, attr=cst.Name(string_value(index.value)))  # type: ignore[arg-type,attr-defined]

    def _replace(self) -> cst.BaseExpression | None:
        name = "body"
        if not self.free_name(name) and name not in self.wanted[-1]:
            return None
        stub = self._stub_here()
        if stub is not None:
            self.wanted[-1][name] = f"{name}: {stub.model}"
            self.converted()
            return cst.Name(name)
        self.add_import("typing", "Any")
        self.wanted[-1][name] = f"{name}: dict[str, Any]"
        self.converted()
        self.todo("declare a Pydantic model for this body (the fields the view reads)")
        return cst.Name(name)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        stub = self._stub_here()
        if (
            stub is not None
            and isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and dotted(func.value) == stub.var
        ):
            key = string_value(positional(updated)[0].value)
            return cst.Attribute(value=func.value, attr=cst.Name(key))  # type: ignore[arg-type]
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


#: Flask's `request.accept_mimetypes` → the content-negotiation page's recipe: Werkzeug's
#: own parser over Starlette's header, so every Accept header gets the answer it got.
ACCEPT_RECIPE = 'parse_accept_header(request.headers.get("accept"), MIMEAccept)'
#: What a module-level helper may read from `request` to be given the view's request:
#: what Starlette's Request reads alike or the rule spells the Starlette way.
HELPER_READS = SAME_ON_STARLETTE | set(STARLETTE_SPELLING) | {"path", "accept_mimetypes"}


#: For a package port: every name another module of the tree may reach in one of its
#: modules (`from .helpers import forward`, or any attribute read in a module that imports
#: a tree module whole), set by `port_tree` for the run (None for a module on its own).
TREE_IMPORTS: ContextVar[frozenset[str] | None] = ContextVar("tree_imports", default=None)


#: `from <module> import <names>` (names up to the line's end, or in parentheses) and
#: `import <modules>`, read in a module's text.
_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)", re.M
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.M)
_ATTRIBUTE = re.compile(r"\.[ \t]*([A-Za-z_]\w*)")


def tree_imports(texts: dict[str | None, str]) -> frozenset[str]:
    """The names the modules of a tree (dotted name → source text) import from one
    another (see `TREE_IMPORTS`), read in the text (the tree is not parsed in one process):
    more than that when unsure, as a module that imports a tree module whole (or may:
    `from . import x`) gives every attribute name it reads."""
    inside = {name for name in texts if name}
    if not inside:
        return frozenset()

    def in_tree(name: str) -> bool:
        return any(
            n == name or n.startswith(name + ".") or name.startswith(n + ".") for n in inside
        )

    found: set[str] = set()
    for text in texts.values():
        whole = any(
            in_tree(m.strip().split(" ")[0])
            for line in _IMPORT.findall(text)
            for m in line.split(",")
        )
        for source, names in _FROM_IMPORT.findall(text):
            if not source.startswith(".") and not in_tree(source):
                continue
            for piece in names.strip("()").replace("\n", ",").split(","):
                name = piece.split("#")[0].strip().split(" ")[0]
                if name == "*":
                    whole = True
                elif name:
                    found.add(name)
                    whole = whole or source.startswith(".") or in_tree(f"{source}.{name}")
        if whole:
            found.update(_ATTRIBUTE.findall(text))
    return frozenset(found)


def request_helpers(module: cst.Module, owners: Owners) -> set[str]:
    """The module-level functions that read Flask's `request` (only `HELPER_READS`), or
    call such a function, and are called only from views, error handlers and hooks (or
    from one another): each can take the view's `request` as its first parameter.

    A helper also named anywhere but as a call's function (passed on, decorated, given a
    `request` parameter already) or called from elsewhere is left out, and so is any
    helper that needs it: those keep the request-object TODO, and so does one another
    module of the tree may import (`TREE_IMPORTS`): its calls there would go without the
    request."""
    if not any(
        isinstance(s, cst.FunctionDef) and not s.decorators and not is_view(s, owners)
        for s in module.body
    ):
        return set()  # no function that could be a helper: skip the walk
    functions: dict[str, cst.FunctionDef] = {}
    twice: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            (twice if name in functions else functions).setdefault(name, statement)
    for name in twice:
        functions.pop(name, None)
    views = {name for name, f in functions.items() if is_view(f, owners)}
    reads: dict[str, set[str]] = {}
    calls: dict[str, list[tuple[str | None, bool]]] = {name: [] for name in functions}

    class Uses(FastVisitor):
        """Per function: the `request` attributes read; per helper name: each use as
        (the top-level function it is in, whether it is a direct call there)."""

        def __init__(self) -> None:
            self.top: str | None = None
            self.depth = 0
            self.called: set[int] = set()  # Name nodes that are not a use of a helper
            self.bases: set[int] = set()  # `request` in `request.<attr>`

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if self.depth == 0:
                self.top = node.name.value
            self.depth += 1

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.depth -= 1
            if self.depth == 0:
                self.top = None

        def visit_Lambda(self, node: cst.Lambda) -> None:
            self.depth += 1

        def leave_Lambda(self, node: cst.Lambda) -> None:
            self.depth -= 1

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.depth += 1  # a method's call is not a view's

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            self.depth -= 1

        def visit_FunctionDef_name(self, node: cst.FunctionDef) -> None:
            self.called.add(id(node.name))  # the `def` line is not a use

        def visit_Call(self, node: cst.Call) -> None:
            if self.top is not None and owners.flask(node.func) == "flask.url_for":
                # `url_for("index")` reads the request's app: `request.url_for("index")`
                # (see `plain_url_for`); any other call keeps the helper as it is.
                reads.setdefault(self.top, set()).add(
                    "url_for" if plain_url_for(node) is not None else ""
                )
            if isinstance(node.func, cst.Name):
                self.called.add(id(node.func))
                if node.func.value in calls:
                    direct = self.depth == 1 and not any(a.star for a in node.args)
                    calls[node.func.value].append((self.top, direct))

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in calls and id(node) not in self.called:
                calls[node.value].append((None, False))
            if (
                self.top is not None
                and id(node) not in self.bases
                and owners.flask(node) == "flask.request"
            ):  # the request itself, passed on or returned: not a read this rule follows
                reads.setdefault(self.top, set()).add("")

        def visit_Arg(self, node: cst.Arg) -> None:
            if node.keyword is not None:
                self.called.add(id(node.keyword))  # `f(best=...)`: not a use of `best`

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self.called.add(id(node.attr))  # `x.best`: not a use of `best`
            if self.top is not None and owners.flask(node.value) == "flask.request":
                self.bases.add(id(node.value))
                reads.setdefault(self.top, set()).add(node.attr.value)

    module.visit(Uses())
    elsewhere = TREE_IMPORTS.get() or frozenset()
    eligible = {
        name
        for name, f in functions.items()
        if name not in views
        and name not in elsewhere
        and not f.decorators
        and not f.params.posonly_params
        and "request" not in function_params(f)
        and calls[name]
    }
    dropped: set[str] = set()
    while True:
        helpers = {
            n for n in eligible - dropped if n in reads and reads[n] <= HELPER_READS | {"url_for"}
        }
        grown = True
        while grown:  # and the functions that call one, which pass the request on
            callers = {
                top
                for name in helpers
                for top, _ in calls[name]
                if top in eligible and top not in dropped and top not in helpers
            }
            grown = bool(callers)
            helpers |= callers
        bad = {
            name
            for name in helpers
            if not all(direct and (top in views or top in helpers) for top, direct in calls[name])
        }
        if not bad:
            return helpers
        dropped |= bad


def plain_url_for(call: cst.Call) -> str | None:
    """The endpoint of `url_for("endpoint")` (one string, not `.relative` nor `static`):
    what `request.url_for("endpoint").path` gives alike (the url-building page; the
    `routes` rule names each route after its Flask endpoint), else None."""
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    name = string_value(call.args[0].value)
    if not name or name.startswith(".") or name == "static":
        return None
    return name


def request_takers(module: cst.Module) -> dict[str, dict[int | str, set[str]]]:
    """Per top-level function of `module`: per parameter (its index and its name), the
    attributes the function reads on it ("" when it is used otherwise: passed on,
    returned, subscripted…). Only functions without decorators and `*args`."""
    found: dict[str, dict[int | str, set[str]]] = {}
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef) or statement.decorators:
            continue
        params = statement.params
        if params.posonly_params or isinstance(params.star_arg, cst.Param):
            continue
        names = [p.name.value for p in params.params]
        reads: dict[str, set[str]] = {n: set() for n in names}
        for node in _nodes(statement.body):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
                if node.value.value in reads:
                    reads[node.value.value].add(node.attr.value)
            elif isinstance(node, cst.Name) and node.value in reads:
                reads[node.value].add("")
        per: dict[int | str, set[str]] = {}
        for i, name in enumerate(names):
            per[i] = per[name] = reads[name]
        found[statement.name.value] = per
    return found


def _nodes(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    """Every node under `node`, but not the value of an `x.attr` (seen as the attribute)."""
    for child in node.children:
        yield child
        if isinstance(child, cst.Attribute) and isinstance(child.value, cst.Name):
            continue  # `req.args`: one read of `args`, not a bare `req`
        yield from _nodes(child)


class RequestObjectRule(_ParamsRule):
    """Rule `request-object` (see the module docstring). Also: a module-level helper that
    reads `request` and is called only from views (see `request_helpers`) takes the view's
    `request: Request` first, and each call passes it; `request.accept_mimetypes` →
    `ACCEPT_RECIPE` (the content-negotiation page)."""

    id = "request-object"
    needs = ("request", "url_for")  # `url_for` in a helper: it takes the request too

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.uses: list[list[str]] = []
        self.starlette_calls: set[int] = set()  # ids of `request.form` in `request.form()`
        self.helpers: set[str] = set()
        self.takers: dict[str, dict[int | str, set[str]]] = {}

    def visit_Module(self, node: cst.Module) -> bool:
        if self.options.structure:
            self.helpers = request_helpers(node, self.owners)
        self.takers = request_takers(node) if self.source_has("(request") else {}
        return True

    def _passed_on(self, call: cst.Call) -> None:
        """A view (or helper) passes its bare `request` to a function: once ported that is
        Starlette's Request. Fine when the function is this module's and reads only what
        Starlette's reads alike (the view then takes `request: Request`); else a TODO.
        Only calls the Flask source makes (`callee(` in it): the handlers and middleware
        other rules wrote pass Starlette's Request to FastAPI's own functions."""
        fn = self.functions[-1]
        mine = "request" in function_params(fn)
        source = self.context.scratch.get("source") or ""
        for i, a in enumerate(call.args):
            if not (isinstance(a.value, cst.Name) and a.value.value == "request"):
                continue
            callee = dotted(call.func) or ""
            if not self.is_request(a.value) or a.star or not callee:
                continue
            if not re.search(rf"(?<![\w.]){re.escape(callee)}\s*\(", source):
                continue
            key: int | str = a.keyword.value if a.keyword else i
            reads = self.takers.get(callee, {}).get(key)
            if any(b.star for b in call.args[:i]) or a.star:
                reads = None
            if reads is not None and reads <= SAME_ON_STARLETTE and "" not in reads:
                if not mine:
                    self.uses[-1].append("")  # the view takes `request: Request`
                self.converted()
                continue
            odd = sorted(r or "it whole" for r in reads - SAME_ON_STARLETTE) if reads else []
            what = f"reads `{', '.join(odd)}`" if reads is not None else "is not this module's"
            self.todo(
                f"`{callee}` gets the request here and {what}: once ported it gets "
                "Starlette's Request; read the values in the view and pass them instead",
                "requests/request-object.md",
            )

    @property
    def in_helper(self) -> bool:
        """True directly inside a helper that takes the view's request."""
        return len(self.functions) == 1 and self.functions[0].name.value in self.helpers

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("form", "body")
            and dotted(func.value) == "request"
            and not node.args
        ):  # Flask's request.form is not callable: a call is Starlette's coroutine
            self.starlette_calls.add(id(func))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.uses.append([])
        self.awaits.append(False)
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
        if (
            not self.in_view
            and dotted(updated.value) == "request"
            and "request" in function_params(self.functions[-1])
        ):  # the function's own `request` (a helper or handler the port gave it one)
            if attr in FLASK_ONLY:
                self.todo(f"Starlette's Request has no `{attr}`: port this line by hand")
            return updated
        if attr in ("get_json", "json"):
            return updated  # the request-json rule's
        if id(original) in self.starlette_calls:
            return updated  # `await request.form()`, which another rule wrote
        if not self.is_request(updated.value) and attr not in FLASK_ONLY:
            return updated  # already Starlette's Request (a parameter of the view)
        if not self.in_view and not self.in_helper:
            self.todo(f"`request.{attr}` outside a view: pass the value from the view",
                      "requests/request-object.md")  # fmt: skip
            return updated
        self.uses[-1].append(attr)
        if attr == "accept_mimetypes":
            self.add_import("werkzeug.datastructures", "MIMEAccept")
            self.add_import("werkzeug.http", "parse_accept_header")
            self.converted()
            return cst.parse_expression(ACCEPT_RECIPE)
        if attr == "path":
            self.converted()
            return cst.parse_expression("request.url.path")
        if attr in STARLETTE_SPELLING:
            self.converted()
            return cst.parse_expression(STARLETTE_SPELLING[attr])
        if attr == "get_data":
            return updated  # the call is converted (or marked) in leave_Call
        if attr in SAME_ON_STARLETTE:
            self.converted()
        elif attr not in STARLETTE_ONLY:
            self.todo(f"Starlette's Request has no `{attr}`: port this line by hand")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if (
            self.in_helper
            and self.owners.flask(func) == "flask.url_for"
            and plain_url_for(updated) is not None
        ):  # the redirect rule's recipe in a view, here in a helper given the request
            self.uses[-1].append("url_for")
            self.converted()
            self.drop_import("flask", "url_for")
            return cst.Attribute(
                value=cst.Call(func=cst.parse_expression("request.url_for"), args=updated.args),
                attr=cst.Name("path"),
            )
        if (self.in_view or self.in_helper) and any(
            isinstance(a.value, cst.Name) and a.value.value == "request" for a in updated.args
        ):
            self._passed_on(updated)
        if (
            isinstance(func, cst.Name)
            and func.value in self.helpers
            and (self.in_view or self.in_helper)
        ):  # a helper that reads the request: the view passes its own
            self.uses[-1].append(func.value)
            self.converted()
            first = cst.Arg(
                cst.Name("request"),
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if updated.args
                else cst.MaybeSentinel.DEFAULT,
            )
            return updated.with_changes(args=[first, *updated.args])
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get"
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "headers"
            and dotted(func.value.value) == "request"
            and keyword(updated, "type") is not None
        ):
            return self._typed_header(updated)
        # request.get_data() → `await request.body()`, in an `async def` (the page's recipe).
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_data"
            and dotted(func.value) == "request"
            and self.uses
            and "get_data" in self.uses[-1]
        ):
            return updated
        if updated.args or len(self.functions) != 1:
            self.todo("read the raw body with `await request.body()` in an `async def` view")
            return updated
        self.awaits[-1] = True
        self.converted()
        return cst.Await(cst.parse_expression("request.body()"))

    def _typed_header(self, updated: cst.Call) -> cst.BaseExpression:
        """`request.headers.get("Last-Event-ID", 0, type=int)` → a parameter
        `last_event_id: Annotated[int, Header()] = 0` (the streaming page's recipe; FastAPI
        reads `last_event_id` from the `last-event-id` header). Starlette's `headers.get`
        takes no `type=`: left as it was, the call raises TypeError (a 500)."""
        args = positional(updated)
        name = string_value(args[0].value) if args else None
        param = name.lower().replace("-", "_") if name and "_" not in name else None
        type_arg = keyword(updated, "type")
        annotation = QUERY_TYPES.get(dotted(type_arg.value) or "") if type_arg else None
        default_node = keyword(updated, "default") or (args[1] if len(args) > 1 else None)
        extra = len(updated.args) - 2 - (default_node is not None)
        if (
            not self.in_view
            or param is None
            or not self.free_name(param)
            or annotation is None
            or extra
            or (default_node is not None and not _literal(default_node.value))
        ):
            self.todo(
                "Starlette's `headers.get` takes no `type=` (a TypeError, so a 500): declare "
                "a typed `Header()` parameter by hand",
                "requests/headers-and-cookies.md",
            )
            return updated
        default = (
            "None" if default_node is None else cst.Module([]).code_for_node(default_node.value)
        )
        if default == "None":
            annotation = f"{annotation} | None"
        self.add_import("typing", "Annotated")
        self.add_import("fastapi", "Header")
        self.wanted[-1][param] = f"{param}: Annotated[{annotation}, Header()] = {default}"
        if "headers" in self.uses[-1]:
            self.uses[-1].remove("headers")  # read through the parameter now, not Request
        self.converted()
        return cst.Name(param)

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.awaits.pop():
            updated = made_async(self, updated, "the body")
        uses = self.uses.pop()
        if (
            not self.functions
            and updated.name.value in self.helpers
            and "request" not in function_params(updated)
        ):  # a helper: the request first, as the content-negotiation page writes it
            self.add_import("fastapi", "Request")
            self.drop_import("flask", "request")
            first = cst.Param(
                cst.Name("request"),
                cst.Annotation(cst.Name("Request")),
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if updated.params.params
                or updated.params.star_arg is not cst.MaybeSentinel.DEFAULT
                or updated.params.kwonly_params
                or updated.params.star_kwarg
                else cst.MaybeSentinel.DEFAULT,
            )
            params = updated.params.with_changes(params=[first, *updated.params.params])
            updated = updated.with_changes(params=params)
        elif uses and "request" not in function_params(updated):
            self.add_import("fastapi", "Request")
            self.wanted[-1]["request"] = "request: Request"
        return super().rewrite_function(original, updated)
