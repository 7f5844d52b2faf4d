"""Rule `flask-names`: the last rule, a net under the others. Once the app is FastAPI's,
a Flask name still read anywhere in the tree (`session`, `current_app`, `flash`,
`has_request_context()`, a Flask `Response`, `app.json` on the converted app…) fails or
answers otherwise at run time: Flask's context objects need Flask's app and request
contexts, which a FastAPI app never pushes. No other rule converted it, so this one
leaves a TODO at its line, naming the page that ports it (the page whose front matter
covers the name, from the kit's knowledge), and converts nothing: never a silent guess.

Not flagged: a line that already carries a TODO of the port (the rule that declined said
why), `g` (the `g` rule's), a name the function binds itself (a view's `request`
parameter), and an attribute of the converted app that the module sets itself
(`app.json = Provider(app)` then `app.json.dumps(...)`).
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from flask2fastapi.port.base import FastVisitor, PortRule, children, dotted, knowledge, walk

#: Flask names left to other rules' own TODOs (or harmless: the app rule converts
#: `Flask`/`Blueprint`, and `flask.json`'s functions work outside an app, except jsonify).
LEFT_TO_OTHERS = {"flask.g", "flask.Flask", "flask.Blueprint", "flask.json"}
#: The Flask names another rule's TODO on a line speaks of (any rule not listed: all of
#: them): the line then gets no second TODO for them.
SPOKEN_FOR = {
    "redirect": ("flask.url_for", "flask.redirect"),
    "templates": ("flask.render_template", "flask.render_template_string", "flask.url_for"),
    "response-api": ("flask.make_response", "flask.jsonify", "flask.Response"),
    "responses": ("flask.make_response", "flask.jsonify", "flask.Response"),
    "send-file": ("flask.send_file", "flask.send_from_directory"),
    "abort": ("flask.abort",),
    "request-object": ("flask.request",),
    "request-args": ("flask.request",),
    "request-form": ("flask.request",),
    "request-files": ("flask.request",),
    "request-json": ("flask.request",),
    "json-helper": ("flask.request",),
    "stream-context": ("flask.request", "flask.stream_with_context"),
    "g": ("flask.g",),
    "login": (),
    "sqlalchemy": (),
    "errorhandler": (),
    "hooks": (),
    "config": ("flask.current_app.config",),
    "app": (),
    "static-files": (),
}
TODO_RULE = re.compile(r"TODO\(flask2fastapi (?P<rule>[\w-]+)\)")
#: Attributes of a Flask app that only store a value (analysis.HARMLESS): they do not
#: keep the app in Flask, but reading one on the FastAPI app fails unless the module
#: sets it.
APP_VALUES = {"json", "secret_key", "name", "import_name"}


class FlaskNamesRule(PortRule):
    id = "flask-names"
    needs = ("flask",)

    def visit_Module(self, node: cst.Module) -> bool:
        text = self.context.scratch.get("source") or ""
        names = [n for n in self.owners.imported.values() if n.startswith("flask.")]
        # The local names to look at (a set test per node before any dotted lookup).
        self.flask_locals = {
            local
            for local, n in self.owners.imported.items()
            if n.startswith("flask.") and n not in LEFT_TO_OTHERS
        }
        self.app_names = set(self.owners.apps)
        values = "|".join(APP_VALUES)
        if all(n in LEFT_TO_OTHERS for n in names) and not any(
            re.search(rf"(?<![\w.]){re.escape(app)}\.(?:{values})\b", text)
            for app in self.owners.apps
        ):
            return False  # nothing of Flask's to look for: no walk (the bench's 1,000 routes)
        self.set_on_app = _set_on_apps(node, self.owners.apps)
        self.own: dict[int, set[str]] = {}  # id(function) → its own names, when asked
        # A name a rule now imports from elsewhere (Flask's `Response` → Starlette's) is no
        # longer Flask's; the imports are settled after the last rule.
        self.rebound = {
            item.alias or item.obj_name
            for item in self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY, ())
            if item.obj_name and item.module.split(".")[0] != "flask"
        }
        self.skip: set[int] = set()  # Name nodes that are not reads of a module name
        self.has_todo: list[set[str]] = [set()]  # per line: the rules whose TODO it has
        return True

    # ---- what is not a read of the module's name
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.skip.add(id(node.name))
        self.has_todo.append(_header_todos(node))
        return super().visit_FunctionDef(node)

    def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
        self.has_todo.pop()
        return super().leave_FunctionDef(original, updated)

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        return False  # `-> ResponseReturnValue`: a type, nothing Flask runs

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.skip.add(id(node.name))
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        comment = node.trailing_whitespace.comment
        self.has_todo.append(_rules_in(comment))
        return super().visit_SimpleStatementLine(node)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        self.has_todo.pop()
        return super().leave_SimpleStatementLine(original, updated)

    # ---- the reads
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.skip.add(id(node.attr))
        head = node.value
        if not isinstance(head, cst.Name) or (
            head.value not in self.flask_locals and head.value not in self.app_names
        ):
            return True  # `x.y.z`: the Name `x` is looked at on its own
        base = head.value
        attr = node.attr.value
        if (
            base in self.owners.apps
            and attr in APP_VALUES
            and attr not in self.set_on_app.get(base, set())
        ):
            self._flag(f"{base}.{attr}", f"flask.Flask.{attr}", f"flask.Flask.{attr}")
        name = self.owners.flask(node)
        if name and name.startswith("flask.current_app.") and name.count(".") == 2:
            # `current_app.extensions`: the page of the app attribute, if one covers it.
            self.skip.add(id(node.value))
            attr = name.rsplit(".", 1)[1]
            self._flag(dotted(node) or name, name, f"flask.Flask.{attr}", "flask.current_app")
        return True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.flask_locals or id(node) in self.skip:
            return
        name = self.owners.flask(node)
        if not name or not name.startswith("flask.") or name in LEFT_TO_OTHERS:
            return
        if node.value in self.rebound or self._bound_here(node.value):
            return
        if name == "flask.json.jsonify" or not name.startswith("flask.json."):
            self._flag(node.value, name, name)

    def _bound_here(self, name: str) -> bool:
        """Does an enclosing function bind `name` itself (a parameter, an assignment)?"""
        for function in self.functions:
            if id(function) not in self.own:
                self.own[id(function)] = _own_names(function)
            if name in self.own[id(function)]:
                return True
        return False

    def _flag(self, code: str, spoken: str, *names: str) -> None:
        """Ask for the line's TODO naming `code` (the Flask name `spoken`), with the page
        of the first of `names` (dotted Flask names) that a page covers; one TODO per
        line, naming every use."""
        if not self.options.structure or any(
            spoken in SPOKEN_FOR.get(rule, (spoken,)) for rule in self.has_todo[-1]
        ):
            return  # the line's TODO from another rule already speaks of this name
        pending = self._pending[-1]
        mine = [i for i, t in enumerate(pending) if t.startswith(f"TODO(flask2fastapi {self.id})")]
        if mine:  # a second Flask name on the line: added to its TODO
            text = pending[mine[0]]
            head, _, rest = text.partition(": ")
            used, _, tail = re.split(r" (?:is|are) (?=Flask's)", rest, maxsplit=1)[0], "", rest
            if f"`{code}`" not in used:
                tail = tail[len(used) :].replace(" is Flask's", " are Flask's", 1)
                pending[mine[0]] = f"{head}: {used}, `{code}`{tail}"
            return
        links = [link for n in names for link in knowledge().links_for(n)]
        page = links[0].url if links else self.page
        pending.append(
            # (No word the rules may drop the import of, such as `request`: the import
            # settling would then have to resolve the module's scopes, a slow walk.)
            f"TODO(flask2fastapi {self.id}): `{code}` is Flask's, and a FastAPI app never "
            f"sets up the Flask contexts it needs: port it as this page shows — {page}"
        )


def _own_names(node: cst.FunctionDef) -> set[str]:
    """The names `node` binds itself: its parameters and what its body assigns (`x = `,
    `as x`, `for x in`). A plain loop over the children: a visitor's dispatch per node
    cost more than the rest of the rule."""
    p = node.params
    found = {
        x.name.value
        for x in (*p.posonly_params, *p.params, *p.kwonly_params, p.star_arg, p.star_kwarg)
        if isinstance(x, cst.Param)
    }
    stack: list[cst.CSTNode] = [node.body]
    while stack:
        current = stack.pop()
        target = None
        if isinstance(current, cst.AssignTarget):
            target = current.target
        elif isinstance(current, cst.AsName):
            target = current.name
        elif isinstance(current, cst.For):
            target = current.target
        if isinstance(target, cst.Name):
            found.add(target.value)
        stack += children(current)
    return found


def _rules_in(comment: cst.Comment | None) -> set[str]:
    """The rules whose TODOs a line's comment holds."""
    if comment is None:
        return set()
    return {m["rule"] for m in TODO_RULE.finditer(comment.value)}


def _header_todos(node: cst.FunctionDef) -> set[str]:
    body = node.body
    return _rules_in(body.header.comment if isinstance(body, cst.IndentedBlock) else None)


def _set_on_apps(module: cst.Module, apps: set[str]) -> dict[str, set[str]]:
    """app name → the attributes the module assigns on it (`app.json = ...`)."""
    found: dict[str, set[str]] = {}

    class Sets(FastVisitor):
        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            t = target.target
            if isinstance(t, cst.Attribute) and dotted(t.value) in apps:
                found.setdefault(dotted(t.value) or "", set()).add(t.attr.value)

    walk(module, Sets())
    return found
