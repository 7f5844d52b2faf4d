"""Rules `login` (Flask-Login → the flask-login page's dependencies) and `app-context`,
and the `extensions` TODO at another extension's `init_app(app)`."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from flask2fastapi.apps import client_for, framework_of
from flask2fastapi.port import port_source, port_tree

from tests.kit.port.checks import check_noop, check_transformed, todos

#: A one-module app in the shape of the authentication topic: no `login_view`, so an
#: anonymous request to a `@login_required` view is Flask-Login's `abort(401)`.
API_SOURCE = """\
import os

from flask import Flask
from flask_login import LoginManager, current_user, login_required

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
login_manager = LoginManager(app)


@login_manager.user_loader
def load_user(user_id):
    return None


@app.get("/me")
@login_required
def me():
    return {"id": current_user.id}


@app.post("/ping")
@login_required
def ping():
    return {"ok": True}
"""

API_PORT = '''\
import os

from flask import Flask
from fastapi import Depends, HTTPException, Request
from flask_login import AnonymousUserMixin
from starlette.middleware.sessions import SessionMiddleware
from typing import Annotated, Any

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


# Flask-Login's job as the guide's dependencies (flask2fastapi login): {page}
def current_user_or_anonymous(request: Request) -> Any:
    """Flask-Login's `current_user`: the session's user (`load_user`), else anonymous."""
    user_id = request.session.get("_user_id")
    user = load_user(user_id) if user_id is not None else None
    return user if user is not None else AnonymousUserMixin()


def login_required(
    request: Request, user: Annotated[Any, Depends(current_user_or_anonymous)]
) -> Any:
    """Flask-Login's `@login_required` as a dependency: the user, else a 401 (no `login_view`)."""
    if not user.is_authenticated:
        raise HTTPException(401)
    return user


app.add_middleware(
    SessionMiddleware,  # Flask's signed session cookie, for Flask-Login's user id
    secret_key=os.environ["SECRET_KEY"],
    https_only=False,
    same_site="lax",
    max_age=None,  # a browser-session cookie, as Flask's non-permanent session
)


def load_user(user_id):
    return None


@app.get("/me")
def me(current_user: Annotated[Any, Depends(login_required)]):
    return {{"id": current_user.id}}


@app.post("/ping", dependencies=[Depends(login_required)])
def ping():
    return {{"ok": True}}
'''


def test_login_manager_and_login_required_become_the_pages_dependencies():
    """The recipe replaces `LoginManager(app)`; `@login_required` becomes the dependency (a
    `current_user` parameter where the view reads it); the user loader loses its
    decorator. A rerun changes nothing."""
    from flask2fastapi.port.base import page_url

    counts = check_transformed(
        API_SOURCE, API_PORT.format(page=page_url("extensions/flask-login.md")), "routes", "login"
    )
    assert counts == {"routes": 2, "login": 4}


def _load(path: Path, code: str, name: str):
    """`code` imported as module `name` from a file (Flask wants a module with a file)."""
    import importlib.util

    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_a_login_view_both_answer_401(monkeypatch, tmp_path):
    """Flask-Login's `abort(401)` (Werkzeug's HTML page) and the port's `HTTPException(401)`
    (FastAPI's JSON body: the error-envelope difference `parity` knows)."""
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    out, _ = port_source(API_SOURCE)
    flask_app = _load(tmp_path / "api_flask.py", API_SOURCE, "api_flask").app
    port_app = _load(tmp_path / "api_port.py", out, "api_port").app
    with client_for("flask", flask_app) as client:
        r = client.get("/me")
        assert (r.status_code, r.headers["content-type"]) == (401, "text/html; charset=utf-8")
    with client_for("fastapi", port_app) as client:
        r = client.get("/me")
        assert (r.status_code, r.json()) == (401, {"detail": "Unauthorized"})
        assert client.post("/ping").status_code == 401


#: A session login with a login view, as the flask-login page's Flask app has it (without
#: remember-me and fresh logins, which the rule leaves to the reader).
SESSION_SOURCE = """\
import os

from flask import Flask, redirect, request
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
login_manager = LoginManager(app)
login_manager.login_view = "login_form"


class User(UserMixin):
    def __init__(self, id, active=True):
        self.id = id
        self.active = active

    @property
    def is_active(self):
        return self.active


USERS = {"alice": User("alice"), "gone": User("gone", active=False)}


@login_manager.user_loader
def load_user(user_id):
    return USERS.get(user_id)


@app.get("/login")
def login_form():
    return "the form"


@app.post("/login")
def login():
    user = USERS.get(request.form.get("username", ""))
    if user is None:
        return "no", 401
    login_user(user)
    return redirect("/")


@app.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect("/login")


@app.get("/")
def home():
    return {"signed_in": current_user.is_authenticated}


@app.get("/profile")
@login_required
def profile():
    return {"id": current_user.id}
"""

#: (method, path, form): a visit in order, cookies carried over as in a browser.
VISIT = [
    ("GET", "/", None),
    ("GET", "/profile?tab=1", None),
    ("POST", "/logout", None),
    ("POST", "/login", {"username": "gone"}),  # inactive: login_user refuses it
    ("GET", "/profile", None),
    ("POST", "/login", {"username": "alice"}),
    ("GET", "/", None),
    ("GET", "/profile", None),
    ("POST", "/logout", None),
    ("GET", "/profile", None),
    ("GET", "/", None),
]


def _answers(framework: str, app) -> list[tuple[int, str | None, object]]:
    found = []
    with client_for(framework, app) as client:
        for method, path, form in VISIT:
            r = client.request(method, path, data=form)
            body = r.json() if r.headers.get("content-type") == "application/json" else None
            # Flask's Location is relative; FastAPI's `request.url_for` (the `redirect`
            # rule) absolute: compare the path and query.
            location = r.headers.get("location", "").removeprefix("http://testserver")
            found.append((r.status_code, location or None, body))
    return found


def test_the_port_answers_as_flask_login_did(monkeypatch, tmp_path):
    """Status, redirect target (with `next`) and body of every step of a visit: anonymous,
    refused login, login, logout, with the session cookie carried over."""
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    out, counts = port_source(SESSION_SOURCE)
    assert counts["login"] == 7, out
    assert "flask_login import" in out and "LoginManager" not in out
    assert todos(out) == []
    flask_app = _load(tmp_path / "login_flask.py", SESSION_SOURCE, "login_flask").app
    port_app = _load(tmp_path / "login_port.py", out, "login_port").app
    assert framework_of(port_app) == "fastapi"
    flask = _answers("flask", flask_app)
    assert flask[1] == (302, "/login?next=%2Fprofile%3Ftab%3D1", None)
    assert flask[3][0] == 302 and flask[4] == (302, "/login?next=%2Fprofile", None)
    assert flask[7] == (200, None, {"id": "alice"})
    assert _answers("fastapi", port_app) == flask


def test_flask_login_the_rule_cannot_port_stays_with_a_todo_at_each_line():
    """Remember-me and a fresh login have no recipe in the rule: nothing of Flask-Login
    converts, the app stays Flask, and each line says what to do."""
    source = SESSION_SOURCE.replace("login_user(user)", "login_user(user, remember=True)")
    source = source.replace("    logout_user,\n", "    logout_user,\n    fresh_login_required,\n")
    source = source.replace(
        '@app.get("/profile")\n@login_required', '@app.get("/profile")\n@fresh_login_required'
    )
    out, counts = port_source(source)
    assert not counts
    found = todos(out)
    assert any(r == "app" and "`LoginManager(app)`" in t for r, t in found)
    assert ("login", "remember-me: the page's signed, expiring remember-me cookie") in found
    assert (
        "login",
        "`fresh_login_required`: a dependency that also checks a `fresh` flag in the session",
    ) in found
    line = next(t for r, t in found if t.startswith("Flask-Login stays"))
    assert "`fresh_login_required`" in line and "`login_user` with options" in line
    for text in ("login_user(user, remember=True)  # TODO(flask2fastapi login)",
                 "@fresh_login_required  # TODO(flask2fastapi login)"):  # fmt: skip
        assert text in out
    assert port_source(out)[0] == out


def test_the_session_keeps_the_apps_secret_and_cookie_flags():
    """`SECRET_KEY`, `SESSION_COOKIE_SECURE` and `SESSION_COOKIE_SAMESITE` from the app's
    config, wherever it is set, become SessionMiddleware's arguments; no secret: no port."""
    import libcst as cst
    from flask2fastapi.port.base import PortOptions
    from flask2fastapi.port.login import plan_tree

    source = """\
from flask import Flask
from flask_login import LoginManager

login_manager = LoginManager()


@login_manager.user_loader
def load(user_id):
    return None


def create_app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY=read("k"), SESSION_COOKIE_SECURE=not DEV,
                      SESSION_COOKIE_SAMESITE="Strict")
    app.config["SESSION_COOKIE_NAME"] = "shop"
    login_manager.init_app(app)
    return app
"""
    plan = plan_tree({None: cst.parse_module(source)})
    assert plan.ok and plan.init_sites == {"login_manager.init_app(app)"}
    assert plan.sessions == {"app": ('read("k")', "not DEV", "strict")}
    assert plan.cookie_options == {"app": {"session_cookie": '"shop"'}}
    # `app.config` keeps the app in Flask on its own (the config rule's): ask for the
    # structure here to see the login rule's part.
    out, _ = port_source(source, ("login",), PortOptions(structure=True))
    assert '    same_site="strict",\n        session_cookie="shop",\n        max_age=None,' in out
    plan = plan_tree({None: cst.parse_module(source.replace("SECRET_KEY=", "OTHER="))})
    assert not plan.ok and plan.problems[0].startswith("no `SECRET_KEY` set on `app`")


def test_a_loader_nested_in_the_factory_with_the_manager_outside_is_not_converted():
    """A public app's shape: `login_manager = LoginManager()` at module level, its
    `user_loader` defined inside `create_app`: the recipe at module level could not call
    it, so the rule says so at the manager's line."""
    source = textwrap.dedent(
        """\
        import os

        from flask import Flask
        from flask_login import LoginManager

        login_manager = LoginManager()


        def create_app():
            app = Flask(__name__)
            app.secret_key = os.environ["SECRET_KEY"]
            login_manager.init_app(app)

            @login_manager.user_loader
            def load_user(user_id):
                return None

            return app
        """
    )
    out, counts = port_source(source)
    assert not counts
    (text,) = [t for r, t in todos(out) if r == "login"]
    assert "a `user_loader` inside a function, `LoginManager()` outside it" in text
    nested = source.replace("login_manager = LoginManager()\n", "").replace(
        "    login_manager.init_app(app)\n", "    login_manager = LoginManager(app)\n"
    )
    out, counts = port_source(nested)  # all in the factory: the recipe goes there too
    assert counts["login"] == 2 and "\n    def current_user_or_anonymous(" in out
    assert "\n    app.add_middleware(\n        SessionMiddleware," in out


def test_a_template_reading_current_user_gets_a_todo_where_it_is_rendered(tmp_path):
    """Flask-Login puts `current_user` in every template's context; FastAPI's templates
    get what the view passes. Where a template of the tree reads it, the render says so."""
    src = tmp_path / "app"
    (src / "templates").mkdir(parents=True)
    (src / "templates" / "home.html").write_text("<p>{{ current_user.id }}</p>\n")
    (src / "templates" / "plain.html").write_text("<p>no user here</p>\n")
    (src / "app.py").write_text(
        API_SOURCE.replace("from flask import Flask", "from flask import Flask, render_template")
        + '\n\n@app.get("/home")\ndef home():\n    return render_template("home.html")\n'
    )
    report = port_tree(src, tmp_path / "out")
    (number,) = [t.line for t in report.todos if t.rule == "login"]
    line = (tmp_path / "out" / "app.py").read_text().splitlines()[number - 1]
    assert line.lstrip().startswith("return ") and "home.html" in line
    (src / "templates" / "home.html").write_text("<p>hello</p>\n")
    report = port_tree(src, tmp_path / "out2")
    assert [t for t in report.todos if t.rule == "login"] == []


def test_current_user_outside_a_view_is_not_guessed():
    source = API_SOURCE + "\n\ndef owner():\n    return current_user.id\n"
    out, counts = port_source(source, ("routes", "login"))
    assert "login" not in counts
    assert "current_user.id" in out and "@login_required" in out


def test_code_without_flask_login_is_left_alone():
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)


        def login_required(view):  # an app's own decorator of the same name
            return view
        """,
        "login",
    )


def test_the_plain_mixins_stay_without_a_todo():
    """`UserMixin` is a plain class FastAPI code can keep: no TODO at its import."""
    check_noop(
        """\
        from flask_login import UserMixin


        class User(UserMixin):
            pass
        """,
        "login",
        "extensions",
    )


def test_app_context_block_gets_a_lifespan_todo():
    out, counts = port_source(
        textwrap.dedent(
            """\
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            def create_app():
                app = Flask(__name__)
                db.init_app(app)
                with app.app_context():
                    db.create_all()
                return app
            """
        ),
        ("app-context", "extensions"),
    )
    assert not counts
    assert [rule for rule, _ in todos(out)] == ["extensions", "extensions", "app-context"]
    assert "db.init_app(app)  # TODO(flask2fastapi extensions): `db.init_app` hooks " in out
    assert "with app.app_context():  # TODO(flask2fastapi app-context): " in out
    assert "`Base.metadata.create_all(engine)`" in out
    assert port_source(out, ("app-context", "extensions"))[0] == out


def test_app_context_outside_start_up_is_not_sent_to_the_lifespan():
    """A background job that pushes the app context (the flask-mail topic's shape) is not
    start-up work: its TODO says to pass it what it reads instead."""
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask

            app = Flask(__name__)


            def send(message):
                with app.app_context():
                    deliver(message)
            """
        ),
        ("app-context",),
    )
    ((rule, text),) = todos(out)
    assert rule == "app-context" and text.startswith("FastAPI has no app context: pass this")
    assert "migrating/incremental-migration/" in out


def test_app_context_of_something_else_is_left_alone():
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)
        with other.app_context():
            pass
        """,
        "app-context",
    )


PACKAGE = {
    "__init__.py": """\
        import os

        from flask import Flask

        from shop.views.api import api
        from shop.views.auth import auth, login_manager


        def create_app():
            app = Flask(__name__)
            app.secret_key = os.environ["SECRET_KEY"]
            login_manager.init_app(app)
            app.register_blueprint(auth)
            app.register_blueprint(api, url_prefix="/api")
            return app
        """,
    "views/__init__.py": "",
    "views/auth.py": """\
        from flask import Blueprint, redirect, request
        from flask_login import LoginManager, UserMixin, login_required, login_user, logout_user

        auth = Blueprint("auth", __name__)
        login_manager = LoginManager()
        login_manager.login_view = "auth.login_form"


        class User(UserMixin):
            def __init__(self, id):
                self.id = id


        USERS = {"ada": User("ada")}


        @login_manager.user_loader
        def load_user(user_id):
            return USERS.get(user_id)


        @auth.get("/login")
        def login_form():
            return "form"


        @auth.post("/login")
        def login():
            user = USERS.get(request.form.get("username", ""))
            if user is None:
                return "no", 401
            login_user(user)
            return redirect("/api/me")


        @auth.post("/logout")
        @login_required
        def logout():
            logout_user()
            return redirect("/login")
        """,
    "views/api.py": """\
        from flask import Blueprint, abort
        from flask_login import current_user

        api = Blueprint("api", __name__)


        @api.get("/me")
        def me():
            if not current_user.is_authenticated:
                abort(401)
            return {"id": current_user.id}
        """,
}

#: The same shop laid out as larger apps are: the manager in `extensions.py`, the user
#: loader next to the model (which imports the manager), the views importing both.
SPLIT_PACKAGE = {
    "__init__.py": PACKAGE["__init__.py"].replace(
        "from shop.views.auth import auth, login_manager",
        "from shop.extensions import login_manager\n        from shop.views.auth import auth",
    ),
    "extensions.py": """\
        from flask_login import LoginManager

        login_manager = LoginManager()
        login_manager.login_view = "auth.login_form"
        """,
    "models.py": """\
        from flask_login import UserMixin

        from shop.extensions import login_manager


        class User(UserMixin):
            def __init__(self, id):
                self.id = id


        USERS = {"ada": User("ada")}


        @login_manager.user_loader
        def load_user(user_id):
            return USERS.get(user_id)
        """,
    "views/__init__.py": "",
    "views/auth.py": PACKAGE["views/auth.py"][
        : PACKAGE["views/auth.py"].index("        class User")
    ]
    .replace("LoginManager, UserMixin, ", "")
    .replace(
        'login_manager = LoginManager()\n        login_manager.login_view = "auth.login_form"\n',
        "",
    )
    .replace(
        "from flask_login",
        "from shop.models import USERS\n        from flask_login",
    )
    + PACKAGE["views/auth.py"][PACKAGE["views/auth.py"].index("        @auth.get") :],
    "views/api.py": PACKAGE["views/api.py"],
}

PACKAGE_VISIT = [
    ("GET", "/api/me", None),
    ("POST", "/logout", None),
    ("POST", "/login", {"username": "ada"}),
    ("GET", "/api/me", None),
    ("POST", "/logout", None),
    ("GET", "/api/me", None),
]


def _package_answers(folder: Path, framework: str, monkeypatch) -> list[tuple]:
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.syspath_prepend(str(folder))
    from shop import create_app

    app = create_app()
    assert framework_of(app) == framework
    found = []
    with client_for(framework, app) as client:
        for method, path, form in PACKAGE_VISIT:
            r = client.request(method, path, data=form)
            location = r.headers.get("location", "").removeprefix("http://testserver")
            found.append((r.status_code, location or None))
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        monkeypatch.delitem(sys.modules, name)
    return found


@pytest.mark.parametrize("package", [PACKAGE, SPLIT_PACKAGE], ids=["views", "split"])
def test_a_package_with_the_manager_in_one_module_and_init_app_in_another(
    package, tmp_path, monkeypatch
):
    """The sample shop's shape: `init_app(app)` in the factory becomes the session
    middleware and the redirect's handler, imported from the manager's module; a view in
    another module gets `current_user` from there too."""
    monkeypatch.setenv("SECRET_KEY", "test-only-secret")
    src = tmp_path / "flask" / "shop"
    for rel, code in package.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(textwrap.dedent(code))
    report = port_tree(src, tmp_path / "port" / "shop")
    assert report.blockers == [] and report.todos == []
    ported = (tmp_path / "port" / "shop" / "__init__.py").read_text()
    home = "shop.views.auth" if package is PACKAGE else "shop.extensions"
    assert f"from {home} import LoginRequired, redirect_to_login" in ported
    assert "app.add_exception_handler(LoginRequired, redirect_to_login)" in ported
    api = (tmp_path / "port" / "shop" / "views" / "api.py").read_text()
    assert f"from {home} import current_user_or_anonymous" in api
    flask = _package_answers(tmp_path / "flask", "flask", monkeypatch)
    assert flask == [
        (401, None),
        (302, "/login?next=%2Flogout"),
        (302, "/api/me"),
        (200, None),
        (302, "/login"),
        (401, None),
    ]
    assert _package_answers(tmp_path / "port", "fastapi", monkeypatch) == flask


@pytest.mark.parametrize("snippet", ["authentication", "flask-login", "authorization"])
def test_the_guides_flask_login_apps_port_or_say_why_not(snippet):
    """The guide's own Flask-Login apps: authentication converts once `app.config` does
    (here it stays Flask for that reason only); flask-login (remember-me, fresh logins)
    and authorization (a request loader) keep TODOs naming what the rule cannot port."""
    root = Path(__file__).parents[3]
    code = (root / "snippets" / snippet / "flask_app.py").read_text()
    out, _ = port_source(code)
    login = [text for rule, text in todos(out) if rule == "login"]
    if snippet == "authentication":
        assert login == []  # nothing Flask-Login has that the rule cannot port
        converted, _ = port_source(code.replace('app.config["SECRET_KEY"] =', "app.secret_key ="))
        assert "current_user: Annotated[Any, Depends(login_required)]" in converted
        assert "app = FastAPI()" in converted
    else:
        assert login and login[0].startswith("Flask-Login stays")
