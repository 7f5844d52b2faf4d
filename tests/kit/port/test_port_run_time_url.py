"""Rule `sqlalchemy`, a database URL known at run time: the databases page's
`make_engine(url)` (docs/data/databases.md, snippets/databases/fastapi_app.py) made from
the `config` rule's setting in a package (`config.ported_setting`), or from a module-level
`os.environ` read kept as it is. Any other URL expression keeps Flask-SQLAlchemy."""

from __future__ import annotations

import sys

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.port.sqlalchemy import MAKE_ENGINE, RUN_TIME_ENGINE

from tests.kit.port.checks import load_module, todos

RULES = ("routes", "app", "sqlalchemy")
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]

#: A tea shelf whose database the environment names (our own fixture).
TEAS = """\
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Tea(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = {url}
db.init_app(app)
with app.app_context():
    db.create_all()


@app.post("/teas/<name>")
def add(name):
    db.session.add(Tea(name=name))
    db.session.commit()
    return {{"teas": [t.name for t in db.session.scalars(db.select(Tea).order_by(Tea.id))]}}
"""
ENV_URL = 'os.environ.get("TEA_DB", "sqlite://")'


def test_the_helper_is_the_databases_page_s_code():
    page = (ROOT / "snippets" / "databases" / "fastapi_app.py").read_text(encoding="utf-8")
    assert MAKE_ENGINE in page
    assert RUN_TIME_ENGINE.format(url="get_settings().database_url") in page


def test_a_module_level_environment_read_becomes_make_engine():
    out, counts = port_source(TEAS.format(url=ENV_URL), RULES)
    assert counts["sqlalchemy"] and todos(out) == []
    assert MAKE_ENGINE in out
    assert f"engine = make_engine({ENV_URL})\n" in out
    assert "flask_sqlalchemy" not in out and 'app.config["SQLALCHEMY' not in out
    assert port_source(out, RULES)[0] == out  # a second run changes nothing


@pytest.mark.parametrize("where", ["memory", "file"])
def test_the_port_opens_the_database_the_environment_names(tmp_path, monkeypatch, where):
    """As Flask-SQLAlchemy: a new in-memory database per start, a file kept between starts."""
    out, _ = port_source(TEAS.format(url=ENV_URL), RULES)
    url = {"memory": "sqlite://", "file": f"sqlite:///{tmp_path / 'teas.db'}"}[where]
    monkeypatch.setenv("TEA_DB", url)
    answers = []
    for start, name in enumerate(["sencha", "oolong"]):
        module = load_module(tmp_path / f"teas_{start}.py", out, f"teas_{start}")
        with client_for("fastapi", module.app) as client:
            r = client.post(f"/teas/{name}")
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        answers.append(r.json())
    expected = {
        "memory": [{"teas": ["sencha"]}, {"teas": ["oolong"]}],
        "file": [{"teas": ["sencha"]}, {"teas": ["sencha", "oolong"]}],
    }[where]
    assert answers == expected


@pytest.mark.parametrize(
    "url",
    [
        "database_url()",  # a function of the app's: what it returns is unknown here
        'os.environ.get("TEA_DB", fallback)',  # a default read from a variable
        'os.environ.get("TEA_DB") or "sqlite://"',  # more than one read
    ],
    ids=["call", "variable-default", "expression"],
)
def test_other_run_time_urls_keep_flask_sqlalchemy_with_a_todo(url):
    out, counts = port_source(TEAS.format(url=url), RULES)
    assert not counts.get("sqlalchemy")
    assert "flask_sqlalchemy import SQLAlchemy" in out
    assert any(
        rule == "sqlalchemy" and "neither a string literal" in text for rule, text in todos(out)
    )


def test_a_factory_s_environment_read_in_one_module_keeps_its_todo():
    """In a factory, Flask reads the variable when the factory runs: the module-level
    engine would read it at import, so without the `config` rule's settings it stays."""
    code = TEAS.format(url=ENV_URL)
    head, tail = code.split("app = Flask(__name__)\n")
    factory_lines, _, _views = tail.partition("\n\n@app.post")
    body = "\n".join(
        "    " + line for line in ["app = Flask(__name__)", *factory_lines.splitlines()]
    )
    source = f"{head}def create_app():\n{body}\n    return app\n"
    out, counts = port_source(source, RULES)
    assert not counts.get("sqlalchemy")
    assert any("neither a string literal" in text for _, text in todos(out))


def _write_package(root, url: str) -> None:
    pkg = root / "teashop"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "import os\n\nfrom flask import Flask\n\nfrom teashop.models import db\n"
        "from teashop.views import bp\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        f"    app.config.update(\n        SQLALCHEMY_DATABASE_URI={url},\n"
        "        SHELF_SIZE=3,\n    )\n    db.init_app(app)\n    app.register_blueprint(bp)\n"
        "    with app.app_context():\n        db.create_all()\n    return app\n"
    )
    (pkg / "models.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
        "class Tea(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
        "    name = db.Column(db.String(40))\n"
    )
    (pkg / "views.py").write_text(
        "from flask import Blueprint\n\nfrom teashop.models import Tea, db\n\n"
        'bp = Blueprint("teas", __name__)\n\n\n@bp.post("/teas/<name>")\ndef add(name):\n'
        "    db.session.add(Tea(name=name))\n    db.session.commit()\n"
        '    return {"teas": [t.name for t in db.session.scalars(db.select(Tea))]}\n'
    )


def test_in_a_package_the_factory_s_setting_is_read_through_get_settings(tmp_path, monkeypatch):
    """The factory's URL is a `Settings` field (the `config` rule): the engine in
    `models.py` reads it with `get_settings()`, imported from the new settings module, and
    the factory's `init_app` and `app_context` need no TODO any more."""
    _write_package(tmp_path / "src", ENV_URL)
    report = port_tree(tmp_path / "src" / "teashop", tmp_path / "out" / "teashop")
    assert report.blockers == [] and report.todos == []
    models = (tmp_path / "out" / "teashop" / "models.py").read_text()
    assert "from teashop.settings import get_settings\n" in models
    assert "engine = make_engine(get_settings().sqlalchemy_database_uri)\n" in models
    assert MAKE_ENGINE in models
    monkeypatch.setenv("TEA_DB", f"sqlite:///{tmp_path / 'teas.db'}")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        from teashop import create_app

        with client_for("fastapi", create_app()) as client:
            r = client.post("/teas/sencha")
        assert (r.status_code, r.json()) == (200, {"teas": ["sencha"]})
        assert r.headers["content-type"] == "application/json"
        assert (tmp_path / "teas.db").is_file()  # the file the environment named
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n == "teashop" or n.startswith("teashop.")]:
            del sys.modules[name]


def test_in_a_package_a_url_the_config_rule_does_not_port_keeps_the_todo(tmp_path):
    """A URL the factory computes from its own local: no setting to hand over."""
    _write_package(tmp_path / "src", "url")
    init = tmp_path / "src" / "teashop" / "__init__.py"
    init.write_text(
        init.read_text().replace("    app = Flask", '    url = "sqlite://"\n    app = Flask')
    )
    report = port_tree(tmp_path / "src" / "teashop", None)
    assert any(
        t.rule == "sqlalchemy" and "neither a string literal" in t.text for t in report.todos
    )


def test_a_relative_sqlite_default_keeps_its_todo():
    """`os.environ.get("X", "sqlite:///teas.db")`: Flask-SQLAlchemy opens the default in
    the instance folder, and the page's `make_engine` refuses a relative path; the rule
    says so now rather than at the first start without the variable."""
    out, counts = port_source(
        TEAS.format(url='os.environ.get("TEA_DB", "sqlite:///teas.db")'), RULES
    )
    assert not counts.get("sqlalchemy")
    assert any("a relative SQLite path as the default" in text for _, text in todos(out))


def test_in_a_package_a_module_level_environment_read_goes_to_db_s_module(tmp_path, monkeypatch):
    """The app made at module level in `__init__.py` (no factory: no settings class), the
    URL read there from the environment, `db` in `models.py`: the same read moves to the
    engine in `models.py`, which gets its own `import os`."""
    _write_package(tmp_path / "src", ENV_URL)
    init = tmp_path / "src" / "teashop" / "__init__.py"
    code = init.read_text().replace("def create_app():\n", "")
    lines = [line.removeprefix("    ") for line in code.splitlines() if line != "    return app"]
    init.write_text("\n".join(lines) + "\n")
    report = port_tree(tmp_path / "src" / "teashop", tmp_path / "out" / "teashop")
    assert report.blockers == [] and report.todos == []
    models = (tmp_path / "out" / "teashop" / "models.py").read_text()
    assert "import os\n" in models and f"engine = make_engine({ENV_URL})\n" in models
    monkeypatch.setenv("TEA_DB", f"sqlite:///{tmp_path / 'teas.db'}")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        from teashop import app

        with client_for("fastapi", app) as client:
            r = client.post("/teas/oolong")
        assert (r.status_code, r.json()) == (200, {"teas": ["oolong"]})
        assert (tmp_path / "teas.db").is_file()
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n == "teashop" or n.startswith("teashop.")]:
            del sys.modules[name]
