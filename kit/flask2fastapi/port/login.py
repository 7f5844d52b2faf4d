"""Rule `login`: Flask-Login → the guide's current-user dependencies over Starlette's
signed session (docs/extensions/flask-login.md).

What converts, when the whole tree's Flask-Login use is of these shapes:

* `login_manager = LoginManager()` (or `LoginManager(app)`) → the page's recipe written in
  its place: `current_user_or_anonymous` (the `user_loader` function called with the
  session's `_user_id`, else Flask-Login's `AnonymousUserMixin()`) and `login_required`
  (the user, else the redirect to `login_view` with `?next=`, as Flask-Login answers: the
  `LoginRequired` exception and its handler; without a `login_view`, Flask-Login's 401).
* `login_manager.login_view = "endpoint"` → read into the recipe; `@login_manager.user_loader`
  → the decorator goes, the function stays (the dependency calls it).
* `login_manager.init_app(app)` / `LoginManager(app)` → `app.add_middleware(SessionMiddleware,
  ...)` with the app's `SECRET_KEY` and session cookie flags, and the redirect's handler.
* `@login_required` on a view → `dependencies=[Depends(login_required)]` on its route, or a
  `current_user` parameter from `login_required` when the view reads `current_user`;
  `current_user` in any other view → a parameter from `current_user_or_anonymous`.
* `login_user(user)` → `_user_id` and `_fresh` in `request.session` (an inactive user is not
  logged in, as Flask-Login refuses it); `logout_user()` → both popped again.

Anything else of Flask-Login (`fresh_login_required`, `request_loader`, remember-me,
`blueprint_login_views`, `current_user` outside a view…) has no recipe here: nothing of
Flask-Login converts, the app stays Flask (the `LoginManager(app)`/`init_app(app)` blocker
stays), and each such line gets a TODO naming what to do.

The decision is taken for the whole tree before any rule runs (`plan_tree`, kept in
`PLAN` for the run), since the manager, its `init_app` and the views live in different
modules of a package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

import libcst as cst

from flask2fastapi.port.base import (
    ROUTE_DECORATORS,
    PortRule,
    add_param,
    arg,
    dotted,
    function_params,
    is_route_decorator,
    knowledge,
    page_url,
    source,
    string_value,
)

PAGE = "extensions/flask-login.md"
#: Flask-Login names the rule converts (the mixins are plain classes: they stay).
CONVERTED = {"LoginManager", "login_required", "current_user", "login_user", "logout_user"}
KEPT = {"UserMixin", "AnonymousUserMixin"}
#: What the page says to do for each Flask-Login name the rule does not convert.
BY_HAND = {
    "fresh_login_required": "a dependency that also checks a `fresh` flag in the session",
    "login_fresh": "a `fresh` flag in the session, set at login",
    "confirm_login": "set the session's `fresh` flag again",
    "login_url": "`request.url_for(login_view)` plus `?next=`",
}
#: LoginManager attributes the recipe has no counterpart for, and what to do.
MANAGER_BY_HAND = {
    "request_loader": "a dependency that reads the request's credentials",
    "header_loader": "a dependency that reads the header",
    "unauthorized_handler": "raise your own exception from `login_required` and answer it "
    "with an exception handler",
    "needs_refresh_handler": "an exception handler for the fresh-login dependency",
    "blueprint_login_views": "one dependency per router: a redirect for HTML routes, a 401 "
    "for JSON ones",
    "anonymous_user": "return your anonymous class from `current_user_or_anonymous`",
    "refresh_view": "a dependency that also checks a `fresh` flag in the session",
    "login_message": "FastAPI has no flash messages: show the message on the login page",
    "login_message_category": "FastAPI has no flash messages: show the message on the login page",
    "session_protection": "Flask-Login's session protection (a session tied to the "
    "client's address and agent): check it in `current_user_or_anonymous`",
}


@dataclass
class LoginPlan:
    """Flask-Login in the tree: where the manager lives, how it is set up, and whether
    the rule can convert all of it (`ok`; `problems` says why not)."""

    manager: str | None = None  # the manager's variable
    home: str | None = None  # its module's import name (None: the module being ported)
    loader: str | None = None  # the user_loader function
    loader_home: str | None = None  # its module's import name
    #: the loader reads Flask-SQLAlchemy's `db.session`: the recipe hands it the request's
    #: database session (`SessionDep`), the `sqlalchemy` rule gives it a `session` parameter
    loader_reads_db: bool = False
    login_view: str | None = None  # the endpoint anonymous users are sent to
    #: app variable → (secret key code, https_only code, same_site code) per init site.
    sessions: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: app variable → more SessionMiddleware arguments (`session_cookie`, `path`…) as code.
    cookie_options: dict[str, dict[str, str]] = field(default_factory=dict)
    init_sites: set[str] = field(default_factory=set)  # `login_manager.init_app(app)`…
    problems: list[str] = field(default_factory=list)
    used: bool = False
    local: bool = False  # the manager is made inside a function (an app factory)
    #: a template file of the tree reads `current_user` (Flask-Login puts it in every
    #: template's context; FastAPI's templates get only what the view passes)
    templates_read_user: bool = False
    users: set[str | None] = field(default_factory=set)  # modules that use Flask-Login
    #: Other extensions' module-level objects (`db = SQLAlchemy()`): name → import name of
    #: the extension (`flask_sqlalchemy`), for the TODO at their `init_app(app)`.
    extensions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.used and self.manager is not None and not self.problems


#: The tree's plan for the length of a run (set by the driver); None: plan each module alone.
PLAN: ContextVar[LoginPlan | None] = ContextVar("flask2fastapi_login_plan", default=None)


def login_names(module: cst.Module) -> dict[str, str]:
    """Local name → Flask-Login name, for `from flask_login import ...` in `module`."""
    names = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and dotted(small.module) == "flask_login"
                and not isinstance(small.names, cst.ImportStar)
            ):
                for alias in small.names:
                    local = alias.asname.name if alias.asname else alias.name
                    names[dotted(local) or ""] = dotted(alias.name) or ""
    return names


def _is_view(node: cst.FunctionDef) -> bool:
    """A Flask (or already ported) route function: `@x.route(...)`, `@x.get(...)`…"""
    for d in node.decorators:
        call = d.decorator
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in {*ROUTE_DECORATORS, "api_route"}
        ):
            return True
    return False


def _config(node: cst.CSTNode) -> tuple[str, dict[str, cst.BaseExpression]] | None:
    """The owner and the session settings one statement gives it: `app.config.update(KEY=v)`,
    `app.config["KEY"] = v`, `app.secret_key = v`; None for any other statement."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        owner = dotted(node.func.value)
        if node.func.attr.value == "update" and owner and owner.endswith(".config"):
            found = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
            return owner.removesuffix(".config"), found
    elif isinstance(node, cst.Assign) and len(node.targets) == 1:
        target = node.targets[0].target
        name = dotted(target)
        if name and name.endswith(".secret_key"):
            return name.removesuffix(".secret_key"), {"SECRET_KEY": node.value}
        if (
            isinstance(target, cst.Subscript)
            and (dotted(target.value) or "").endswith(".config")
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
        ):
            key = string_value(target.slice[0].slice.value)
            owner = (dotted(target.value) or "").removesuffix(".config")
            if key:
                return owner, {key: node.value}
    return None


class _Collector(cst.CSTVisitor):
    """One module's Flask-Login facts, added to `plan`."""

    def __init__(self, plan: LoginPlan, module: cst.Module, home: str | None) -> None:
        self.plan = plan
        self.module = module
        self.home = home
        self.names = login_names(module)
        self.functions: list[cst.FunctionDef] = []
        self.settings: dict[str, dict[str, cst.BaseExpression]] = {}
        self.apps_to_init: list[str] = []
        if set(self.names.values()) - KEPT:
            plan.used = True
            plan.users.add(home)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)
        for d in node.decorators:
            name = dotted(d.decorator)
            if name and self.names.get(name) == "login_required":
                if not _is_view(node):
                    self.plan.problems.append(f"`@{name}` on `{node.name.value}`, not a view")
            elif name and self.plan.manager and name == f"{self.plan.manager}.user_loader":
                self.plan.loader, self.plan.loader_home = node.name.value, self.home
                code = self.code(node)
                dbs = [n for n, ext in self.plan.extensions.items() if ext == "flask_sqlalchemy"]
                # `db.session`, or a model's `query` (Flask-SQLAlchemy 2.x's `User.query.get`)
                self.plan.loader_reads_db = any(f"{db}.session" in code for db in dbs) or (
                    bool(dbs) and re.search(r"\b[A-Z]\w*\.query\.\w+\(", code) is not None
                )
                # Nested in a function: the recipe must sit in that same function.
                if len(self.functions) > 1 and (not self.plan.local or self.home != self.plan.home):
                    self.plan.problems.append(
                        "a `user_loader` inside a function, `LoginManager()` outside it: "
                        "move the loader to module level"
                    )

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        self._settings(node)
        if len(node.targets) != 1:
            return
        target = dotted(node.targets[0].target)
        value = node.value
        if (
            isinstance(value, cst.Call)
            and self.names.get(dotted(value.func) or "") == "LoginManager"
        ):
            if self.plan.manager is not None or target is None or "." in target:
                self.plan.problems.append("more than one `LoginManager()`")
                return
            self.plan.manager, self.plan.home = target, self.home
            self.plan.local = bool(self.functions)  # made inside the app factory
            if len(value.args) > 1 or any(a.keyword for a in value.args):
                self.plan.problems.append("`LoginManager(...)` with options")
            elif value.args:
                app = dotted(value.args[0].value)
                if app is None:
                    self.plan.problems.append("`LoginManager(...)` of an expression")
                else:
                    self.apps_to_init.append(app)
                    self.plan.init_sites.add(f"LoginManager({app})")
        elif target and self.plan.manager and target == f"{self.plan.manager}.login_view":
            view = string_value(value)
            if view is None:
                self.plan.problems.append("`login_view` that is not a string")
            self.plan.login_view = view

    def _settings(self, node: cst.CSTNode) -> None:
        found = _config(node)
        if found is not None:
            self.settings.setdefault(found[0], {}).update(found[1])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False  # names imported are not uses

    def apps(self) -> set[str]:
        return set(self.apps_to_init)

    def visit_Call(self, node: cst.Call) -> None:
        self._settings(node)
        name = dotted(node.func) or ""
        if self.plan.manager and name == f"{self.plan.manager}.init_app":
            app = dotted(node.args[0].value) if len(node.args) == 1 else None
            if app is None:
                self.plan.problems.append("`init_app` of an expression")
            else:
                self.apps_to_init.append(app)
                self.plan.init_sites.add(f"{name}({app})")
        flask_name = self.names.get(name)
        in_view = bool(self.functions) and _is_view(self.functions[-1])
        if flask_name == "login_user":
            if (
                len(node.args) != 1
                or node.args[0].keyword is not None
                or dotted(node.args[0].value) is None  # evaluated twice by the recipe
                or not in_view
            ):
                self.plan.problems.append("`login_user` with options or outside a view")
        elif flask_name == "logout_user" and (node.args or not in_view):
            self.plan.problems.append("`logout_user` outside a view")

    def visit_Name(self, node: cst.Name) -> None:
        flask_name = self.names.get(node.value)
        if flask_name in BY_HAND:
            self.plan.problems.append(f"`{flask_name}`")
        elif flask_name == "current_user" and not (self.functions and _is_view(self.functions[-1])):
            self.plan.problems.append("`current_user` outside a view")
        elif flask_name and flask_name not in CONVERTED | KEPT:
            self.plan.problems.append(f"`{flask_name}`")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.plan.manager and dotted(node.value) == self.plan.manager:
            attr = node.attr.value
            if attr not in ("login_view", "user_loader", "init_app"):
                self.plan.problems.append(f"`{self.plan.manager}.{attr}`")

    def leave_Module(self, original_node: cst.Module) -> None:
        for app in self.apps():
            settings = self.settings.get(app, {})
            secret = settings.get("SECRET_KEY")
            if secret is None:
                self.plan.problems.append(
                    f"no `SECRET_KEY` set on `{app}` next to Flask-Login: pass your secret "
                    "to `SessionMiddleware` by hand"
                )
                continue
            secure = settings.get("SESSION_COOKIE_SECURE")
            samesite = string_value(settings.get("SESSION_COOKIE_SAMESITE"))
            if "SESSION_COOKIE_SAMESITE" in settings and samesite is None:
                self.plan.problems.append("a `SESSION_COOKIE_SAMESITE` that is not a string")
                continue
            self.plan.sessions[app] = (
                self.code(secret),
                self.code(secure) if secure is not None else "False",
                # Flask sends no SameSite by default; Starlette's nearest is "lax".
                (samesite or "lax").lower(),
            )
            self.plan.cookie_options[app] = {
                argument: self.code(settings[key])
                for key, argument in COOKIE_OPTIONS.items()
                if key in settings
            }


#: Flask's session cookie settings → SessionMiddleware's arguments (Starlette 1.x).
COOKIE_OPTIONS = {
    "SESSION_COOKIE_NAME": "session_cookie",
    "SESSION_COOKIE_PATH": "path",
    "SESSION_COOKIE_DOMAIN": "domain",
    "SESSION_COOKIE_PARTITIONED": "partitioned",
}
#: Files whose text may be a Jinja template reading `current_user`.
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".xml", ".txt")
#: Calls that render a template (Flask's, or what the templates rule made of them).
RENDERS = ("render_template", "render_template_string", "TemplateResponse")


def plan_tree(modules: dict[str | None, cst.Module], templates: Iterable[str] = ()) -> LoginPlan:
    """The plan for a tree: `modules` maps each module's import name (None for a lone
    module) to its parsed code; `templates` are the texts of its template files."""
    plan = LoginPlan()
    plan.templates_read_user = any("current_user" in text for text in templates)
    for module in modules.values():
        plan.extensions.update(_extension_objects(module))
    # The manager's module first: other modules' uses are checked against its name.
    ordered = sorted(modules.items(), key=lambda kv: "LoginManager" not in source(kv[1]))
    for home, module in ordered:
        if "flask_login" in source(module) or (plan.manager and plan.manager in source(module)):
            module.visit(_Collector(plan, module, home))
    if plan.used and plan.manager is None:
        plan.problems.append("no `LoginManager()` in the tree")
    if plan.local and plan.users - {plan.home}:
        plan.problems.append(
            "`LoginManager()` inside a function, used by other modules: make it at module level"
        )
    if plan.manager is not None and not plan.init_sites:
        plan.problems.append("no `init_app(app)` or `LoginManager(app)`")
    if plan.manager is not None and plan.loader is None:
        plan.problems.append("no `@user_loader` function")
    # The recipe asks for `SessionDep` where the manager is: that module must have `db`
    # (make it, or import it) for the `sqlalchemy` rule to give it `SessionDep` instead.
    dbs = [n for n, ext in plan.extensions.items() if ext == "flask_sqlalchemy"]
    home = modules.get(plan.home)
    if (
        plan.loader_reads_db
        and home is not None
        and not any(re.search(rf"\b{re.escape(db)}\b", source(home)) for db in dbs)
    ):
        plan.problems.append(
            "a `user_loader` that reads the database, and no `db` where `LoginManager()` "
            "is: import `db` there"
        )
    return plan


def _extension_objects(module: cst.Module) -> dict[str, str]:
    """`name = Cls(...)` at module level, `Cls` imported from an extension on the map."""
    imported: dict[str, str] = {}
    found: dict[str, str] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        small = stmt.body[0]
        if isinstance(small, cst.ImportFrom) and small.module is not None:
            top = (dotted(small.module) or "").split(".")[0]
            if knowledge().is_extension_module(top) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    local = alias.asname.name if alias.asname else alias.name
                    imported[dotted(local) or ""] = top
        elif (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.value, cst.Call)
            and isinstance(small.targets[0].target, cst.Name)
        ):
            head = (dotted(small.value.func) or "").split(".")[0]
            if head in imported and imported[head] != "flask_login":
                found[small.targets[0].target.value] = imported[head]
    return found


def current_plan(module: cst.Module) -> LoginPlan:
    """The run's plan, else this module's own."""
    return PLAN.get() or plan_tree({None: module})


def lift_blockers(module: cst.Module, blockers: dict[str, str]) -> None:
    """Drop the `LoginManager(app)` / `init_app(app)` blockers the rule converts."""
    if "flask_login" not in source(module) and "init_app" not in source(module):
        return
    plan = current_plan(module)
    if plan.ok:
        for site in plan.init_sites:
            blockers.pop(site, None)


# ---------------------------------------------------------------------- the recipe
CURRENT_USER = '''\
def current_user_or_anonymous(request: Request) -> Any:
    """Flask-Login's `current_user`: the session's user (`{loader}`), else anonymous."""
{import_loader}    user_id = request.session.get("_user_id")
    user = {loader}(user_id) if user_id is not None else None
    return user if user is not None else AnonymousUserMixin()
'''
#: The same, for a loader that reads the database: the request's database session (the
#: databases page's `SessionDep`, the one the view gets too) is passed to it.
CURRENT_USER_DB = '''\
def current_user_or_anonymous(request: Request, session: SessionDep) -> Any:
    """Flask-Login's `current_user`: the session's user (`{loader}`, read with the request's
    database session), else anonymous."""
{import_loader}    user_id = request.session.get("_user_id")
    user = {loader}(user_id, session) if user_id is not None else None
    return user if user is not None else AnonymousUserMixin()
'''
REDIRECT = '''\
class LoginRequired(Exception):
    """Raised by `login_required` for an anonymous user; `redirect_to_login` answers it."""

    def __init__(self, request: Request) -> None:
        query = f"?{{request.url.query}}" if request.url.query else ""
        self.next = request.url.path + query  # as Flask-Login's `next`: path and query
'''
REDIRECT_HANDLER = """\
async def redirect_to_login(request: Request, exc: LoginRequired) -> Response:
    # 302 to the login view, as Flask-Login (RedirectResponse's 307 would replay a POST).
    url = request.url_for({view}).path + "?" + urlencode({{"next": exc.next}})
    return RedirectResponse(url, status_code=302)
"""
LOGIN_REQUIRED = '''\
def login_required(
    request: Request, user: Annotated[Any, Depends(current_user_or_anonymous)]
) -> Any:
    """Flask-Login's `@login_required` as a dependency: the user, else {what}."""
    if not user.is_authenticated:
        {refuse}
    return user
'''
RECIPE_IMPORTS = (
    ("typing", "Annotated"),
    ("typing", "Any"),
    ("fastapi", "Depends"),
    ("fastapi", "Request"),
    ("flask_login", "AnonymousUserMixin"),
)
REDIRECT_IMPORTS = (
    ("urllib.parse", "urlencode"),
    ("fastapi", "Response"),
    ("fastapi.responses", "RedirectResponse"),
)


def _statements(code: str) -> list[cst.BaseStatement]:
    return list(cst.parse_module(code).body)


class LoginRule(PortRule):
    id = "login"
    needs = ("flask_login", "login_manager", "LoginManager", "init_app")
    without_structure = True

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.plan = LoginPlan()
        self.names: dict[str, str] = {}
        #: per function: does its body read `current_user`, and does it need `request`.
        self.reads_user: list[bool] = []
        self.needs_request: list[bool] = []

    @property
    def converting(self) -> bool:
        return self.options.structure and self.plan.ok

    def visit_Module(self, node: cst.Module) -> bool:
        self.plan = current_plan(node)
        self.names = login_names(node)
        # The manager's own module defines the recipe; the others import it from there.
        self.is_home = "LoginManager" in self.names.values() and any(
            isinstance(s, cst.SimpleStatementLine)
            and isinstance(s.body[0], cst.Assign)
            and dotted(s.body[0].targets[0].target) == self.plan.manager
            for s in node.body
        )
        return True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False  # names imported are not uses

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):  # type: ignore[no-untyped-def]
        # The converted names go even where the recipe redefines them (`login_required`):
        # RemoveImportsVisitor keeps an import whose name is still referenced.
        if not self.converting or dotted(updated.module) != "flask_login":
            return updated
        if isinstance(updated.names, cst.ImportStar):
            return updated
        kept = [a for a in updated.names if dotted(a.name) not in CONVERTED]
        if len(kept) == len(updated.names):
            return updated
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=kept)

    def _local(self, flask_name: str) -> str | None:
        return next((k for k, v in self.names.items() if v == flask_name), None)

    def _need(self, name: str) -> None:
        """`name` of the recipe is used here: import it from the manager's module."""
        if self.plan.home is not None and not self.is_home:
            self.add_import(self.plan.home, name)
        self.drop_import("flask_login", name)

    # ------------------------------------------------------------------ not converting
    def _explain(self, node: cst.CSTNode) -> None:
        """A TODO naming what to do for a Flask-Login use the rule cannot convert."""
        if self.converting or not self.plan.used:
            return
        name = dotted(node) if isinstance(node, cst.Name | cst.Attribute) else None
        if name is None:
            return
        flask_name = self.names.get(name)
        if flask_name in BY_HAND:
            self.todo(f"`{flask_name}`: {BY_HAND[flask_name]}")
        elif self.plan.manager and name.startswith(self.plan.manager + "."):
            attr = name.split(".", 1)[1]
            if attr in MANAGER_BY_HAND:
                self.todo(f"`{attr}`: {MANAGER_BY_HAND[attr]}")

    def visit_Name(self, node: cst.Name) -> None:
        self._explain(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._explain(node)

    # ------------------------------------------------------------------ views
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.reads_user.append(False)
        self.needs_request.append(False)
        return super().visit_FunctionDef(node)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self.converting and self.functions and self.names.get(updated.value) == "current_user":
            self.reads_user[-1] = True
            return updated.with_changes(value="current_user")
        return updated

    def rewrite_function(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        reads, wants_request = self.reads_user.pop(), self.needs_request.pop()
        if not self.converting:
            return updated
        required = [d for d in updated.decorators if self._is_login_required(d)]
        loader = [
            d
            for d in updated.decorators
            if dotted(d.decorator) == f"{self.plan.manager}.user_loader"
        ]
        if loader:
            self.converted()
            if self.plan.home is not None and not self.is_home:
                self.drop_import(self.plan.home, self.plan.manager)
            updated = updated.with_changes(
                decorators=[d for d in updated.decorators if d not in loader]
            )
        if not is_view_now(updated, self.owners):
            return updated
        if required:
            self.converted()
            self._need("login_required")
            self.add_import("fastapi", "Depends")
            updated = updated.with_changes(
                decorators=[d for d in updated.decorators if d not in required]
            )
            if not reads:
                updated = _with_dependency(updated, self.owners)
        if reads:
            dependency = "login_required" if required else "current_user_or_anonymous"
            self._need(dependency)
            self.drop_import("flask_login", "current_user")
            for module, name in (
                ("typing", "Annotated"),
                ("typing", "Any"),
                ("fastapi", "Depends"),
            ):
                self.add_import(module, name)
            updated = add_param(updated, f"current_user: Annotated[Any, Depends({dependency})]")
        if wants_request and "request" not in function_params(updated):
            self.add_import("fastapi", "Request")
            self.drop_import("flask", "request")
            updated = add_param(updated, "request: Request")
        return updated

    def _is_login_required(self, decorator: cst.Decorator) -> bool:
        return self.names.get(dotted(decorator.decorator) or "") == "login_required"

    # ------------------------------------------------------------------ statements
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        super().visit_SimpleStatementLine(node)
        if self.converting and self.functions:
            self._template_context(node)
        # No plan problems: only other blockers keep the app in Flask (a rerun converts).
        if self.converting or not self.plan.problems or len(node.body) != 1:
            return True
        small = node.body[0]
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and self.names.get(dotted(small.value.func) or "") == "LoginManager"
        ):
            why = "; ".join(dict.fromkeys(self.plan.problems))
            self.todo(f"Flask-Login stays ({why}): port these by hand as the page shows, "
                      "then rerun")  # fmt: skip
        call = small.value if isinstance(small, cst.Expr) else None
        if (
            isinstance(call, cst.Call)
            and self.names.get(dotted(call.func) or "") == "login_user"
            and any(a.keyword and a.keyword.value == "remember" for a in call.args)
        ):
            self.todo("remember-me: the page's signed, expiring remember-me cookie")
        return True

    def _template_context(self, node: cst.SimpleStatementLine) -> None:
        """A TODO where a template that reads `current_user` is rendered: Flask-Login put
        it in every template's context, FastAPI passes only what the view gives."""
        code = cst.Module([]).code_for_node(node)
        if not any(f"{name}(" in code for name in RENDERS) or "current_user=" in code:
            return
        if "current_user" in code or (
            self.plan.templates_read_user and "render_template_string" not in code
        ):
            self.todo(
                "Flask-Login put `current_user` in every template's context: pass it in "
                "(`current_user=` the view's user) if this template reads it"
            )

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        line = super().leave_SimpleStatementLine(original, updated)
        if not self.converting or len(updated.body) != 1:
            return line
        small = updated.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = dotted(small.targets[0].target)
            if target == self.plan.manager and isinstance(small.value, cst.Call):
                return self._recipe(small.value, line)
            if target == f"{self.plan.manager}.login_view":
                self.converted()
                return cst.RemoveFromParent()
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            name = dotted(call.func) or ""
            if name == f"{self.plan.manager}.init_app":
                return self._init_app(dotted(call.args[0].value) or "", line)
            flask_name = self.names.get(name)
            if flask_name == "login_user":
                return self._login_user(call, line)
            if flask_name == "logout_user":
                self.converted()
                self.needs_request[-1] = True
                self.drop_import("flask_login", name)
                return _like(line, _statements(
                    'request.session.pop("_user_id", None)\n'
                    'request.session.pop("_fresh", None)\n'
                ))  # fmt: skip
        return line

    def _recipe(self, call: cst.Call, line: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        self.converted()
        self.drop_import("flask_login", "LoginManager")
        for module, name in RECIPE_IMPORTS:
            self.add_import(module, name)
        import_loader = ""
        if self.plan.loader_home != self.plan.home:  # imported when called: never circular
            import_loader = f"    from {self.plan.loader_home} import {self.plan.loader}\n"
        recipe = CURRENT_USER_DB if self.plan.loader_reads_db else CURRENT_USER
        code = recipe.format(loader=self.plan.loader, import_loader=import_loader)
        code += "\n\n"
        if self.plan.login_view is not None:
            for module, name in REDIRECT_IMPORTS:
                self.add_import(module, name)
            code += REDIRECT.format() + "\n\n"
            code += REDIRECT_HANDLER.format(view=json.dumps(self.plan.login_view)) + "\n\n"
            what, refuse = "the login redirect", "raise LoginRequired(request)"
        else:
            self.add_import("fastapi", "HTTPException")
            what = "a 401 (no `login_view`)"
            refuse = "raise HTTPException(401)"
        code += LOGIN_REQUIRED.format(what=what, refuse=refuse)
        two = [cst.EmptyLine(indent=False), cst.EmptyLine(indent=False)]
        statements = [
            s.with_changes(leading_lines=[*two, *(e for e in s.leading_lines if e.comment)])
            for s in _statements(code)
        ]
        comments = [e for e in line.leading_lines if e.comment is not None]
        note = "# Flask-Login's job as the guide's dependencies (flask2fastapi login): "
        note += page_url(PAGE)
        statements[0] = statements[0].with_changes(
            leading_lines=[*two, *comments, cst.EmptyLine(comment=cst.Comment(note))]
        )
        if call.args:  # LoginManager(app): the session and the handler here too
            app = dotted(call.args[0].value) or ""
            tail = self._session_lines(app)
            tail[0] = tail[0].with_changes(leading_lines=two)
            statements += tail
        return cst.FlattenSentinel(statements)

    def _session_lines(self, app: str) -> list[cst.BaseStatement]:
        secret, secure, same_site = self.plan.sessions[app]
        self.add_import("starlette.middleware.sessions", "SessionMiddleware")
        code = (
            f"{app}.add_middleware(\n"
            f"    SessionMiddleware,  # Flask's signed session cookie, for Flask-Login's user id\n"
            f"    secret_key={secret},\n"
            f"    https_only={secure},\n"
            f'    same_site="{same_site}",\n'
            + "".join(
                f"    {argument}={code},\n"
                for argument, code in self.plan.cookie_options.get(app, {}).items()
            )
            + "    max_age=None,  # a browser-session cookie, as Flask's non-permanent session\n"
            ")\n"
        )
        if self.plan.login_view is not None:
            self._need("LoginRequired")
            self._need("redirect_to_login")
            code += f"{app}.add_exception_handler(LoginRequired, redirect_to_login)\n"
        return _statements(code)

    def _init_app(self, app: str, line: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        if app not in self.plan.sessions:
            return line
        self.converted()
        if self.plan.home is not None:
            self.drop_import(self.plan.home, self.plan.manager)
        return _like(line, self._session_lines(app))

    def _login_user(self, call: cst.Call, line: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
        self.converted()
        self.needs_request[-1] = True
        self.drop_import("flask_login", dotted(call.func))
        user = cst.Module([]).code_for_node(call.args[0].value)
        return _like(line, _statements(
            f"if {user}.is_active:  # as login_user: an inactive user stays anonymous\n"
            f'    request.session.update(_user_id={user}.get_id(), _fresh=True)\n'
        ))  # fmt: skip


def is_view_now(node: cst.FunctionDef, owners) -> bool:  # type: ignore[no-untyped-def]
    return any(is_route_decorator(d, owners) for d in node.decorators)


def _with_dependency(node: cst.FunctionDef, owners) -> cst.FunctionDef:  # type: ignore[no-untyped-def]
    """The view with `dependencies=[Depends(login_required)]` on its route decorator."""
    decorators = list(node.decorators)
    for i, d in enumerate(decorators):
        if is_route_decorator(d, owners) and isinstance(d.decorator, cst.Call):
            call = d.decorator
            args = list(call.args)
            if args:
                args[-1] = args[-1].with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            args.append(arg(cst.parse_expression("[Depends(login_required)]"), "dependencies"))
            decorators[i] = d.with_changes(decorator=call.with_changes(args=args))
            break
    return node.with_changes(decorators=decorators)


def _like(line: cst.SimpleStatementLine, statements: list[cst.BaseStatement]):  # type: ignore[no-untyped-def]
    """`statements` in place of `line`: its leading comments first, its trailing one last."""
    statements[0] = statements[0].with_changes(leading_lines=line.leading_lines)
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine) and line.trailing_whitespace.comment:
        statements[-1] = last.with_changes(trailing_whitespace=line.trailing_whitespace)
    return cst.FlattenSentinel(statements)
