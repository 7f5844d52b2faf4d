"""Rule `sqlalchemy`: Flask-SQLAlchemy → the databases page's engine, session dependency
and lifespan (docs/data/databases.md); before/after fixtures, the cases it leaves alone or
marks, and the ported databases topic answering like its Flask app."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from flask2fastapi.apps import client_for, framework_of, load_module_from_path
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.port.base import page_url
from flask2fastapi.port.sqlalchemy import table_name

from tests.kit.port.checks import check_noop, check_transformed, todos

ROOT = Path(__file__).resolve().parents[3]

#: Flask-SQLAlchemy 2.x and 3.x shapes the rule converts, in one runnable module.
SOURCE = '''\
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class OrderLine(db.Model):
    """A line of an order."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True)


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)

# Tables at start-up.
with app.app_context():
    db.create_all()


@app.get("/lines/<int:line_id>")
def read_line(line_id):
    line = db.get_or_404(OrderLine, line_id)
    return {"name": line.name}


@app.get("/lines/named/<name>")
def named(name):
    line = OrderLine.query.filter_by(name=name).first_or_404()
    return {"id": line.id}


@app.get("/lines")
def lines():
    first = OrderLine.query.filter_by(name="a").limit(1).first()
    every = db.session.scalars(db.select(OrderLine).order_by(OrderLine.id)).all()
    return {"first": first is not None and OrderLine.query.get(first.id).name,
            "names": [line.name for line in every]}


@app.post("/lines")
def add_line():
    db.session.add(OrderLine(name=os.environ.get("LINE_NAME", "a")))
    db.session.commit()  # kept: the dependency's commit then has nothing left to do
    return {"ok": True}, 201
'''

PORT = '''\
import os
from anyio import to_thread
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from fastapi import Depends, FastAPI, HTTPException, Path
from sqlalchemy import Column, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from typing import Annotated

# Flask-SQLAlchemy as the guide's engine and session (flask2fastapi sqlalchemy): {page}
class Base(DeclarativeBase):
    pass


engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SessionLocal = sessionmaker(engine)


def get_session() -> Iterator[Session]:
    """One session per request: committed if the handler succeeds, else rolled back."""
    with SessionLocal() as session:
        try:
            yield session
        except Exception:
            session.rollback()
            raise
        session.commit()


SessionDep = Annotated[Session, Depends(get_session)]


# `def` endpoints and dependencies run on anyio's thread pool, 40 at a time by default, and
# each may hold a pooled connection. A server database's pool (create_engine's pool_size +
# max_overflow, 5 + 10 by default) must cover them, or fewer must run at once, as here.
THREADS = 15


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The limiter belongs to the running event loop: set it here, never at import.
    to_thread.current_default_thread_limiter().total_tokens = THREADS
    Base.metadata.create_all(engine)  # migrations are Alembic's job here too
    yield
    engine.dispose()


class OrderLine(Base):
    """A line of an order."""
    __tablename__ = "order_line"

    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True)


app = FastAPI(lifespan=lifespan)

# Tables at start-up.


@app.get("/lines/{line_id}")
def read_line(line_id: Annotated[int, Path(ge=0)], session: SessionDep):
    line = session.get(OrderLine, line_id)
    if line is None:
        raise HTTPException(404)
    return {"name": line.name}


@app.get("/lines/named/{name}")
def named(name: str, session: SessionDep):
    line = session.scalars(select(OrderLine).filter_by(name=name)).first()
    if line is None:
        raise HTTPException(404)
    return {"id": line.id}


@app.get("/lines")
def lines(session: SessionDep):
    first = session.scalars(select(OrderLine).filter_by(name="a").limit(1)).first()
    every = session.scalars(select(OrderLine).order_by(OrderLine.id)).all()
    return {"first": first is not None and session.get(OrderLine, first.id).name,
            "names": [line.name for line in every]}


@app.post("/lines")
def add_line(session: SessionDep):
    session.add(OrderLine(name=os.environ.get("LINE_NAME", "a")))
    session.commit()  # kept: the dependency's commit then has nothing left to do
    return {"ok": True}, 201
'''


def test_the_models_views_and_setup_become_the_pages_recipe():
    """`db` → engine, `SessionDep` and lifespan; `db.Model` → `Base` with Flask-SQLAlchemy's
    table name; `db.Column`… → SQLAlchemy's names; `db.session`, `Model.query`, the
    `*_or_404` helpers → the view's session and the 2.0 `select` recipe. A rerun changes
    nothing."""
    counts = check_transformed(
        SOURCE, PORT.replace("{page}", page_url("data/databases.md")), "routes", "app", "sqlalchemy"
    )
    assert counts == {"routes": 4, "app": 1, "sqlalchemy": 17}


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("Item", "item"),
        ("OrderLine", "order_line"),
        ("HTTPLog", "http_log"),
        ("User2FA", "user2_fa"),
    ],
)
def test_table_names_are_flask_sqlalchemys(name, table):
    """Pinned against the extension's own function (`flask_sqlalchemy.model`)."""
    from flask_sqlalchemy.model import camel_to_snake_case

    assert table_name(name) == camel_to_snake_case(name) == table


def _load(path: Path, code: str, name: str):
    """`code` imported as module `name` from a file (Flask wants a module with a file)."""
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The 2.x `Query` API warns on Flask-SQLAlchemy 3.1 (the page's table says so); the port not.
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.LegacyAPIWarning")
def test_the_fixture_port_answers_like_the_flask_app(tmp_path):
    """Both apps over the same requests: created, listed, found, and a missing id or name
    a 404 in both (Werkzeug's HTML page there, FastAPI's JSON `detail` here)."""
    port, _ = port_source(SOURCE)
    flask_app = _load(tmp_path / "lines_flask.py", SOURCE, "lines_flask").app
    port_app = _load(tmp_path / "lines_port.py", port, "lines_port").app
    answers = {}
    for framework, app in (("flask", flask_app), ("fastapi", port_app)):
        with client_for(framework, app) as client:
            created = client.post("/lines")
            assert (created.status_code, created.json()) == (201, {"ok": True})
            listed = client.get("/lines")
            assert (listed.status_code, listed.json()) == (200, {"first": "a", "names": ["a"]})
            assert client.get("/lines/1").json() == {"name": "a"}
            assert client.get("/lines/named/a").json() == {"id": 1}
            missing = [client.get("/lines/2"), client.get("/lines/named/b")]
            answers[framework] = [(r.status_code, r.headers["content-type"]) for r in missing]
    assert answers["flask"] == [(404, "text/html; charset=utf-8")] * 2
    assert answers["fastapi"] == [(404, "application/json")] * 2


def test_plain_sqlalchemy_is_left_alone():
    check_noop(
        """\
        from flask import Flask
        from sqlalchemy import create_engine, select
        from sqlalchemy.orm import Session

        engine = create_engine("sqlite://")
        app = Flask(__name__)


        @app.get("/n")
        def n():
            with Session(engine) as session:
                return {"n": len(session.scalars(select(1)).all())}
        """,
        "sqlalchemy",
    )


#: Uses without a recipe: nothing of Flask-SQLAlchemy converts, each such line is marked.
UNCONVERTED = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


def count():
    return db.session.query(Item).count()


@app.get("/items")
def items():
    page = db.paginate(db.select(Item))  # the numbers from the query string
    return {"n": count(), "items": [i.id for i in page.items]}
"""


def test_uses_without_a_recipe_keep_all_of_flask_sqlalchemy():
    out, counts = port_source(UNCONVERTED, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert "db = SQLAlchemy()" in out and "class Item(db.Model)" in out
    assert "db.session.query(Item).count()" in out
    found = [t for t in todos(out) if t[0] == "sqlalchemy"]
    assert found == [
        (
            "sqlalchemy",
            "Flask-SQLAlchemy stays (`db.paginate` without `page=` and `per_page=`; "
            "`db.session` outside a view): port these by hand as the page shows, then rerun",
        ),
        ("sqlalchemy", "`db.session` outside a view → pass the function a session; then rerun"),
        (
            "sqlalchemy",
            "`db.paginate` without `page=` and `per_page=` → read them as query parameters "
            "and pass them in; then rerun",
        ),
    ]
    again, _ = port_source(out, ("routes", "app", "sqlalchemy"))
    assert again == out


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (('"sqlite://"', "database_url()"), "neither a string literal"),
        (("db = SQLAlchemy()", "db = SQLAlchemy(app)"), "with an app or options"),
        (("db.init_app(app)\n", ""), "no `db.init_app(app)`"),
        (
            ("db.init_app(app)\n", 'app.config["SQLALCHEMY_ECHO"] = True\ndb.init_app(app)\n'),
            "the `SQLALCHEMY_ECHO` setting",
        ),
    ],
)
def test_a_setup_without_a_recipe_is_named_at_the_db_line(change, why):
    source = UNCONVERTED.split("\n\ndef count")[0] + "\n"
    source = "import os\n" + source.replace(*change)
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert any(why in text for _, text in todos(out)), todos(out)


def test_the_ported_databases_topic_answers_like_the_flask_app(tmp_path):
    """The topic's port (the whole port, every rule) becomes FastAPI with no blocker left,
    and `parity` over the topic's exchanges finds only known differences."""
    from flask2fastapi import parity
    from flask2fastapi.traffic import load_toml

    from guidekit.harness import load_app

    folder = ROOT / "snippets" / "databases"
    report = port_tree(folder / "flask_app.py", tmp_path / "port")
    assert report.blockers == []
    assert {t.rule for t in report.todos} == {"app"}  # `app.json = ...`: delete once ported
    port_app = load_module_from_path(tmp_path / "port" / "flask_app.py", "port_databases").app
    assert framework_of(port_app) == "fastapi"
    items = load_toml(folder / "exchanges.toml")
    result = parity.run(load_app("databases", "flask"), port_app, items)
    assert result.counts() == {"same": 0, "accepted": 0, "known": len(items), "unexpected": 0}


def test_the_sample_shop_ports_off_flask_sqlalchemy(tmp_path):
    """The sample's `db` lives in `models.py` and is shared with the views (a shape the
    rule ports: tests/kit/port/test_port_shared_db.py); `seed()` is start-up work
    (test_port_startup.py), the user loader gets the request's session
    (test_port_login_db.py), the API's `db.paginate` has the pagination page's helper
    (test_port_paginate.py), and the URL, read from the environment in the factory, is the
    `config` rule's setting (test_port_run_time_url.py): no blocker, no TODO of this rule."""
    report = port_tree(ROOT / "examples" / "sample-app" / "flask_app", tmp_path / "port")
    assert report.blockers == []
    assert [t for t in report.todos if t.rule in ("sqlalchemy", "app", "app-context")] == []
    models = (tmp_path / "port" / "models.py").read_text()
    assert "engine = make_engine(get_settings().sqlalchemy_database_uri)\n" in models
    assert "flask_sqlalchemy" not in models


#: The app made before `db` (as many one-file apps are), and a 404 with a description.
APP_FIRST = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False

db = SQLAlchemy()
db.init_app(app)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.get("/notes/<int:note_id>")
def read_note(note_id):
    note = db.get_or_404(Note, note_id, description="No such note")
    return {"id": note.id}


with app.app_context():
    db.create_all()
"""


def test_an_app_made_first_gets_the_recipe_above_it(tmp_path):
    """`FastAPI(lifespan=lifespan)` needs the lifespan defined: the recipe goes above the
    app; `description=` becomes the 404's `detail`."""
    out, counts = port_source(APP_FIRST, ("routes", "app", "sqlalchemy"))
    assert counts["sqlalchemy"] and not todos(out)
    assert out.index("async def lifespan") < out.index("app = FastAPI(lifespan=lifespan)")
    assert 'raise HTTPException(404, "No such note")' in out
    assert "SQLALCHEMY" not in out and "db." not in out
    port_app = _load(tmp_path / "notes_port.py", out, "notes_port").app
    with client_for("fastapi", port_app) as client:
        r = client.get("/notes/1")
        assert (r.status_code, r.json()) == (404, {"detail": "No such note"})


def test_a_relative_sqlite_file_is_not_guessed():
    """Flask-SQLAlchemy 3 opens `sqlite:///app.db` in the instance folder; `create_engine`
    would open it in the working directory: a TODO, not a silently different database."""
    source = APP_FIRST.replace('"sqlite://"', '"sqlite:///app.db"')
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert any("a relative SQLite path" in text for _, text in todos(out))


def test_a_synchronous_session_in_an_async_view_is_not_ported():
    """The page: a synchronous session in `async def` blocks the event loop."""
    view = '@app.get("/n")\nasync def n():\n    return {"n": db.session.get(Item, 1) is None}\n'
    source = UNCONVERTED.split("\n\ndef count")[0] + "\n\n\n" + view
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert any("in an `async def` view" in text for _, text in todos(out))


def test_flasks_session_next_to_a_view_session_is_not_ported():
    """The view's new `session` parameter would hide Flask's `session`: a TODO instead."""
    view = '@app.get("/n")\ndef n():\n    return {"n": Item.query.get(1) is None}\n'
    source = UNCONVERTED.split("\n\ndef count")[0] + "\n\n\n" + view
    source = source.replace("from flask import Flask", "from flask import Flask, session")
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert any("Flask's `session` imported too" in text for _, text in todos(out))


def test_the_recipe_is_the_databases_page_s_code():
    """The rule writes the recipe the databases page shows and tests: the page's setup
    section, from `SessionLocal` to the lifespan, is the rule's text with its tables made."""
    from flask2fastapi.port.sqlalchemy import CREATE, ENGINE

    page = (ROOT / "snippets" / "databases" / "fastapi_app.py").read_text(encoding="utf-8")
    setup = page.split("# --8<-- [start:setup]\n")[1].split("# --8<-- [end:setup]")[0]
    shown = setup[setup.index("SessionLocal = ") : setup.index("\napp = FastAPI(")]
    written = ENGINE.format(engine="", create=CREATE.format(base="Base"))
    assert written.strip() == shown.strip()
