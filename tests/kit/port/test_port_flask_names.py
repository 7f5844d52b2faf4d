"""Rule `flask-names` (issue 21, item 2): once the app is FastAPI's, a Flask name no
other rule converted (in a helper or a view) gets a TODO at its line with the page that
covers the name, instead of failing at run time outside Flask's contexts."""

from __future__ import annotations

import textwrap

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, todos

HELPERS = """\
from flask import Flask, current_app, session, url_for

app = Flask(__name__)


def who():
    return session.get("user")


def thing():
    return current_app.extensions["thing"]


def dumped(value):
    return app.json.dumps(value)


def home():
    return url_for("index", page=2)


@app.get("/")
def index():
    return {"who": who(), "thing": thing(), "dumped": dumped(1), "home": home()}
"""


def test_flask_names_left_in_helpers_get_a_todo_with_their_page():
    out, _ = port_source(HELPERS)
    assert "app = FastAPI()" in out
    found = [(rule, text.split("`")[1]) for rule, text in todos(out)]
    assert found == [
        ("flask-names", "session"),
        ("flask-names", "current_app.extensions"),
        ("flask-names", "app.json"),
        ("flask-names", "url_for"),
    ], out
    lines = [line for line in out.splitlines() if "flask-names" in line]
    assert lines[0].startswith('    return session.get("user")  # TODO(flask2fastapi flask-names)')
    assert lines[0].endswith("/security/sessions/")  # the page that covers `flask.session`
    assert lines[3].endswith("/routing/url-building/")
    assert port_source(out)[0] == out  # a rerun adds nothing


def test_a_flask_app_kept_in_flask_gets_none():
    # The app stays Flask (a hook the port does not convert keeps it): the names work.
    source = HELPERS + "\n\n@app.teardown_appcontext\ndef bye(exc):\n    pass\n"
    out, _ = port_source(source)
    assert "app = Flask(__name__)" in out
    assert not [rule for rule, _ in todos(out) if rule == "flask-names"]


def test_what_the_module_binds_itself_is_not_flasks():
    check_noop(
        """\
        from fastapi import FastAPI, Request
        from flask import session
        from flask.typing import ResponseReturnValue

        app = FastAPI()
        app.json = None


        def read(request: Request, session):
            return session.get("user"), request.url.path


        def dumped(value) -> ResponseReturnValue:
            return app.json


        @app.get("/")
        def index(request: Request):
            session = request.session
            return session.get("user")
        """,
        "flask-names",
    )


def test_a_line_with_another_rules_todo_gets_no_second_one():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask, g, session

            app = Flask(__name__)


            @app.get("/")
            def index():
                return {"user": g.user}
            """
        )
    )
    assert [rule for rule, _ in todos(out)] == ["g"], out


def test_one_todo_per_line_names_every_flask_name_left_there():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask, current_app, flash, session, url_for

            app = Flask(__name__)


            @app.get("/")
            def index():
                return [session.get("a"), current_app.name, flash("x"), url_for("index", x=1)]
            """
        )
    )
    found = todos(out)
    assert [rule for rule, _ in found] == ["redirect", "flask-names"], out
    # url_for is the redirect rule's to-do on that line; the others are named once.
    assert found[1][1].startswith("`session`, `current_app.name`, `flash` are Flask's"), out
    assert port_source(out)[0] == out


def test_an_app_value_the_module_sets_is_not_flagged():
    # `app.secret_key = ...` stores a value (the login rule reads it): no TODO for it.
    out, _ = port_source(
        textwrap.dedent(
            """\
            import os

            from flask import Flask

            app = Flask(__name__)
            app.secret_key = os.environ["SECRET_KEY"]


            def secret():
                return app.secret_key
            """
        ),
        ("flask-names",),
    )
    assert not todos(out), out
