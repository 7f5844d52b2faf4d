"""Rules `login` and `sqlalchemy` together: a Flask-Login `user_loader` that reads the user
with `db.session` gets a `session` parameter, and the login recipe's
`current_user_or_anonymous` passes it the request's database session (the databases page's
`SessionDep`, the one the view shares), as Flask-Login's loader shared the view's
`db.session` (docs/extensions/flask-login.md, docs/data/databases.md)."""

from __future__ import annotations

import textwrap

from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source, port_tree

from tests.kit.port.checks import load_module, todos

#: A club whose members are rows; the loader reads them back (our own fixture).
CLUB = """\
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
login_manager = LoginManager()


class Member(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))


app = Flask(__name__)
app.config["SECRET_KEY"] = "test-only-not-secret"
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)
login_manager.init_app(app)
with app.app_context():
    db.create_all()


@login_manager.user_loader
def load_member(member_id):
    # the id from the session cookie, read back from the table
    return db.session.get(Member, int(member_id))


@app.post("/join/<name>")
def join(name):
    member = Member(name=name)
    db.session.add(member)
    db.session.commit()
    login_user(member)
    return {"id": member.id}


@app.get("/me")
@login_required
def me():
    return {"name": current_user.name}
"""


def test_a_loader_that_reads_the_database_gets_the_requests_session():
    out, counts = port_source(CLUB)
    assert counts["login"] and counts["sqlalchemy"]
    assert [rule for rule, _ in todos(out)] == ["config"]  # SECRET_KEY: the sessions page
    assert ("def current_user_or_anonymous(request: Request, session: SessionDep) -> Any:\n") in out
    assert "    user = load_member(user_id, session) if user_id is not None else None\n" in out
    assert (
        "def load_member(member_id, session: Session):\n"
        "    # the id from the session cookie, read back from the table\n"
        "    return session.get(Member, int(member_id))\n"
    ) in out
    assert "db." not in out and "user_loader" not in out
    again, _ = port_source(out)
    assert again == out


def test_the_ported_club_answers_like_the_flask_club(tmp_path):
    """Joined: the member's name from the table, in both; anonymous: Flask-Login's 401."""
    port, _ = port_source(CLUB)
    apps = {
        "flask": load_module(tmp_path / "club_flask.py", CLUB, "club_flask").app,
        "fastapi": load_module(tmp_path / "club_port.py", port, "club_port").app,
    }
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            assert client.get("/me").status_code == 401, framework
            joined = client.post("/join/ada")
            assert (joined.status_code, joined.json()) == (200, {"id": 1}), framework
            me = client.get("/me")
            assert (me.status_code, me.json()) == (200, {"name": "ada"}), framework
            assert me.headers["content-type"] == "application/json"


def test_a_loader_with_the_2x_query_api_too(tmp_path):
    """`Member.query.get(int(member_id))` (Flask-SQLAlchemy 2.x's loader) reads the database
    the same way: `session.get(...)` with the request's session, and the same answers."""
    source = CLUB.replace(
        "return db.session.get(Member, int(member_id))", "return Member.query.get(int(member_id))"
    )
    out, counts = port_source(source)
    assert counts["login"] and counts["sqlalchemy"]
    assert "def load_member(member_id, session: Session):" in out
    assert "    return session.get(Member, int(member_id))\n" in out
    assert "    user = load_member(user_id, session) if user_id is not None else None\n" in out
    port_app = load_module(tmp_path / "club2_port.py", out, "club2_port").app
    with client_for("fastapi", port_app) as client:
        client.post("/join/ada")
        me = client.get("/me")
        assert (me.status_code, me.json()) == (200, {"name": "ada"})


def test_a_database_loader_in_the_models_module(tmp_path):
    """The common package layout: `db` and `LoginManager(app)` in the package's
    `__init__`, the loader next to the models. The recipe there passes `SessionDep`, the
    loader imported when called; the port answers as the Flask app."""
    source = tmp_path / "club"
    source.mkdir()
    (source / "__init__.py").write_text(
        textwrap.dedent("""\
        from flask import Flask
        from flask_login import LoginManager
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        app.config["SECRET_KEY"] = "test-only-not-secret"
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db = SQLAlchemy()
        db.init_app(app)
        login = LoginManager(app)

        from club import models  # noqa: E402
        from club.views import club  # noqa: E402

        app.register_blueprint(club)
        with app.app_context():
            db.create_all()
        """)
    )
    (source / "models.py").write_text(
        textwrap.dedent("""\
        from flask_login import UserMixin

        from club import db, login


        class Member(UserMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(40))


        @login.user_loader
        def load_member(member_id):
            return db.session.get(Member, int(member_id))
        """)
    )
    (source / "views.py").write_text(
        textwrap.dedent("""\
        from flask import Blueprint
        from flask_login import current_user, login_required, login_user

        from club import db
        from club.models import Member

        club = Blueprint("club", __name__)


        @club.post("/join/<name>")
        def join(name):
            member = Member(name=name)
            db.session.add(member)
            db.session.commit()
            login_user(member)
            return {"id": member.id}


        @club.get("/me")
        @login_required
        def me():
            return {"name": current_user.name}
        """)
    )
    report = port_tree(source, tmp_path / "out" / "club")
    assert report.blockers == [], report.blockers
    assert {t.rule for t in report.todos} <= {"config", "app"}, report.todos
    ported = (tmp_path / "out" / "club" / "__init__.py").read_text()
    assert "session: SessionDep" in ported and "from club.models import load_member" in ported
    import sys

    sys.path.insert(0, str(tmp_path / "out"))
    try:  # the recipe imports the loader when called: the package stays importable
        from club import app as port_app

        with client_for("fastapi", port_app) as client:
            assert client.get("/me").status_code == 401
            assert client.post("/join/ada").json() == {"id": 1}
            me = client.get("/me")
            assert (me.status_code, me.json()) == (200, {"name": "ada"})
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n == "club" or n.startswith("club.")]:
            del sys.modules[name]


def test_a_database_loader_without_db_next_to_the_manager_is_not_guessed(tmp_path):
    """The recipe asks for `SessionDep` where `LoginManager()` is: a module without `db`
    there keeps Flask-Login, and the TODO says to import it."""
    source = tmp_path / "club"
    (source / "views").mkdir(parents=True)
    manager, loader = CLUB.split("\n\n@login_manager.user_loader\n")
    loader, views = loader.split("\n\n@app.post")
    (source / "__init__.py").write_text("")
    (source / "app.py").write_text(manager + "\n\n@app.post" + views)
    (source / "auth.py").write_text(
        textwrap.dedent("""\
        from flask_login import LoginManager

        login_manager = LoginManager()
        """)
    )
    (source / "views" / "loaders.py").write_text(
        textwrap.dedent("""\
        from club.app import Member, db
        from club.auth import login_manager


        @login_manager.user_loader
        """)
        + loader
        + "\n"
    )
    app_code = (source / "app.py").read_text()
    app_code = app_code.replace("login_manager = LoginManager()\n", "")
    app_code = app_code.replace(
        "from flask_login import LoginManager, ",
        "from club.auth import login_manager\nfrom flask_login import ",
    )
    (source / "app.py").write_text(app_code)
    report = port_tree(source, tmp_path / "out")
    texts = [t.text for t in report.todos if t.rule == "login"]
    assert any("no `db` where `LoginManager()` is" in t for t in texts), texts
