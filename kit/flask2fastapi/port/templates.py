"""Rules for pages: `templates` and `static-files` (the pages section's recipes).

* `templates`: `return render_template("x.html", a=1)` in a view →
  `return templates.TemplateResponse(request, "x.html", {"a": 1})` (the request first, as
  Starlette 1.x requires; a `request: Request` parameter is added), also inside
  `(…, status[, headers])` and `make_response(…, status)` (`status_code=`, `headers=`);
  a module-level `templates = Jinja2Templates(directory=…)` is added after the app, from
  `Flask(template_folder=…)` or Flask's default `templates/` next to the app's module.
  Both turn autoescaping on for `.html` (the templates page). In the copied Jinja files
  (`rewrite_template`): `url_for('static', filename=x)` → `url_for('static', path=x)`, and
  every `url_for(...)` gets `.path`, the path Flask's gave (Starlette's is a full URL, the
  page's table); `request.args` → `request.query_params`. `request.form`, `session`,
  `get_flashed_messages`, blueprint-relative endpoints and Flask-only keywords
  (`_external`, `_anchor`…) get a `{# TODO(flask2fastapi templates): … #}`.
* `static-files`: `Flask(static_folder=…, static_url_path=…)` →
  `app.mount(path, StaticFiles(directory=…), name="static")` after the app (the name is
  what `url_for('static', …)` finds); `static_folder=None` is dropped.

A relative folder is joined to the module's folder (`Path(__file__).parent`), which is
where Flask reads it from (the app's `root_path`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import libcst as cst

from flask2fastapi.port.base import (
    FASTAPI_ROUTE_DECORATORS,
    PortRule,
    RequestParamRule,
    arg,
    dotted,
    function_params,
    keyword,
    page_url,
    positional,
    string_value,
    with_todos,
)

TEMPLATES_PAGE = "pages/templates.md"
STATIC_PAGE = "pages/static-files.md"
FLASH_PAGE = "pages/flash-messages.md"
FLASK_CALLS = ("flask.Flask", "flask.app.Flask")


def _module_dir() -> cst.BaseExpression:
    return cst.parse_expression("Path(__file__).parent")


def _folder(value: cst.BaseExpression, rule: PortRule) -> cst.BaseExpression:
    """The folder as the port spells it: a string is read from the app's folder in Flask
    (`os.path.join(root_path, folder)`, absolute paths win), so it is joined to the
    module's folder; a path already built (`HERE / "static"`) is kept."""
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
        return value
    rule.add_import("pathlib", "Path")
    if not isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.BinaryOperation(_module_dir(), cst.Divide(), value)


def _app_assignment(stmt: cst.SimpleStatementLine, owners) -> tuple[str, cst.Call] | None:  # type: ignore[no-untyped-def]
    """(name, call) of a module-level `name = Flask(...)`."""
    if len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Assign):
        return None
    assign = stmt.body[0]
    target = dotted(assign.targets[0].target) if len(assign.targets) == 1 else None
    value = assign.value
    if target and isinstance(value, cst.Call) and owners.flask(value.func) in FLASK_CALLS:
        return target, value
    return None


def _without(call: cst.Call, names: set[str]) -> cst.Call:
    args = [a for a in call.args if not (a.keyword and a.keyword.value in names)]
    if args:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(args=args)


def _statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code)


class _AppLineRule(PortRule):
    """A rule that rewrites the module-level `app = Flask(...)` line (before the `app`
    rule turns it into `FastAPI()`) and may add statements after it."""

    def visit_Module(self, node: cst.Module) -> bool:
        self.module_code = node.code
        return True

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        found = _app_assignment(updated, self.owners) if not self.functions else None
        extra: list[cst.BaseStatement] = []
        if found is not None and self.options.structure:
            name, call = found
            new_call, extra = self.app_line(name, call)
            if new_call is not call:
                assign = updated.body[0].with_changes(value=new_call)
                updated = updated.with_changes(body=[assign])
        line = super().leave_SimpleStatementLine(original, updated)
        return cst.FlattenSentinel([line, *extra]) if extra else line

    def app_line(self, name: str, call: cst.Call) -> tuple[cst.Call, list[cst.BaseStatement]]:
        raise NotImplementedError


class TemplatesRule(RequestParamRule):
    id = "templates"
    needs = ("render_template",)

    def visit_Module(self, node: cst.Module) -> bool:
        self.rendered = False
        bound = [
            b.value
            for s in node.body
            if isinstance(s, cst.SimpleStatementLine)
            for b in s.body
            if isinstance(b, cst.Assign) and any(dotted(t.target) == "templates" for t in b.targets)
        ]
        self.defined = bool(bound)
        # `templates` already names something else: the port would shadow or misuse it.
        self.taken = any(
            not (isinstance(v, cst.Call) and dotted(v.func) == "Jinja2Templates") for v in bound
        ) or any(
            isinstance(s, cst.FunctionDef | cst.ClassDef) and s.name.value == "templates"
            for s in node.body
        )
        self.has_app = any(
            isinstance(s, cst.SimpleStatementLine) and _app_assignment(s, self.owners)
            for s in node.body
        )
        return True

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """`templates = Jinja2Templates(directory=...)` after the app, once a view renders."""
        if not self.rendered or self.defined:
            return updated
        body = list(updated.body)
        for i, stmt in enumerate(body):
            found = (
                _app_assignment(stmt, self.owners)
                if isinstance(stmt, cst.SimpleStatementLine)
                else None
            )
            if found is None:
                continue
            call = found[1]
            option = keyword(call, "template_folder")
            folder = (
                _folder(option.value, self)
                if option is not None
                else cst.BinaryOperation(
                    _module_dir(), cst.Divide(), cst.SimpleString('"templates"')
                )
            )
            self.add_import("pathlib", "Path")
            self.add_import("fastapi.templating", "Jinja2Templates")
            self.converted()
            assign = stmt.body[0].with_changes(value=_without(call, {"template_folder"}))  # type: ignore[union-attr]
            body[i] = stmt.with_changes(body=[assign])  # type: ignore[union-attr]
            code = cst.Module([]).code_for_node(folder)
            body.insert(i + 1, _statement(f"templates = Jinja2Templates(directory={code})"))
            break
        else:
            # No app here (a blueprint's module): Flask looked in the app's folder.
            at = 0
            for i, stmt in enumerate(body):
                if isinstance(stmt, cst.SimpleStatementLine) and all(
                    isinstance(b, cst.Import | cst.ImportFrom) for b in stmt.body
                ):
                    at = i + 1
            self.add_import("pathlib", "Path")
            self.add_import("fastapi.templating", "Jinja2Templates")
            todo = (
                f"# TODO(flask2fastapi {self.id}): Flask read the app's templates folder: "
                f"point this at it, once for the app — {page_url(TEMPLATES_PAGE)}"
            )
            line = _statement(
                'templates = Jinja2Templates(directory=Path(__file__).parent / "templates")'
            ).with_changes(leading_lines=[cst.EmptyLine()])
            body.insert(at, with_todos(line, [todo.removeprefix("# ")]))
        return updated.with_changes(body=body)

    def _render_call(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Call) and self.owners.flask(value.func) in (
            "flask.render_template",
            "flask.templating.render_template",
        )

    def _name_taken(self) -> bool:
        view = self.functions[-1]
        local = "templates" in function_params(view) or any(
            isinstance(n, cst.AssignTarget | cst.AnnAssign) and dotted(n.target) == "templates"
            for n in _walk(view.body)
        )
        return self.taken or local

    def _render(self, value: cst.BaseExpression) -> cst.Call | None:
        """`render_template(name, **ctx)` → `templates.TemplateResponse(request, name, {...})`."""
        if not isinstance(value, cst.Call) or not self._render_call(value):
            return None
        args = positional(value)
        if len(args) != 1 or isinstance(args[0].value, cst.List | cst.Tuple):
            return None
        elements: list[cst.BaseDictElement] = []
        for a in value.args[1:] if value.args[0].keyword is None else value.args:
            if a.keyword is not None and a.keyword.value != "template_name_or_list":
                elements.append(cst.DictElement(cst.SimpleString(f'"{a.keyword.value}"'), a.value))
            elif a.star == "**":
                elements.append(cst.StarredDictElement(a.value))
            else:
                return None
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        elements = [e.with_changes(comma=comma) for e in elements[:-1]] + elements[-1:]
        self.needs_request[-1] = True
        self.rendered = True
        self.drop_import("flask", "render_template")
        return cst.Call(
            func=cst.parse_expression("templates.TemplateResponse"),
            args=[
                arg(cst.Name("request")).with_changes(comma=comma),
                arg(args[0].value).with_changes(comma=comma),
                arg(cst.Dict(elements)),
            ],
        )

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        if not self.in_view or updated.value is None:
            return updated
        value = updated.value
        extra: list[cst.BaseExpression] = []
        made = False
        if isinstance(value, cst.Tuple) and 2 <= len(value.elements) <= 3:
            value, extra = value.elements[0].value, [e.value for e in value.elements[1:]]
        elif (
            isinstance(value, cst.Call)
            and self.owners.flask(value.func) == "flask.make_response"
            and 1 <= len(value.args) <= 3
            and len(positional(value)) == len(value.args)
        ):
            value, extra = value.args[0].value, [a.value for a in value.args[1:]]
            made = True
        if self._render_call(value) and self._name_taken():
            self.todo(
                "`templates` already names something here: rename it, then rerun",
                TEMPLATES_PAGE,
            )
            return updated
        call = self._render(value)
        if call is None:
            return updated
        if made:
            self.drop_import("flask", "make_response")
        if len(extra) == 2:
            kw = {"status_code": extra[0], "headers": extra[1]}
        elif len(extra) == 1:
            kw = {"headers" if isinstance(extra[0], cst.Dict) else "status_code": extra[0]}
        else:
            kw = {}
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args = [*call.args[:-1], call.args[-1].with_changes(comma=comma)] if kw else call.args
        new_kw = [arg(v, k) for k, v in kw.items()]
        new_kw = [a.with_changes(comma=comma) for a in new_kw[:-1]] + new_kw[-1:]
        self.converted()
        return updated.with_changes(value=call.with_changes(args=[*args, *new_kw]))

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        if not self._pending[-1] and any(
            isinstance(n, cst.Call) and self._render_call(n) for n in _walk(updated)
        ):
            if self.in_view:
                self.todo(
                    "return `templates.TemplateResponse(request, name, context)` (a response, "
                    "where render_template gave a str)",
                    TEMPLATES_PAGE,
                )
            else:  # a helper or an error handler: Flask's app context is not there
                self.todo(
                    "render_template needs Flask's app context: render with "
                    "`templates.TemplateResponse(request, name, context)` where the request is",
                    TEMPLATES_PAGE,
                )
        return super().leave_SimpleStatementLine(original, updated)


class StaticFilesRule(_AppLineRule):
    id = "static-files"
    needs = ("static_folder", "static_url_path", "render_template", "TemplateResponse")

    def app_line(self, name: str, call: cst.Call) -> tuple[cst.Call, list[cst.BaseStatement]]:
        folder = keyword(call, "static_folder")
        url = keyword(call, "static_url_path")
        if folder is not None and dotted(folder.value) == "None":
            self.converted()  # Flask serves nothing either
            return _without(call, {"static_folder", "static_url_path"}), []
        if folder is None and url is None:
            # Pages that may link to /static (the templates rule may have run already).
            if any(w in self.module_code for w in ("render_template(", "TemplateResponse(")):
                self.todo(
                    "Flask serves a `static/` folder next to the app at /static: if there "
                    f'is one, add `{name}.mount("/static", StaticFiles(directory=...), '
                    'name="static")`',
                    STATIC_PAGE,
                )
            return call, []
        path = string_value(url.value) if url is not None else _basename(folder)
        if path is None or not path.startswith("/") or path == "/":
            self.todo("mount StaticFiles at the URL path by hand", STATIC_PAGE)
            return call, []
        directory = (
            _folder(folder.value, self)
            if folder is not None
            else cst.BinaryOperation(_module_dir(), cst.Divide(), cst.SimpleString('"static"'))
        )
        self.add_import("pathlib", "Path")
        self.add_import("fastapi.staticfiles", "StaticFiles")
        self.converted()
        code = cst.Module([]).code_for_node(directory)
        return _without(call, {"static_folder", "static_url_path"}), [
            _statement(
                f'{name}.mount("{path.rstrip("/")}", StaticFiles(directory={code}), name="static")'
            )
        ]


def _basename(folder: cst.Arg | None) -> str | None:
    """Flask's default `static_url_path`: `/` + the folder's last name, when literal."""
    if folder is None:
        return None
    value = folder.value
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
        value = value.right
    text = string_value(value)
    return "/" + text.rstrip("/").rsplit("/", 1)[-1] if text else None


def _walk(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    for child in node.children:
        yield child
        if not isinstance(child, cst.FunctionDef):
            yield from _walk(child)


# ------------------------------------------------------------------ Jinja files
#: Files the port treats as Jinja templates: under a `templates` folder, or by suffix.
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".jinja", ".jinja2", ".j2", ".txt", ".svg")
TEMPLATE_TODO = re.compile(r"\{#\s*TODO\(flask2fastapi (?P<rule>[\w-]+)\): (?P<text>.*?)\s*#\}")
#: Names a Flask template reaches without a context, which a Starlette one does not.
FLASK_GLOBALS = {
    "session": "`session` is not in a FastAPI template: pass it in the context",
    "g": "`g` is not in a FastAPI template: pass the value in the context",
    "get_flashed_messages": "Starlette has no flashed messages: pass them in the context",
    "config": "`config` is not in a FastAPI template: pass the value in the context",
}


def is_template(rel: str) -> bool:
    """True for a copied file the port rewrites as a Jinja template."""
    parts = rel.split("/")
    return rel.endswith((".jinja", ".jinja2", ".j2")) or (
        "templates" in parts[:-1] and rel.endswith(TEMPLATE_SUFFIXES)
    )


def _tokens(source: str) -> list[tuple[int, str, str]] | None:
    """Jinja's own tokens of `source` with their offsets, or None if it does not lex or
    the tokens do not map back onto the text (the rewrite then leaves the file alone)."""
    from jinja2 import Environment
    from jinja2.exceptions import TemplateSyntaxError

    env = Environment(keep_trailing_newline=True, autoescape=True)  # it only lexes
    found, at = [], 0
    try:
        for _, kind, value in env.lex(source):
            start = source.find(value, at)
            if start < 0 or source[at:start].strip():
                return None  # whitespace control drops only whitespace
            found.append((start, kind, value))
            at = start + len(value)
    except TemplateSyntaxError:
        return None
    return found if not source[at:].strip() else None


def route_params(codes: Iterable[str]) -> dict[str, set[str]]:
    """Each route name of the ported modules `codes` → its path parameters, as Starlette's
    `url_for` will look them up: `@x.get(path, name=...)` (else the function's name),
    `x.add_api_route(path, f, name=...)`, and `x.mount(path, ..., name=...)` (whose one
    parameter is `path`). A module that does not parse is skipped."""
    found: dict[str, set[str]] = {}

    class Routes(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            for decorator in node.decorators:
                call = decorator.decorator
                if (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Attribute)
                    and call.func.attr.value in FASTAPI_ROUTE_DECORATORS
                ):
                    self._add(call, node.name.value)

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_api_route":
                view = node.args[1].value if len(node.args) > 1 else None
                self._add(node, dotted(view) or "")
            elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "mount":
                name = keyword(node, "name")
                if name is not None and string_value(name.value):
                    found[string_value(name.value)] = {"path"}  # type: ignore[index]

        def _add(self, call: cst.Call, default: str) -> None:
            args = positional(call)
            path = string_value(args[0].value) if args else None
            name = keyword(call, "name")
            endpoint = string_value(name.value) if name is not None else default
            if path is not None and endpoint:
                found[endpoint] = set(re.findall(r"\{(\w+)(?::\w+)?\}", path))

    for code in codes:
        try:
            cst.parse_module(code).visit(Routes())
        except cst.ParserSyntaxError:
            continue
    return found


def rewrite_template(
    source: str, routes: Mapping[str, set[str]] | None = None
) -> tuple[str, int, list[str]]:
    """Port one Jinja template: (new source, conversions, TODO texts added).

    Reads the template with Jinja's lexer (never a regex over the HTML) and edits only
    inside `{{ }}` / `{% %}` tags; a file that does not lex comes back unchanged.
    `routes` (from `route_params`) lets it check each `url_for`: a name no route or mount
    has, or a keyword that is not a path parameter (Flask put it in the query string;
    Starlette raises `NoMatchFound`), gets a TODO instead. Running it on its own output
    changes nothing."""
    tokens = _tokens(source)
    if tokens is None:
        return source, 0, []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    todos: dict[int, list[str]] = {}  # end-of-tag offset → TODO texts
    conversions = 0
    significant = [t for t in tokens if t[1] != "whitespace"]
    tag_end = 0
    for i, (_, kind, value) in enumerate(significant):
        if kind in ("variable_begin", "block_begin"):
            close = "variable_end" if kind == "variable_begin" else "block_end"
            j = next((k for k in range(i, len(significant)) if significant[k][1] == close), None)
            tag_end = significant[j][0] + len(significant[j][2]) if j is not None else 0
            continue
        if kind != "name" or not tag_end:
            continue
        before = significant[i - 1] if i else None
        after = significant[i + 1] if i + 1 < len(significant) else None
        if before is not None and before[2] == ".":
            continue  # an attribute, not a name
        if value == "url_for" and after is not None and after[2] == "(":
            n, todo = _url_for(significant, i, edits, routes)
            conversions += n
            if todo:
                todos.setdefault(tag_end, []).append(todo)
        elif value == "request" and after is not None and after[2] == ".":
            attr = significant[i + 2] if i + 2 < len(significant) else None
            if attr is not None and attr[2] == "args":
                edits.append((attr[0], attr[0] + 4, "query_params"))
                conversions += 1
            elif attr is not None and attr[2] in ("form", "files", "values"):
                todos.setdefault(tag_end, []).append(
                    f"`request.{attr[2]}` is undefined in a Starlette template (it renders "
                    "nothing): read the fields in the view and pass them in the context"
                )
        elif value in FLASK_GLOBALS and after is not None and after[2] in (".", "[", "("):
            todos.setdefault(tag_end, []).append(FLASK_GLOBALS[value])
    pages = {
        text: page_url(
            FLASH_PAGE if text == FLASK_GLOBALS["get_flashed_messages"] else TEMPLATES_PAGE
        )
        for texts in todos.values()
        for text in texts
    }
    added: list[str] = []
    for end, texts in todos.items():
        present, at = set(), end  # the TODO comments a previous run left after this tag
        while (match := TEMPLATE_TODO.match(source, at)) is not None:
            present.add(match["text"].rsplit(" — ", 1)[0])
            at = match.end()
        new = [t for t in dict.fromkeys(texts) if t not in present]
        if new:
            comments = "".join(
                f"{{# TODO(flask2fastapi templates): {t} — {pages[t]} #}}" for t in new
            )
            edits.append((at, at, comments))
            added += new
    out = source
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out, conversions, added


def _url_for(  # type: ignore[type-arg]
    tokens: list[tuple[int, str, str]], i: int, edits: list, routes: Mapping[str, set[str]] | None
) -> tuple[int, str | None]:
    """Rewrite one `url_for(...)` call starting at `tokens[i]`: (conversions, TODO text)."""
    depth, k = 0, i + 1
    args: list[list[tuple[int, str, str]]] = [[]]
    while k < len(tokens):
        tok = tokens[k]
        if tok[2] in ("(", "[", "{"):
            depth += 1
            if depth == 1:
                k += 1
                continue
        elif tok[2] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and tok[2] == ",":
            args.append([])
        elif depth >= 1:
            args[-1].append(tok)
        k += 1
    if k >= len(tokens):
        return 0, None
    close = tokens[k]
    args = [a for a in args if a]
    first = args[0] if args else []
    endpoint = first[0] if len(first) == 1 and first[0][1] == "string" else None
    name = endpoint[2][1:-1] if endpoint else None
    keywords = [a[0] for a in args[1:] if len(a) > 1 and a[0][1] == "name" and a[1][2] == "="]
    flask_only = [kw[2] for kw in keywords if kw[2].startswith("_")]
    if name is None:
        return 0, "url_for with a computed endpoint: check its name and arguments by hand"
    if name.startswith("."):
        return 0, "a blueprint-relative endpoint: write the full name (`blueprint.view`)"
    if flask_only:
        return 0, (
            f"Starlette's url_for has no `{flask_only[0]}`: it returns a full URL; "
            "build the rest by hand"
        )
    if routes is not None:
        given = {kw[2] for kw in keywords} - ({"filename"} if name == "static" else set())
        if name not in routes:
            return 0, f"the port has no route or mount named `{name}`: add it, or fix the name"
        extra = sorted(given - routes[name])
        if extra:
            return 0, (
                f"`{extra[0]}` is not a path parameter of `{name}` (Flask put it in the query "
                "string; Starlette raises NoMatchFound): add it with "
                "`.include_query_params(...)` by hand"
            )
    n = 0
    if name == "static":
        for kw in keywords:
            if kw[2] == "filename":
                edits.append((kw[0], kw[0] + len("filename"), "path"))
                n += 1
    following = tokens[k + 1 : k + 3]
    if not (len(following) == 2 and following[0][2] == "." and following[1][2] == "path"):
        # Flask's url_for gives a path; Starlette's a full URL: `.path` keeps Flask's.
        edits.append((close[0] + 1, close[0] + 1, ".path"))
        n += 1
    return n, None


def template_todos(text: str) -> list[tuple[int, str, str]]:
    """(line, rule, text) of every TODO comment the port left in a template."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in TEMPLATE_TODO.finditer(line):
            found.append((number, match["rule"], match["text"]))
    return found
