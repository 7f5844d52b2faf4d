"""Rule `send-file`: Flask's file helpers in a view → Starlette's `FileResponse`, as the
custom-responses page does (snippets/custom-responses/fastapi_app.py).

* `send_file(path, mimetype=, as_attachment=True, download_name=)` →
  `FileResponse(path, media_type=, filename=)` (`filename=` is what sets
  `Content-Disposition: attachment`; a `download_name` without `as_attachment` keeps
  `inline`).
* `send_from_directory(directory, name)` → `file_in_directory(directory, name)`, a helper
  the port adds once per module with the page's check: the resolved path must stay inside
  the directory and be a file, else a 404 (Flask's `safe_join` refuses `../` the same
  way). `FileResponse` checks nothing itself: a missing file would end in a 500.

A path built from the view's own input (a path parameter, `request`) is never passed to
`FileResponse` unchecked: `send_file` with one gets a TODO pointing at the page's check.
A file object (`BytesIO`, `open(...)`), options `FileResponse` lacks (`max_age`, `etag`,
`conditional`…) and relative paths outside the app's module (Flask reads them from the
app's `root_path`) get a TODO too.
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.base import (
    PortRule,
    arg,
    dotted,
    function_params,
    keyword,
    names_in,
    positional,
)

PAGE = "responses/custom-responses.md"
HELPER = "file_in_directory"
HELPER_CODE = '''\
def file_in_directory(directory, name: str) -> FileResponse:
    """`send_from_directory` ported (the custom-responses page): 404 unless `name` is a
    file inside `directory`."""
    base = Path(directory).resolve()
    try:  # a NUL byte raises ValueError, a name over 255 bytes OSError
        path = (base / name).resolve()
        found = path.is_relative_to(base) and path.is_file()  # no "../" tricks
    except (OSError, ValueError):
        found = False
    if not found:
        # FileResponse does not check first: a missing file would end in a 500.
        raise HTTPException(status_code=404, detail="File not found")
    return FileResponse(path)
'''
#: Calls that build a path (anything else may be a file object).
PATH_CALLS = {
    "Path", "pathlib.Path", "PurePath", "str", "os.fspath", "os.path.join", "os.path.dirname",
    "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.path.expanduser",
}  # fmt: skip
#: Path methods and attributes that give a path again.
PATH_METHODS = {"parent", "resolve", "absolute", "joinpath", "with_name", "with_suffix",
                "expanduser"}  # fmt: skip


class SendFileRule(PortRule):
    id = "send-file"
    needs = ("send_file", "send_from_directory")

    def visit_Module(self, node: cst.Module) -> bool:
        self.module_bindings: dict[str, list[cst.BaseExpression]] = {}
        for stmt in node.body:
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        if isinstance(t.target, cst.Name):
                            self.module_bindings.setdefault(t.target.value, []).append(small.value)
        self.helper_used = False
        self.defines_app = "Flask(" in node.code or "FastAPI(" in node.code
        return True

    def _relative(self, value: cst.BaseExpression) -> cst.BaseExpression | None:
        """A path as the port must spell it: a relative string literal is read from the
        app's folder in Flask, so it is joined to this module's folder (None: a TODO)."""
        if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
            text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
            if isinstance(text, str) and text.startswith("/"):
                return value
            if not self.defines_app:
                return None  # the app's root_path is another module's folder
            self.add_import("pathlib", "Path")
            return cst.BinaryOperation(
                cst.parse_expression("Path(__file__).parent"), cst.Divide(), value
            )
        return value

    def _from_input(self, value: cst.BaseExpression) -> bool:
        view = self.functions[-1]
        return bool(names_in(value) & (function_params(view) | {"request"}))

    def _kind(self, value: cst.BaseExpression, depth: int = 0) -> str | None:
        """ "absolute" or "relative" for an expression that builds a path from strings
        (followed through names bound once in the view or the module), else None: it may
        be a file object (`BytesIO`, a buffer a helper returned), which FileResponse
        cannot send."""
        if depth > 5:
            return None
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            return None if not isinstance(text, str) else (
                "absolute" if text.startswith("/") else "relative"
            )  # fmt: skip
        if isinstance(value, cst.FormattedString):
            first = value.parts[0] if value.parts else None
            if isinstance(first, cst.FormattedStringText):
                return "absolute" if first.value.startswith("/") else "relative"
            return self._kind(first.expression, depth + 1) if first else None  # type: ignore[union-attr]
        if isinstance(value, cst.ConcatenatedString):
            return self._kind(value.left, depth + 1)  # type: ignore[arg-type]
        if isinstance(value, cst.BinaryOperation) and isinstance(
            value.operator, cst.Divide | cst.Add
        ):
            return self._kind(value.left, depth + 1)
        if isinstance(value, cst.Call):
            func = value.func
            if dotted(func) in PATH_CALLS and value.args:
                return self._kind(value.args[0].value, depth + 1)
            if isinstance(func, cst.Attribute) and func.attr.value in {"format", *PATH_METHODS}:
                return self._kind(func.value, depth + 1)
            return None
        if isinstance(value, cst.Attribute) and value.attr.value in PATH_METHODS:
            return self._kind(value.value, depth + 1)
        if isinstance(value, cst.Name) and value.value == "__file__":
            return "absolute"
        if isinstance(value, cst.Name):
            bound = self._bindings(value.value)
            return self._kind(bound[0], depth + 1) if len(bound) == 1 else None
        return None

    def _bindings(self, name: str) -> list[cst.BaseExpression]:
        """The values `name` is assigned in the current view, else at module level."""
        found = [
            n.value
            for n in _walk_nodes(self.functions[-1].body)
            if isinstance(n, cst.Assign)
            and any(isinstance(t.target, cst.Name) and t.target.value == name for t in n.targets)
        ]
        return found or self.module_bindings.get(name, [])

    def _app_attribute(self, value: cst.BaseExpression) -> bool:
        # `app.root_path`, `current_app.static_folder`: FastAPI's app has neither.
        names = names_in(value)
        return "current_app" in names or bool(names & self.owners.apps)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.in_view:
            return updated
        name = self.owners.flask(updated.func)
        if name in ("flask.send_file", "flask.helpers.send_file"):
            return self._send_file(updated)
        if name in ("flask.send_from_directory", "flask.helpers.send_from_directory"):
            return self._send_from_directory(updated)
        return updated

    def _send_file(self, call: cst.Call) -> cst.BaseExpression:
        args = positional(call)
        known = {"path_or_file", "mimetype", "as_attachment", "download_name"}
        extra = [a.keyword.value for a in call.args if a.keyword and a.keyword.value not in known]
        first = args[0].value if args else getattr(keyword(call, "path_or_file"), "value", None)
        if first is None or len(args) > 1 or extra or any(a.star for a in call.args):
            what = f"`{extra[0]}`" if extra else "these arguments"
            self.todo(f"FileResponse has no {what}: build the response by hand", PAGE)
            return call
        kind = self._kind(first)
        if kind is None and not self._from_input(first):
            self.todo(
                "FileResponse takes a path: for a file object (a BytesIO, a buffer), return "
                "a Response with its bytes",
                PAGE,
            )
            return call
        if kind == "relative" and not isinstance(first, cst.SimpleString):
            self.todo("a relative path is read from the app's root_path: make it absolute", PAGE)
            return call
        if self._from_input(first) or self._app_attribute(first):
            self.todo(
                "a path from the request: check it stays in its folder first (the page's "
                f"`send_from_directory` recipe, `{HELPER}`)",
                PAGE,
            )
            return call
        path = self._relative(first)
        if path is None:
            self.todo("a relative path is read from the app's root_path: make it absolute", PAGE)
            return call
        attachment = keyword(call, "as_attachment")
        download = keyword(call, "download_name")
        kw: list[cst.Arg] = []
        mimetype = keyword(call, "mimetype")
        if mimetype is not None:
            kw.append(arg(mimetype.value, "media_type"))
        flag = dotted(attachment.value) if attachment else "False"
        if flag not in ("True", "False"):
            self.todo("`as_attachment` as a literal, then rerun", PAGE)
            return call
        if flag == "True" and download is None:
            self.todo("give the attachment's name: FileResponse(path, filename=...)", PAGE)
            return call
        if download is not None:
            kw.append(arg(download.value, "filename"))
            if flag == "False":
                kw.append(arg(cst.SimpleString('"inline"'), "content_disposition_type"))
        self.converted()
        self.add_import("fastapi.responses", "FileResponse")
        self.drop_import("flask", "send_file")
        return _call("FileResponse", [arg(path), *kw])

    def _send_from_directory(self, call: cst.Call) -> cst.BaseExpression:
        args = positional(call)
        directory = keyword(call, "directory")
        name = keyword(call, "path") or keyword(call, "filename")
        values = [a.value for a in args] + [a.value for a in (directory, name) if a is not None]
        if len(values) != 2 or len(call.args) != 2:
            self.todo("the helper takes (directory, name): add the other options by hand", PAGE)
            return call
        folder, file_name = values
        if self._app_attribute(folder):
            self.todo(
                "the folder comes from the Flask app (`config`, `root_path`), which FastAPI's "
                "has not: give it as a path",
                PAGE,
            )
            return call
        if self._kind(folder) == "relative" and not isinstance(folder, cst.SimpleString):
            self.todo("a relative folder is read from the app's root_path: make it absolute", PAGE)
            return call
        folder = self._relative(folder)  # type: ignore[assignment]
        if folder is None:
            self.todo("a relative folder is read from the app's root_path: make it absolute", PAGE)
            return call
        self.converted()
        self.helper_used = True
        self.drop_import("flask", "send_from_directory")
        return _call(HELPER, [arg(folder), arg(file_name)])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self.helper_used:
            return updated
        defined = {s.name.value for s in updated.body if isinstance(s, cst.FunctionDef)}
        if HELPER in defined:
            return updated
        for module, name in (("pathlib", "Path"), ("fastapi", "HTTPException"),
                             ("fastapi.responses", "FileResponse")):  # fmt: skip
            self.add_import(module, name)
        helper = cst.parse_statement(HELPER_CODE).with_changes(
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()]
        )
        body = list(updated.body)
        at = next(
            (i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef | cst.ClassDef)),
            len(body),
        )
        return updated.with_changes(body=[*body[:at], helper, *body[at:]])


def _walk_nodes(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    for child in node.children:
        yield child
        yield from _walk_nodes(child)


def _call(func: str, args: list[cst.Arg]) -> cst.Call:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Call(
        func=cst.Name(func), args=[a.with_changes(comma=comma) for a in args[:-1]] + args[-1:]
    )
