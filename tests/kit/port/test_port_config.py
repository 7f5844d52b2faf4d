"""Rule `config`: `app.config` → `FastAPI(max_body_size=)` and a pydantic-settings class."""

from __future__ import annotations

import textwrap

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos

RULES = ("routes", "app", "config")


def test_max_content_length_becomes_max_body_size():
    check_transformed(
        """\
        from flask import Flask

        LIMIT = 1024 * 1024
        app = Flask(__name__)
        # Larger bodies get 413.
        app.config["MAX_CONTENT_LENGTH"] = LIMIT
        ROUTES = []
        """,
        """\
        from fastapi import FastAPI

        LIMIT = 1024 * 1024
        app = FastAPI(max_body_size=LIMIT)
        # Larger bodies get 413.
        ROUTES = []
        """,
        *RULES,
    )


def test_keys_become_a_settings_class_and_reads_its_fields():
    counts = check_transformed(
        """\
        import time

        from flask import Flask, current_app

        app = Flask(__name__)
        app.config["CLOCK"] = time.time  # where the view reads the time
        app.config.update(PAGE_SIZE=20, BETA=False)
        START = app.config["PAGE_SIZE"]


        @app.get("/now")
        def now():
            return {"now": current_app.config["CLOCK"](), "size": app.config.get("PAGE_SIZE")}
        """,
        """\
        import time
        from fastapi import Depends, FastAPI
        from functools import lru_cache
        from pydantic_settings import BaseSettings
        from typing import Annotated, Any

        app = FastAPI()


        class Settings(BaseSettings):
            # Set in the code on Flask; pydantic-settings also reads each field from an
            # environment variable of the same name (any case).
            clock: Any = time.time  # where the view reads the time
            page_size: int = 20
            beta: bool = False


        @lru_cache
        def get_settings() -> Settings:
            return Settings()  # read once; tests replace it with app.dependency_overrides


        get_settings()  # at start-up: a bad value stops the app here, not at a request
        START = get_settings().page_size


        @app.get("/now")
        def now(settings: Annotated[Settings, Depends(get_settings)]):
            return {"now": settings.clock(), "size": settings.page_size}
        """,
        *RULES,
    )
    # Two set lines, three reads.
    assert counts["config"] == 5


def test_from_prefixed_env_becomes_the_env_prefix():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask

            app = Flask(__name__)
            app.config.from_mapping(SITE_NAME="Demo")
            app.config.from_prefixed_env("DEMO")
            """
        ),
        RULES,
    )
    assert 'model_config = SettingsConfigDict(env_prefix="DEMO_")' in out
    assert 'site_name: str = "Demo"' in out and "app.config" not in out


def test_a_key_flask_reads_keeps_its_value_and_gets_a_todo():
    out, _ = port_source(
        'from flask import Flask\napp = Flask(__name__)\napp.config["JSON_SORT_KEYS"] = False\n',
        RULES,
    )
    assert "json_sort_keys: bool = False" in out
    assert todos(out) == [
        ("config", "Flask reads `JSON_SORT_KEYS`, FastAPI does not: port what it does")
    ]


@pytest.mark.parametrize(
    "config",
    [
        "app.config.from_object(Defaults)",  # no rule reads an object's attributes
        'app.config["SIZE"] = LATER',  # a name bound after this line
        'print(app.config["MISSING"])',  # a key the module never sets
        "keys = list(app.config)",  # not a read by key
        'class Paths:\n    ROOT = app.config["A"]',  # a class body: runs at import
        'app.config["A"] = 1\napp.config["A"] = 2',  # one key set twice
        'print(app.config["A"])\nX = 2\napp.config["A"] = X',  # read before X exists
        'app.config["A"] = 1\napp.config["A"] += 1',  # a write after the settings
        'app.config["A"] = 1\ndef reset():\n    app.config["A"] = 0',  # a write in a function
    ],
)
def test_config_no_rule_converts_keeps_the_app_in_flask(config):
    source = (
        "from flask import Flask\nclass Defaults:\n    SIZE = 1\napp = Flask(__name__)\n"
        f"{config}\nLATER = 3\n"
    )
    out, counts = port_source(source, RULES)
    assert "app = Flask(__name__)" in out and "config" not in counts
    assert todos(out)[0] == ("app", "port `app.config` first (FastAPI has none), then rerun")


def test_the_settings_go_before_the_first_module_level_read():
    """The shape of public upload apps: set a folder, create it at import, set more keys."""
    out, _ = port_source(
        textwrap.dedent(
            """\
            import os

            from flask import Flask

            app = Flask(__name__)
            app.config["UPLOAD_FOLDER"] = "uploads"
            os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
            app.config["CLEANUP_HOURS"] = 24
            """
        ),
        RULES,
    )
    assert out.index("class Settings") < out.index("os.makedirs(get_settings().upload_folder")
    assert 'upload_folder: str = "uploads"' in out and "cleanup_hours: int = 24" in out
    assert "app.config" not in out


def test_a_helper_reads_the_cached_settings():
    out, _ = port_source(
        "from flask import Flask, current_app\napp = Flask(__name__)\n"
        'app.config["ROOT"] = "/srv"\ndef root():\n    return current_app.config["ROOT"]\n',
        RULES,
    )
    assert "def root():\n    return get_settings().root\n" in out
    assert "current_app" not in out and not todos(out)


def test_a_secret_key_that_signs_the_views_session_keeps_the_app_in_flask():
    source = (
        "from flask import Flask, session\napp = Flask(__name__)\n"
        'app.config["SECRET_KEY"] = "x"\n@app.get("/")\ndef visits():\n'
        '    session["n"] = session.get("n", 0) + 1\n    return {"n": session["n"]}\n'
    )
    out, counts = port_source(source, RULES)
    assert "app = Flask(__name__)" in out and "config" not in counts


def test_an_app_factory_with_a_local_value_keeps_its_config():
    """A factory's settings convert (test_port_config_factory.py); one that reads a local
    of the factory cannot become a module-level field."""
    source = (
        "from flask import Flask\ndef create_app(size):\n    app = Flask(__name__)\n"
        '    app.config["A"] = size\n    return app\n'
    )
    out, _ = port_source(source, RULES)
    assert "app = Flask(__name__)" in out and todos(out)[0][0] == "app"


def test_an_app_without_config_is_left():
    check_noop(
        """\
        from fastapi import FastAPI

        app = FastAPI()
        CONFIG = {"A": 1}
        """,
        *RULES,
    )


PORTED = """\
from flask import Flask, current_app, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 16
app.config["GREETING"] = "hello"


@app.post("/echo")
def echo():
    return {"greeting": current_app.config["GREETING"], "size": len(request.get_data())}
"""


@pytest.mark.parametrize(
    ("body", "status"), [(b"x" * 16, 200), (b"x" * 17, 413)], ids=["at-limit", "over"]
)
def test_the_port_answers_as_flask_did(body, status):
    """The limit and the setting, run: Flask's app and its port give the same status."""
    out, _ = port_source(PORTED)
    namespace: dict = {}
    exec(compile(out, "port.py", "exec"), namespace)  # noqa: S102
    flask_namespace: dict = {"__name__": __name__}  # Flask wants an importable module name
    exec(compile(PORTED, "flask_app.py", "exec"), flask_namespace)  # noqa: S102
    for framework, app in (("fastapi", namespace["app"]), ("flask", flask_namespace["app"])):
        with client_for(framework, app) as client:
            response = client.post("/echo", content=body)
        assert response.status_code == status, framework
        if status == 200:
            assert response.json() == {"greeting": "hello", "size": 16}, framework
