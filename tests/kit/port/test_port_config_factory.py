"""Rule `config` on an app factory: `create_app()`'s `app.config` from `os.environ` → the
configuration page's `Settings` fields ("In an app factory"), and `current_app.config`
in the tree's other modules → a settings dependency."""

from __future__ import annotations

import sys

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.port.config import TREE_SETTINGS, ConfigTree, ported_setting

from tests.kit.port.checks import check_noop, check_transformed, todos

RULES = ("routes", "app", "config")


def test_factory_settings_become_fields_read_from_the_environment():
    counts = check_transformed(
        """\
        import os

        from flask import Flask


        def make_app():
            app = Flask(__name__)
            app.config.update(
                # No default: the factory fails without it.
                TOKEN=os.environ["DEPOT_TOKEN"],
                BATCH=os.getenv("DEPOT_BATCH", 50),  # rows per write
                MIRROR=os.environ.get("DEPOT_MIRROR"),
                STRICT=os.environ.get("DEPOT_LAX", "") == "",
            )
            app.config["REGION"] = "eu"
            app.config["LIMIT"] = int(os.environ.get("DEPOT_LIMIT", "5"))
            print(app.config["REGION"], app.config.get("BATCH"))
            return app
        """,
        """\
        import os
        from fastapi import FastAPI
        from functools import lru_cache
        from pydantic import Field
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            # Read from the environment at the first get_settings() call, then cached;
            # a field without validation_alias also reads its own name (any case).
            # No default: the factory fails without it.
            token: str = Field(validation_alias="DEPOT_TOKEN")
            batch: int = Field(50, validation_alias="DEPOT_BATCH")  # rows per write
            mirror: str | None = Field(None, validation_alias="DEPOT_MIRROR")
            strict: bool = Field(default_factory=lambda: os.environ.get("DEPOT_LAX", "") == "")
            region: str = "eu"
            limit: int = Field(default_factory=lambda: int(os.environ.get("DEPOT_LIMIT", "5")))


        @lru_cache
        def get_settings() -> Settings:
            return Settings()  # read once; tests replace it with app.dependency_overrides


        def make_app():
            app = FastAPI()
            settings = get_settings()  # a missing or bad value stops make_app() here at the latest
            print(settings.region, settings.batch)
            return app
        """,
        *RULES,
    )
    # Two set lines and one more removed, two reads.
    assert counts["config"] == 5


def test_a_variable_named_like_the_key_needs_no_alias():
    out, _ = port_source(
        "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        '    app.config["API_KEY"] = os.environ["API_KEY"]\n'
        '    app.config["MODE"] = os.environ.get("mode", "live")\n    return app\n',
        RULES,
    )
    assert "    api_key: str\n" in out and '    mode: str = "live"\n' in out
    assert "Field" not in out


def test_a_path_next_to_the_module_converts():
    """A real shape: an upload folder beside the module, from `__file__`."""
    out, _ = port_source(
        "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        '    app.config["UPLOADS"] = os.path.join(os.path.dirname(__file__), "up")\n'
        "    return app\n",
        RULES,
    )
    assert '    uploads: Any = os.path.join(os.path.dirname(__file__), "up")\n' in out


def test_a_factory_that_reads_no_setting_still_reads_them_at_start_up():
    out, _ = port_source(
        "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        '    app.config["TOKEN"] = os.environ["T"]\n    return app\n',
        RULES,
    )
    assert (
        "    get_settings()  # a missing or bad value stops create_app() here at the latest\n"
        in out
    )


def test_a_cookie_flag_starlette_always_sets_has_no_todo():
    out, _ = port_source(
        "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n"
        "    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_NAME='s')\n"
        "    return app\n",
        RULES,
    )
    assert todos(out) == [
        ("config", "Flask reads `SESSION_COOKIE_NAME`, FastAPI does not: port what it does")
    ]


FACTORY = (
    "import os\nfrom flask import Flask\nclass Base:\n    A = 1\n"
    "def create_app(test_config=None):\n    app = Flask(__name__)\n{}\n    return app\n"
)


@pytest.mark.parametrize(
    "config",
    [
        '    app.config["A"] = test_config',  # a parameter of the factory
        '    size = 3\n    app.config["A"] = size',  # a local of the factory
        "    app.config.from_object(Base)",  # no rule reads an object's attributes
        '    app.config["A"] = 1\n    if test_config:\n        app.config.update(test_config)',
        '    print(app.config["A"])\n    app.config["A"] = 1',  # read before it is set
        '    app.config["A"] = 1\n    print(app.config["B"])',  # a key it never sets
        '    app.config["A"] = 1\n    app.config["A"] = 2',  # set twice
        '    app.config["A"] = 1\n    settings = {}',  # the name the port would bind
        '    app.config["A"] = os.environ.get("X", lambda: 1)',  # a default with a scope
        '    if test_config:\n        app.config["A"] = 1',  # set in a block: decided at run time
    ],
)
def test_factory_config_no_rule_converts_keeps_the_app_in_flask(config):
    out, counts = port_source(FACTORY.format(config), RULES)
    assert "app = Flask(__name__)" in out and "config" not in counts
    assert todos(out)[0] == ("app", "port `app.config` first (FastAPI has none), then rerun")


def test_a_factory_whose_session_key_signs_flask_sessions_keeps_the_app_in_flask():
    out, counts = port_source(
        "import os\nfrom flask import Flask, session\ndef create_app():\n"
        '    app = Flask(__name__)\n    app.config["SECRET_KEY"] = os.environ["K"]\n'
        "    return app\n",
        RULES,
    )
    assert "app = Flask(__name__)" in out and "config" not in counts


def test_a_factory_module_without_config_is_left():
    check_noop(
        """\
        from fastapi import FastAPI


        def create_app():
            app = FastAPI()
            return app
        """,
        *RULES,
    )


# ------------------------------------------------------------------ a package
PACKAGE = {
    "__init__.py": """\
import os

from flask import Flask

from depot.views import views


def create_app():
    app = Flask(__name__)
    app.config.update(
        TOKEN=os.environ["DEPOT_TOKEN"],
        BATCH=os.environ.get("DEPOT_BATCH", 50),
        STRICT=os.environ.get("DEPOT_LAX") != "1",
    )
    app.register_blueprint(views)
    return app
""",
    "views.py": """\
from flask import Blueprint, current_app

views = Blueprint("views", __name__)


def batch():
    return current_app.config["BATCH"]


@views.get("/batch")
def show():
    config = current_app.config
    return {"batch": batch(), "strict": current_app.config.get("STRICT"), "n": len(config)}


@views.get("/strict")
def strict():
    return {"strict": current_app.config["STRICT"]}
""",
}


@pytest.fixture
def ported(tmp_path):
    src = tmp_path / "src" / "depot"
    src.mkdir(parents=True)
    for name, text in PACKAGE.items():
        (src / name).write_text(text)
    out = tmp_path / "out" / "depot"
    report = port_tree(src, out)
    return src, out, report


def test_views_in_another_module_read_the_factory_settings(ported):
    _, out, report = ported
    views = (out / "views.py").read_text()
    assert "from depot.settings import Settings, get_settings" in views
    assert "def batch():\n    return get_settings().batch\n" in views
    assert "def strict(settings: Annotated[Settings, Depends(get_settings)]):" in views
    assert '{"strict": settings.strict}' in views
    # `config = current_app.config` is no read by key: that line keeps a TODO-free Flask
    # name, and the view's other read still converts.
    assert "current_app.config" in views
    # The settings have a module of their own: the factory's module imports the views,
    # which import the settings; the settings import neither (no import cycle).
    init = (out / "__init__.py").read_text()
    assert "from depot.settings import get_settings" in init and "class Settings" not in init
    settings = (out / "settings.py").read_text()
    assert 'token: str = Field(validation_alias="DEPOT_TOKEN")' in settings
    assert "depot" not in settings.split('"""')[2]  # imports only os, functools, pydantic
    assert [(t.file, t.rule) for t in report.todos] == [("views.py", "config")]
    assert "settings.py" in [f.path for f in report.files]


def test_the_package_port_answers_as_flask_did(ported, monkeypatch):
    """Both apps from their factories, the same environment: the same answers; the one
    difference is the page's: a value from the environment is an int on FastAPI."""
    src, out, _ = ported
    monkeypatch.setenv("DEPOT_TOKEN", "not-a-secret")
    monkeypatch.setenv("DEPOT_BATCH", "20")
    monkeypatch.setenv("DEPOT_LAX", "1")
    answers = {}
    for framework, root in (("flask", src.parent), ("fastapi", out.parent)):
        monkeypatch.syspath_prepend(str(root))
        for name in [m for m in sys.modules if m == "depot" or m.startswith("depot.")]:
            monkeypatch.delitem(sys.modules, name)
        package = __import__("depot")
        with client_for(framework, package.create_app()) as client:
            r = client.get("/strict")
        answers[framework] = (r.status_code, r.headers["content-type"], r.json())
        monkeypatch.syspath_prepend(str(root))  # undo order: the next root goes first
    assert answers["flask"] == answers["fastapi"] == (200, "application/json", {"strict": False})


def test_the_port_without_a_required_variable_stops_its_factory(ported, monkeypatch):
    from pydantic import ValidationError

    _, out, _ = ported
    monkeypatch.delenv("DEPOT_TOKEN", raising=False)
    monkeypatch.syspath_prepend(str(out.parent))
    for name in [m for m in sys.modules if m == "depot" or m.startswith("depot.")]:
        monkeypatch.delitem(sys.modules, name)
    package = __import__("depot")  # importing needs no variable, as on Flask
    with pytest.raises(ValidationError, match="DEPOT_TOKEN"):
        package.create_app()


def test_ported_setting_is_how_other_rules_read_a_key():
    """The hand-over to other rules (the `sqlalchemy` rule's engine URL)."""
    assert ported_setting("SQLALCHEMY_DATABASE_URI") is None  # no tree being ported
    tree = ConfigTree("shop", "shop.settings", "", {"SQLALCHEMY_DATABASE_URI": "url"})
    token = TREE_SETTINGS.set(tree)
    try:
        assert ported_setting("SQLALCHEMY_DATABASE_URI") == ("get_settings().url", "shop.settings")
        assert ported_setting("OTHER") is None
    finally:
        TREE_SETTINGS.reset(token)


KIOSK = {
    "__init__.py": """\
import os

from flask import Flask

from kiosk.members import login_manager, members


def create_app():
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ["KIOSK_SECRET"],
        SESSION_COOKIE_SECURE=os.environ.get("KIOSK_HTTP") != "1",
        GREETING=os.environ.get("KIOSK_GREETING", "hi"),
    )
    login_manager.init_app(app)
    app.register_blueprint(members)
    return app
""",
    "members.py": """\
from flask import Blueprint, current_app
from flask_login import LoginManager, UserMixin, current_user, login_required

members = Blueprint("members", __name__)
login_manager = LoginManager()
login_manager.login_view = "members.hello"


class Member(UserMixin):
    def __init__(self, member_id):
        self.id = member_id


@login_manager.user_loader
def load(member_id):
    return Member(member_id) if member_id == "1" else None


@members.get("/")
def hello():
    return {"greeting": current_app.config["GREETING"]}


@members.get("/me")
@login_required
def me():
    return {"id": current_user.id}
""",
}


def test_session_keys_flask_login_ported_get_no_todo_and_the_port_answers_alike(
    tmp_path, monkeypatch
):
    """With Flask-Login, the `login` rule hands `SECRET_KEY` and `SESSION_COOKIE_SECURE`
    to SessionMiddleware: their fields get no TODO, and both apps answer alike."""
    src = tmp_path / "src" / "kiosk"
    src.mkdir(parents=True)
    for name, text in KIOSK.items():
        (src / name).write_text(text)
    out = tmp_path / "out" / "kiosk"
    report = port_tree(src, out)
    assert report.todos == [] and report.blockers == []
    monkeypatch.setenv("KIOSK_SECRET", "not-a-secret")
    monkeypatch.setenv("KIOSK_GREETING", "hello")
    answers = {}
    for framework, root in (("flask", src.parent), ("fastapi", out.parent)):
        monkeypatch.syspath_prepend(str(root))
        for name in [m for m in sys.modules if m == "kiosk" or m.startswith("kiosk.")]:
            monkeypatch.delitem(sys.modules, name)
        package = __import__("kiosk")
        with client_for(framework, package.create_app()) as client:
            hello, me = client.get("/"), client.get("/me")
        answers[framework] = (
            hello.status_code, hello.headers["content-type"], hello.json(),
            me.status_code, me.headers["location"],
        )  # fmt: skip
    assert answers["flask"] == answers["fastapi"]
    assert answers["flask"][:3] == (200, "application/json", {"greeting": "hello"})
    assert answers["flask"][3] == 302
