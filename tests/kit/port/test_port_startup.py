"""Rule `sqlalchemy`, a session outside a request: a function that uses `db.session` and is
called only in the start-up block (`with app.app_context(): db.create_all(); f(...)`)
opens a session of its own, and its call goes to the lifespan after the tables, as the
pagination page's `seed()` (docs/data/pagination.md). Other shapes keep the TODO."""

from __future__ import annotations

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source

from tests.kit.port.checks import load_module, todos

RULES = ("routes", "app", "sqlalchemy")

#: A garden planted once at start-up (our own fixture).
GARDEN = '''\
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Plant(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))


def plant(names):
    """The first beds, on an empty garden only."""
    # counted first: a second start adds nothing
    if db.session.scalar(db.select(db.func.count()).select_from(Plant)) == 0:
        db.session.add_all(Plant(name=n) for n in names)
        db.session.commit()


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)
with app.app_context():
    db.create_all()
    plant(os.environ.get("PLANTS", "fern,moss").split(","))


@app.get("/plants")
def plants():
    return {"names": [p.name for p in db.session.scalars(db.select(Plant).order_by(Plant.id))]}
'''


def test_a_start_up_function_gets_its_own_session_and_the_lifespan_calls_it():
    out, counts = port_source(GARDEN, RULES)
    assert counts["sqlalchemy"] and not todos(out)
    assert (
        "    Base.metadata.create_all(engine)  # migrations are Alembic's job here too\n"
        '    plant(os.environ.get("PLANTS", "fern,moss").split(","))\n'
        "    yield\n"
    ) in out
    assert (
        'def plant(names):\n    """The first beds, on an empty garden only."""\n'
        "    # counted first: a second start adds nothing\n"
        "    with Session(engine) as session:  # no request here: a session of its own\n"
        "        if session.scalar(select(func.count()).select_from(Plant)) == 0:\n"
        "            session.add_all(Plant(name=n) for n in names)\n"
        "            session.commit()\n"
    ) in out
    assert "app_context" not in out and "db." not in out and "import os\n" in out
    again, _ = port_source(out, RULES)
    assert again == out


def test_the_port_serves_the_rows_planted_at_start_up_and_plants_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTS", "ivy,sage")
    port, _ = port_source(GARDEN, RULES)
    flask = load_module(tmp_path / "garden_flask.py", GARDEN, "garden_flask")
    fastapi = load_module(tmp_path / "garden_port.py", port, "garden_port")
    for framework, module in (("flask", flask), ("fastapi", fastapi)):
        with client_for(framework, module.app) as client:
            if framework == "flask":
                with module.app.app_context():
                    module.plant(["again"])  # a second start: the garden is not empty
            else:
                module.plant(["again"])
            r = client.get("/plants")
        assert (r.status_code, r.json()) == (200, {"names": ["ivy", "sage"]}), framework
        assert r.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (  # also called by a view: that one wants the request's session
            ("def plants():\n", "def plants():\n    plant([])\n"),
            "`db.session` outside a view → pass the function a session",
        ),
        (  # a value of the start-up code itself
            ('plant(os.environ.get("PLANTS", "fern,moss").split(","))', "plant(app.name)"),
            "the start-up calls read `app`",
        ),
        (  # a call that is not start-up work with `db.session`
            ("    db.create_all()\n", "    db.create_all()\n    print(1)\n"),
            "`print()` in the start-up block",
        ),
        (  # never called at start-up
            ('    plant(os.environ.get("PLANTS", "fern,moss").split(","))\n', ""),
            "`db.session` outside a view → pass the function a session",
        ),
    ],
    ids=["called-by-a-view", "factory-value", "other-call", "not-called"],
)
def test_other_uses_outside_a_view_keep_flask_sqlalchemy(change, why):
    out, counts = port_source(GARDEN.replace(*change), RULES)
    assert not counts.get("sqlalchemy")
    assert "db.session" in out
    found = [text for rule, text in todos(out) if rule == "sqlalchemy"]
    assert any(why in text for text in found), found


def test_in_a_package_a_helper_that_is_no_start_up_work_gets_its_todo(tmp_path):
    """`db` in `models.py`, a helper in the views' module that a view calls: not start-up
    work, so Flask-SQLAlchemy stays and the helper's line says why."""
    from flask2fastapi.port import port_tree

    source = tmp_path / "garden"
    source.mkdir()
    (source / "__init__.py").write_text(
        "from flask import Flask\n\nfrom garden.models import db\nfrom garden.views import bp\n\n"
        'app = Flask(__name__)\napp.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
        "db.init_app(app)\napp.register_blueprint(bp)\n"
    )
    (source / "models.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
        "class Plant(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
    )
    (source / "views.py").write_text(
        "from flask import Blueprint\n\nfrom garden.models import Plant, db\n\n"
        'bp = Blueprint("garden", __name__)\n\n\n'
        "def count():\n    return len(db.session.scalars(db.select(Plant)).all())\n\n\n"
        '@bp.get("/n")\ndef n():\n    return {"n": count()}\n'
    )
    report = port_tree(source, tmp_path / "out")
    found = {(t.file, t.line, t.text.split(";")[0]) for t in report.todos if t.rule == "sqlalchemy"}
    assert ("views.py", 9, "`db.session` outside a view → pass the function a session") in found


def test_in_a_package_the_factorys_start_up_call_goes_to_the_lifespan(tmp_path, monkeypatch):
    """`db` and the start-up function in `models.py`, the block in the factory of
    `__init__.py`: the call (and the `os` it reads) move to the lifespan in `models.py`, the
    factory's imports of them go, and the port plants what the environment says."""
    import sys

    from flask2fastapi.port import port_tree

    source = tmp_path / "garden"
    source.mkdir()
    (source / "__init__.py").write_text(
        "import os\n\nfrom flask import Flask\n\nfrom garden.models import db, plant\n"
        "from garden.views import bp\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n    db.init_app(app)\n'
        "    app.register_blueprint(bp)\n    with app.app_context():\n        db.create_all()\n"
        '        plant(os.environ.get("PLANTS", "fern,moss").split(","))\n    return app\n'
    )
    models = GARDEN.split("\n\napp = Flask")[0].replace(
        "import os\n\nfrom flask import Flask\n", ""
    )
    (source / "models.py").write_text(models + "\n")
    (source / "views.py").write_text(
        "from flask import Blueprint\n\nfrom garden.models import Plant, db\n\n"
        'bp = Blueprint("garden", __name__)\n\n\n@bp.get("/plants")\ndef plants():\n'
        "    rows = db.session.scalars(db.select(Plant).order_by(Plant.id))\n"
        '    return {"names": [p.name for p in rows]}\n'
    )
    report = port_tree(source, tmp_path / "out" / "garden")
    assert report.blockers == [] and report.todos == []
    factory = (tmp_path / "out" / "garden" / "__init__.py").read_text()
    assert "plant" not in factory and "import os" not in factory
    assert "from garden.models import lifespan\n" in factory
    monkeypatch.setenv("PLANTS", "ivy,sage")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        from garden import create_app

        with client_for("fastapi", create_app()) as client:
            r = client.get("/plants")
        assert (r.status_code, r.json()) == (200, {"names": ["ivy", "sage"]})
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n == "garden" or n.startswith("garden.")]:
            del sys.modules[name]
