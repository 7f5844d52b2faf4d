"""Rule `sqlalchemy` over a package: a `db = SQLAlchemy()` that other modules import
(the `extensions.py` / `models.py` layout). The databases page's recipe goes in the module
that makes `db`; the models, views and app import from there what replaces `db`."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from flask2fastapi.apps import client_for, import_app, load_module_from_path
from flask2fastapi.port import port_source, port_tree
from flask2fastapi.port.base import page_url

from tests.kit.port.checks import todos

#: A small lending library, in the shape Flask's larger tutorials use (our own code).
TREE = {
    "__init__.py": "",
    "extensions.py": '''\
        """Extension objects, made here so that every module can import them."""

        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        ''',
    "models.py": """\
        from shelf.extensions import db


        class Book(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            title = db.Column(db.String(80), nullable=False)
        """,
    "views/__init__.py": "",
    "views/books.py": """\
        from flask import Blueprint

        from shelf.extensions import db
        from shelf.models import Book

        books = Blueprint("books", __name__)


        @books.get("/books/<int:book_id>")
        def read_book(book_id):
            book = db.get_or_404(Book, book_id)
            return {"title": book.title}


        @books.post("/books")
        def add_book():
            db.session.add(Book(title="Dune"))
            db.session.commit()
            return {"count": len(Book.query.order_by(Book.id).all())}, 201
        """,
    "app.py": """\
        from flask import Flask

        from shelf.extensions import db
        from shelf.views.books import books

        app = Flask(__name__)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db.init_app(app)
        app.register_blueprint(books)

        # Tables at start-up.
        with app.app_context():
            db.create_all()
        """,
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, code in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(code), encoding="utf-8")
    return root


@pytest.fixture
def fresh_imports():
    """Each app imports its own `shelf` package: forget it (and the path) afterwards."""
    path = list(sys.path)
    yield
    sys.path[:] = path
    for name in [n for n in sys.modules if n == "shelf" or n.startswith("shelf.")]:
        del sys.modules[name]


def _import(folder: Path):
    for name in [n for n in sys.modules if n == "shelf" or n.startswith("shelf.")]:
        del sys.modules[name]
    return import_app("shelf.app:app", folder)


#: The same imports written relative to the importing module.
RELATIVE = {
    "models.py": ("from shelf.extensions import db", "from .extensions import db"),
    "views/books.py": ("from shelf.extensions import db", "from ..extensions import db"),
}


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_shared_db_becomes_the_recipe_in_its_home_module(tmp_path, fresh_imports, relative):
    """The recipe where `db` was made; `db.Model`, the view's `db.session` and the app's
    `init_app`/`create_all` lines import `Base`, `SessionDep` and `lifespan` from there.
    Both apps answer the same; porting the port changes nothing."""
    files = dict(TREE)
    if relative:
        for rel, (before, after) in RELATIVE.items():
            files[rel] = files[rel].replace(before, after)
    src = _write(tmp_path / "src" / "shelf", files)
    out = tmp_path / "port" / "shelf"
    report = port_tree(src, out)
    assert not report.blockers and not report.todos
    assert report.conversions()["sqlalchemy"] == 16
    port = {rel: (out / rel).read_text() for rel in TREE}
    if relative:
        for rel, (before, after) in RELATIVE.items():
            port[rel] = port[rel].replace(after.replace(" db", " "), before.replace(" db", " "))
    assert "engine = create_engine(" in port["extensions.py"]
    assert "Base.metadata.create_all(engine)" in port["extensions.py"]
    assert port["models.py"] == textwrap.dedent(
        """\
        from shelf.extensions import Base
        from sqlalchemy import Column, Integer, String


        class Book(Base):
            __tablename__ = "book"

            id = Column(Integer, primary_key=True)
            title = Column(String(80), nullable=False)
        """
    )
    assert "from shelf.extensions import SessionDep\n" in port["views/books.py"]
    assert "def add_book(session: SessionDep):" in port["views/books.py"]
    assert "from shelf.extensions import lifespan\n" in port["app.py"]
    assert "app = FastAPI(lifespan=lifespan)" in port["app.py"]
    assert "db" not in port["app.py"].replace("# Tables", "")  # init_app, create_all gone
    answers = {}
    for framework, folder in (("flask", src.parent), ("fastapi", out.parent)):
        with client_for(framework, _import(folder)) as client:
            created = client.post("/books")
            found, missing = client.get("/books/1"), client.get("/books/2")
            answers[framework] = [
                (created.status_code, created.json()),
                (found.status_code, found.json()),
                missing.status_code,
            ]
    assert (
        answers["flask"]
        == answers["fastapi"]
        == [(201, {"count": 1}), (200, {"title": "Dune"}), 404]
    )
    again = port_tree(out, tmp_path / "again" / "shelf")
    assert not any(f.changed for f in again.files) and not again.conversions().total()


def test_a_use_without_a_recipe_keeps_the_whole_tree_on_flask_sqlalchemy(tmp_path):
    """`paginate` in one view module: no module converts (a half-ported `db` would not
    import); the line and the `db = SQLAlchemy()` line say why."""
    files = dict(TREE)
    files["views/books.py"] = TREE["views/books.py"] + textwrap.dedent(
        """

        @books.get("/books")
        def list_books():
            page = db.paginate(db.select(Book), per_page=5)
            return {"titles": [b.title for b in page.items]}
        """
    ).replace("\n", "\n        ")
    src = _write(tmp_path / "src" / "shelf", files)
    report = port_tree(src, tmp_path / "port" / "shelf")
    assert "db.init_app(app)" in report.blockers
    assert not report.conversions()["sqlalchemy"]
    by_file = {(t.file, t.rule): t.text for t in report.todos}
    assert "`db.paginate`" in by_file["views/books.py", "sqlalchemy"]
    line = next(t for t in report.todos if t.file == "views/books.py" and t.rule == "sqlalchemy")
    assert line.text.endswith(page_url("data/pagination.md"))
    assert "`db.paginate`" in by_file["extensions.py", "sqlalchemy"]
    models = (tmp_path / "port" / "shelf" / "models.py").read_text()
    assert models == textwrap.dedent(TREE["models.py"])


#: One module, an app factory: `init_app`, the URL and `create_all()` inside it.
FACTORY = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def make_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.get("/notes/<int:note_id>")
    def read_note(note_id):
        note = db.get_or_404(Note, note_id)
        return {"id": note.id}

    # Tables at start-up.
    with app.app_context():
        db.create_all()
    return app
"""


def test_init_app_in_a_factory_becomes_the_recipe(tmp_path):
    """The factory stays a factory: its `init_app`, URL and `create_all()` lines go to the
    recipe at module level, and its `FastAPI()` takes the recipe's lifespan."""
    out, counts = port_source(FACTORY)
    assert counts["sqlalchemy"] and not todos(out)
    factory = out.split("def make_app():\n")[1]
    assert factory.startswith("    app = FastAPI(lifespan=lifespan)\n")
    assert "db" not in factory.replace("def read_note", "")
    assert out.index("async def lifespan") < out.index("def make_app")
    assert factory.endswith("\n\n    # Tables at start-up.\n    return app\n")  # comments kept
    assert port_source(out)[0] == out
    path = tmp_path / "notes_factory.py"
    path.write_text(out)
    with client_for("fastapi", load_module_from_path(path, "notes_factory").make_app()) as client:
        assert client.get("/notes/1").status_code == 404


def test_init_app_in_another_function_is_left_with_a_todo():
    """`init_app` in a function that does not make the app (a helper called later): not
    start-up code the rule can move; Flask-SQLAlchemy stays, and the line says why."""
    source = FACTORY.replace("    db.init_app(app)\n", "    setup(app)\n") + (
        "\n\ndef setup(app):\n    db.init_app(app)\n"
    )
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    assert ("sqlalchemy", "`init_app` not once on the app, at module level or in its factory; "
            "then rerun") in todos(out)  # fmt: skip


def test_a_url_chosen_in_a_block_of_the_factory_is_not_guessed():
    """Which `if` branch's URL applies is decided when the factory runs: no recipe (and no
    branch left empty), the lines say why."""
    source = FACTORY.replace(
        '    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n',
        "    if testing:\n"
        '        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"\n'
        "    else:\n"
        '        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////tmp/notes.db"\n',
    ).replace("def make_app():", "def make_app(testing=False):")
    out, counts = port_source(source, ("routes", "app", "sqlalchemy"))
    assert not counts.get("sqlalchemy")
    found = [text for rule, text in todos(out) if rule == "sqlalchemy"]
    assert (
        found.count("`SQLALCHEMY_DATABASE_URI` set inside a block of the factory; then rerun") == 2
    )


@pytest.mark.parametrize(
    ("rel", "code", "why"),
    [
        (
            "reports.py",
            "from shelf import extensions\n\n\ndef count():\n"
            "    return extensions.db.session.query(1).count()\n",
            "`db` read other than by `from ... import db` in another module",
        ),
        (
            "archive.py",
            "from flask_sqlalchemy import SQLAlchemy\n\nold_db = SQLAlchemy()\n",
            "several `SQLAlchemy()` objects in the tree: the recipe is one engine's",
        ),
        (
            "jobs.py",
            "def prune():\n    from shelf.extensions import db\n\n"
            "    db.session.execute(db.text('DELETE FROM book'))\n",
            "`db` read other than by `from ... import db` in another module",
        ),
        (
            # A route on a blueprint made in another module (the flasky layout's
            # `from . import main`): the `routes` rule leaves it, so no `session` for it.
            "more_views.py",
            "from shelf.extensions import db\nfrom shelf.views.books import books\n\n\n"
            "@books.get('/count')\ndef count():\n    return {'n': db.session.query(1).count()}\n",
            "`db.session` outside a view",
        ),
    ],
    ids=["module-attribute", "second-db", "import-in-a-function", "imported-blueprint"],
)
def test_a_tree_it_cannot_see_whole_is_not_half_ported(tmp_path, rel, code, why):
    """A reader of `db` the rule would not rewrite, or a second `SQLAlchemy()`: porting
    the home alone would leave a module that no longer imports. Nothing converts."""
    src = _write(tmp_path / "src" / "shelf", {**TREE, rel: code})
    report = port_tree(src, tmp_path / "port" / "shelf")
    assert not report.conversions()["sqlalchemy"]
    assert "db.init_app(app)" in report.blockers
    assert any(why in t.text for t in report.todos if t.file == "extensions.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from shelf.extensions import db\n", "from shelf.extensions import SessionDep\n"),
        (
            "from shelf.extensions import (\n    db,  # the shared one\n)\n",
            "from shelf.extensions import (\n    SessionDep,  # the shared one\n)\n",
        ),
    ],
    ids=["one-line", "parenthesized"],
)
def test_the_import_of_db_keeps_its_layout(tmp_path, before, after):
    """`db` gives its place, comma and comment in the import to what replaces it."""
    views = TREE["views/books.py"].replace("        from shelf.extensions import db\n", "")
    views = textwrap.dedent(views).replace("from shelf.models", before + "from shelf.models")
    src = _write(tmp_path / "src" / "shelf", {**TREE, "views/books.py": views})
    report = port_tree(src, tmp_path / "port" / "shelf")
    assert report.conversions()["sqlalchemy"]
    assert after in (tmp_path / "port" / "shelf" / "views/books.py").read_text()
