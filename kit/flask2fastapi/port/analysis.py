"""Before any rule runs: find the apps and blueprints of every module, and decide whether
the tree's app can become a FastAPI app at all.

A FastAPI app has no `config`, `before_request`, `teardown_appcontext`…: converting
`Flask(__name__)` while such a use remains would give a port that fails on import. So the
structure (app, blueprints, routes) is converted all together or not at all; what blocks
it is listed in a TODO at each `Flask(...)` line, with the page that ports it.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from flask2fastapi.port.base import (
    ROUTE_DECORATORS,
    FastVisitor,
    Owners,
    dotted,
    string_value,
    walk,
)

#: Attributes of a Flask app (or blueprint) that the port's rules convert.
CONVERTED = {*ROUTE_DECORATORS, "add_url_rule", "register_blueprint", "errorhandler"}
#: Attributes FastAPI has too (or that only store a value): they do not block.
HARMLESS = {"json", "secret_key", "name", "import_name"}
#: Where each blocking attribute is ported by hand (a page under docs/).
BLOCKER_PAGES = {
    "config": "structure/configuration.md",
    "before_request": "structure/request-hooks.md",
    "after_request": "structure/request-hooks.md",
    "teardown_request": "structure/request-hooks.md",
    "teardown_appcontext": "structure/request-hooks.md",
    "app_errorhandler": "errors/error-handlers.md",
    "register_error_handler": "errors/error-handlers.md",
    "context_processor": "pages/templates.md",
    "template_filter": "pages/templates.md",
    "jinja_env": "pages/templates.md",
    "url_map": "routing/path-parameters.md",
    "cli": "structure/configuration.md",
}
FLASK_NAMES = {"Flask", "flask.Flask"}
BLUEPRINT_NAMES = {"Blueprint", "flask.Blueprint"}
FASTAPI_NAMES = {"FastAPI", "fastapi.FastAPI"}
ROUTER_NAMES = {"APIRouter", "fastapi.APIRouter"}


#: `app.config[KEY] = value` settings that have a FastAPI counterpart the guide shows.
CONFIG_SETTINGS = {"TRUSTED_HOSTS"}


def config_setting(node: cst.SimpleStatementLine) -> str | None:
    """The owner of an `owner.config["TRUSTED_HOSTS"] = value` line, else None."""
    if len(node.body) != 1 or not isinstance(node.body[0], cst.Assign):
        return None
    assign = node.body[0]
    target = assign.targets[0].target if len(assign.targets) == 1 else None
    if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    key = string_value(index.value) if isinstance(index, cst.Index) else None
    base = target.value
    if key not in CONFIG_SETTINGS or not isinstance(base, cst.Attribute):
        return None
    return dotted(base.value) if base.attr.value == "config" else None


def is_main_guard(node: cst.If) -> bool:
    """`if __name__ == "__main__":`, either way round."""
    test = node.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    sides = {dotted(test.left), string_value(test.left)}
    sides |= {dotted(target.comparator), string_value(target.comparator)}
    return isinstance(target.operator, cst.Equal) and {"__name__", "__main__"} <= sides


class _Finder(FastVisitor):
    def __init__(self) -> None:
        self.owners = Owners()
        self.flask_apps = 0
        self.fastapi_apps = 0
        self.uses: dict[str, set[str]] = {}
        self.config_uses: Counter[str] = Counter()  # owner → `owner.config` occurrences
        self.config_converted: Counter[str] = Counter()  # … in statements a rule converts
        #: Decorators and calls in source order, for `_ErrorHandlerCheck` once the owners
        #: are all known: kept here so the module is walked once, not twice.
        self.checked: list[cst.Decorator | cst.Call] = []
        #: `owner.run` uses, and those under `if __name__ == "__main__":` (the `app` rule
        #: leaves a TODO there; anywhere else, `run` keeps the app in Flask).
        self.run_uses: Counter[str] = Counter()
        self.run_in_main: Counter[str] = Counter()
        self._main_guards = 0

    def visit_If(self, node: cst.If) -> None:
        self._main_guards += is_main_guard(node)

    def leave_If(self, original_node: cst.If) -> None:
        self._main_guards -= is_main_guard(original_node)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.checked.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.checked.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.value, cst.Call):
            return
        target = dotted(node.targets[0].target)
        called = dotted(node.value.func)
        if target is None or called is None:
            return
        if called in FLASK_NAMES:
            self.owners.apps.add(target)
            self.flask_apps += 1
        elif called in FASTAPI_NAMES:
            self.owners.apps.add(target)
            self.fastapi_apps += 1
        elif called in BLUEPRINT_NAMES | ROUTER_NAMES:
            first = node.value.args[0].value if node.value.args else None
            self.owners.blueprints[target] = string_value(first) or target

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted(node.module) if node.module else None
        if module is None or not (module == "flask" or module.startswith(("flask.", "werkzeug"))):
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name)
            local = dotted(alias.asname.name) if alias.asname else name
            if name and local:
                self.owners.imported[local] = f"{module}.{name}"

    def visit_Attribute(self, node: cst.Attribute) -> None:
        base = dotted(node.value)
        if base is not None:
            self.uses.setdefault(base, set()).add(node.attr.value)
            if node.attr.value == "config":
                self.config_uses[base] += 1
            elif node.attr.value == "run":
                self.run_uses[base] += 1
                self.run_in_main[base] += self._main_guards > 0

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        owner = config_setting(node)
        if owner is not None:
            self.config_converted[owner] += 1


class ModuleInfo:
    """What one module holds: its owners, how many Flask and FastAPI apps it creates, and
    the Flask attributes used on its owners that no rule converts."""

    def __init__(self, module: cst.Module) -> None:
        finder = _Finder()
        walk(module, finder)
        self.owners = finder.owners
        self.flask_apps = finder.flask_apps
        self.fastapi_apps = finder.fastapi_apps
        self.has_blueprints = bool(finder.owners.blueprints)
        #: `owner.attr` → the page that ports it by hand.
        self.blockers: dict[str, str] = {}
        from flask2fastapi.port.config import plan as config_plan

        for owner in finder.owners.apps | set(finder.owners.blueprints):
            uses = finder.uses.get(owner, set()) - CONVERTED - HARMLESS
            if finder.config_uses[owner] == finder.config_converted[owner] or (
                "config" in uses and config_plan(module, owner, finder.owners) is not None
            ):
                uses.discard("config")  # every use is one the `app` or `config` rule converts
            if finder.run_uses[owner] == finder.run_in_main[owner]:
                uses.discard("run")  # only the script's `if __name__ == "__main__":` block
            for attr in sorted(uses):
                page = BLOCKER_PAGES.get(attr, "start/project-layout.md")
                self.blockers[f"{owner}.{attr}"] = page
        # app.errorhandler(werkzeug's HTTPException) has no one-to-one FastAPI handler.
        check = _ErrorHandlerCheck(self)
        for node in finder.checked:
            if isinstance(node, cst.Decorator):
                check.visit_Decorator(node)
            else:
                check.visit_Call(node)
        # Flask-Login's `init_app(app)` the `login` rule converts does not either.
        from flask2fastapi.port.login import lift_blockers

        lift_blockers(module, self.blockers)
        # Request hooks the `hooks` rule ports do not keep the app in Flask.
        from flask2fastapi.port.hooks import find_hooks

        hooks = find_hooks(module, self.owners)
        for hook in hooks:
            if all(h.ok for h in hooks if (h.owner, h.kind) == (hook.owner, hook.kind)):
                self.blockers.pop(f"{hook.owner}.{hook.kind}", None)
                self.owners.hooks.add(hook.name)
        from flask2fastapi.port.errors import handler_names

        self.owners.hooks |= handler_names(module, self.owners)
        from flask2fastapi.port.sqlalchemy import lift_blockers as lift_db

        lift_db(module, self.owners.apps, self.blockers)
        # MethodViews the `method-view` rule converts do not keep the app in Flask.
        if any(p == "routing/class-based-views.md" for p in self.blockers.values()):
            from flask2fastapi.port.views import all_converted

            if all_converted(module, self.owners):
                for key in [k for k, p in self.blockers.items() if k.endswith(".add_url_rule")]:
                    del self.blockers[key]


class _ErrorHandlerCheck:
    """Checks on decorators and calls that need the module's owners, fed by `_Finder`."""

    def __init__(self, info: ModuleInfo) -> None:
        self.info = info

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        owner = dotted(call.func.value)
        if call.func.attr.value != "errorhandler" or owner not in self.info.owners:
            return
        if owner in self.info.owners.blueprints:
            # A blueprint's own handler would become app-wide: never widened silently.
            self.info.blockers[f"{owner}.errorhandler"] = "structure/blueprint-scope.md"
        # An app's handlers, HTTPException and 500 included, the `errorhandler` rule ports.

    def visit_Call(self, node: cst.Call) -> None:
        # `CORS(app)`, `cache.init_app(app)`: an extension that hooks into the Flask app.
        called = dotted(node.func) or ""
        for a in node.args:
            owner = dotted(a.value)
            if (
                owner in self.info.owners
                and not called.endswith("Provider")
                and called.split(".")[0] not in self.info.owners
            ):
                self.info.blockers[f"{called}({owner})"] = "migrating/extensions-map.md"
        # add_url_rule(view_func=View.as_view(...)): a class-based view, not converted yet.
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value != "add_url_rule":
            return
        owner = dotted(node.func.value)
        view = next((a.value for a in node.args if a.keyword and a.keyword.value == "view_func"),
                    node.args[2].value if len(node.args) > 2 else None)  # fmt: skip
        if owner in self.info.owners and not isinstance(view, cst.Name):
            self.info.blockers[f"{owner}.add_url_rule"] = "routing/class-based-views.md"
