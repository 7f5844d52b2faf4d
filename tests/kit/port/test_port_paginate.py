"""Rule `sqlalchemy`, `db.paginate(...)`: a call with the numbers passed in becomes the
pagination page's `paginate(session, ...)` helper (docs/data/pagination.md); any other
shape keeps Flask-SQLAlchemy and says why at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask2fastapi.apps import client_for
from flask2fastapi.port import port_source
from flask2fastapi.port.sqlalchemy import PAGINATE

from tests.kit.port.checks import check_noop, load_module, todos

ROOT = Path(__file__).resolve().parents[3]
RULES = ("routes", "request-args", "app", "sqlalchemy")

#: A reading list, twelve titles a page (our own fixture).
READING = """\
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Title(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)
with app.app_context():
    db.create_all()


@app.get("/titles")
def titles():
    number = request.args.get("page", 1, type=int)
    # twelve a page, at most 30 when asked
    shelf = db.paginate(
        db.select(Title).order_by(Title.id), page=number, per_page=12, max_per_page=30
    )
    return {"names": [t.name for t in shelf.items], "page": shelf.page, "pages": shelf.pages}


@app.post("/titles")
def add_titles():
    db.session.add_all(Title(name=f"T{n}") for n in range(25))
    db.session.commit()
    return {"ok": True}, 201
"""


def test_paginate_with_its_numbers_becomes_the_pages_helper():
    out, counts = port_source(READING, RULES)
    assert counts["sqlalchemy"] and not todos(out)
    assert PAGINATE in out  # the helper, as the page shows and tests it
    assert "db." not in out.replace(PAGINATE, "") and "flask_sqlalchemy" not in out
    call = "select(Title).order_by(Title.id), page=number, per_page=12, max_per_page=30"
    assert f"    shelf = paginate(\n        session, {call}\n    )\n" in out
    assert "def titles(session: SessionDep, page: int = 1):" in out
    assert "    # twelve a page, at most 30 when asked\n" in out
    again, _ = port_source(out, RULES)
    assert again == out


def test_the_ported_pages_answer_like_flask_sqlalchemy(tmp_path):
    """Both apps with 25 titles: the pages, the last one short, a page past the end a 404
    in both (error_out=True), a page below 1 a 404 in both; page=abc is where they part:
    Flask's `type=int` falls back to 1, FastAPI answers 422 (the pagination page says so)."""
    port, _ = port_source(READING)  # every rule: the view's `(body, 201)` too
    apps = {
        "flask": load_module(tmp_path / "reading_flask.py", READING, "reading_flask").app,
        "fastapi": load_module(tmp_path / "reading_port.py", port, "reading_port").app,
    }
    answers = {}
    for framework, app in apps.items():
        with client_for(framework, app) as client:
            assert client.post("/titles").status_code == 201
            got = [client.get("/titles", params={"page": p}) for p in (1, 3, 4, 0, -2, "abc")]
            answers[framework] = [(r.status_code, r.json() if r.status_code == 200 else None)
                                  for r in got[:5]]  # fmt: skip
            answers[framework].append(got[5].status_code)
    assert answers["flask"][:5] == answers["fastapi"][:5]
    assert answers["flask"][0] == (200, {"names": [f"T{n}" for n in range(12)], "page": 1,
                                         "pages": 3})  # fmt: skip
    assert answers["flask"][1] == (200, {"names": ["T24"], "page": 3, "pages": 3})
    assert [a[0] for a in answers["flask"][2:5]] == [404, 404, 404]
    assert (answers["flask"][5], answers["fastapi"][5]) == (200, 422)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("page=number, per_page=12, max_per_page=30", ""), "without `page=` and `per_page=`"),
        (("max_per_page=30", "max_per_page=30, count=False"), "with `count=`"),
        (('"pages": shelf.pages}', '"next": shelf.next_num}'), "result used for more than"),
        (("    shelf = db.paginate(", "    return db.paginate("), "other than `x = db.paginate"),
        (("def titles():", "async def titles():"), "outside a `def` view"),
    ],
    ids=["numbers-from-the-query", "count", "next-num", "not-assigned", "async"],
)
def test_other_shapes_keep_flask_sqlalchemy_and_say_why(change, why):
    source = READING.replace(*change)
    out, counts = port_source(source, RULES)
    assert not counts.get("sqlalchemy")
    assert "db.paginate(" in out
    found = [text for rule, text in todos(out) if rule == "sqlalchemy"]
    assert any(text.startswith("`db.paginate` " + why) for text in found), found


def test_a_paginate_of_plain_sqlalchemy_is_left_alone():
    check_noop(
        """\
        from flask import Flask

        from shop.pages import paginate

        app = Flask(__name__)


        @app.get("/n")
        def n():
            return {"n": paginate(page=1, per_page=10).total}
        """,
        "sqlalchemy",
    )


def test_the_helper_is_the_pagination_page_s_code():
    """The rule writes the `paginate` section of the page's FastAPI app, up to its view."""
    page = (ROOT / "snippets" / "pagination" / "fastapi_app.py").read_text(encoding="utf-8")
    section = page.split("# --8<-- [start:paginate]\n")[1]
    assert section.split('\n\n\n@app.get("/archive")')[0] + "\n" == PAGINATE
