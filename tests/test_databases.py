"""databases: Flask-SQLAlchemy vs SQLAlchemy 2.0 with a session dependency, on real SQLite."""

import io

import pytest

from guidekit.harness import client_for, load_module

WIDGET = {"name": "Widget", "price": 9.5}


def test_create_then_read_then_list(client):
    r = client.post("/items", json=WIDGET)
    assert r.status_code == 201
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"id": 1, **WIDGET}

    r = client.get("/items/1")
    assert r.status_code == 200
    assert r.json() == {"id": 1, **WIDGET}

    client.post("/items", json={"name": "Gadget", "price": 2})
    r = client.get("/items")
    assert r.status_code == 200
    assert r.json() == [{"id": 1, **WIDGET}, {"id": 2, "name": "Gadget", "price": 2.0}]


def test_missing_item_is_404(client):
    r = client.get("/items/99")
    assert r.status_code == 404
    assert r.json() == {"detail": "Item not found"}


def test_non_integer_id(client, framework):
    r = client.get("/items/abc")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]


def test_duplicate_name_is_409_and_the_session_recovers(client):
    assert client.post("/items", json=WIDGET).status_code == 201
    r = client.post("/items", json={"name": "Widget", "price": 1})
    assert r.status_code == 409
    assert r.json() == {"detail": "An item named 'Widget' already exists"}
    # Rolled back: the next write works and the failed row is nowhere.
    r = client.post("/items", json={"name": "Gadget", "price": 2})
    assert r.status_code == 201
    assert r.json()["id"] == 2
    assert [item["name"] for item in client.get("/items").json()] == ["Widget", "Gadget"]


@pytest.mark.parametrize(
    ("body", "error_types"),
    [
        ({"name": "", "price": -1}, ["string_too_short", "greater_than_equal"]),
        ({"name": "Widget"}, ["missing"]),
        ({"name": "Widget", "price": "cheap"}, ["float_parsing"]),
    ],
    ids=["constraints", "missing-field", "wrong-type"],
)
def test_invalid_item_is_400_in_flask_and_422_in_fastapi(client, framework, body, error_types):
    r = client.post("/items", json=body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    errors = r.json()["detail"]
    assert [e["type"] for e in errors] == error_types
    # Same Pydantic errors; FastAPI adds where the value came from.
    first_loc = {"flask": [], "fastapi": ["body"]}[framework]
    assert errors[0]["loc"][: len(first_loc)] == first_loc
    assert client.get("/items").json() == []  # nothing was written


def test_malformed_json(client, framework):
    r = client.post("/items", content="{bad", headers={"content-type": "application/json"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    [error] = r.json()["detail"]
    assert error["type"] == {"flask": "model_type", "fastapi": "json_invalid"}[framework]


def test_each_app_load_gets_a_fresh_empty_database(framework, topic):
    for _ in range(2):
        app = load_module(topic, framework).app
        with client_for(framework, app) as client:
            assert client.get("/items").json() == []
            assert client.post("/items", json=WIDGET).json()["id"] == 1


@pytest.mark.parametrize("where", ["memory", "file"])
def test_the_database_url_is_read_from_the_environment_at_start_up(
    framework, topic, tmp_path, where
):
    """`DEMO_DATABASE_URL` picks the database when the app starts: in memory, each start is
    a new empty database; a file keeps the rows of the previous start."""
    url = {"memory": "sqlite:///:memory:", "file": f"sqlite:///{tmp_path / 'shop.db'}"}[where]
    for start in (1, 2):
        module = load_module(topic, framework, env={"DEMO_DATABASE_URL": url})
        with client_for(framework, module.app) as client:
            r = client.post("/items", json={"name": f"Widget {start}", "price": 1})
            assert r.status_code == 201
            assert r.headers["content-type"] == "application/json"
            first = {"memory": start, "file": 1}[where]  # the file still has start 1's row
            assert r.json() == {"id": start - first + 1, "name": f"Widget {start}", "price": 1.0}
            r = client.get("/items")
            assert r.status_code == 200
            assert r.headers["content-type"] == "application/json"
            assert [i["name"] for i in r.json()] == [f"Widget {n}" for n in range(first, start + 1)]
        if framework == "flask":  # FastAPI's lifespan disposes of its engine
            with module.app.app_context():
                module.db.engine.dispose()
    assert (tmp_path / "shop.db").exists() == (where == "file")


@pytest.mark.only("fastapi", reason="the FastAPI snippet's make_engine")
@pytest.mark.parametrize(
    ("url", "pool", "same_thread"),
    [
        ("sqlite://", "StaticPool", False),
        ("sqlite:///:memory:", "StaticPool", False),
        ("sqlite:///{tmp}/shop.db", "QueuePool", False),
    ],
    ids=["memory", "memory-named", "file"],
)
def test_make_engine_chooses_sqlites_options_from_the_url(
    framework, snippet, tmp_path, url, pool, same_thread
):
    """What Flask-SQLAlchemy 3.1 sets for SQLite (its `_apply_driver_defaults`): in memory,
    one shared connection; a file, a pool of connections any thread may use."""
    import threading

    engine = snippet.make_engine(url.format(tmp=tmp_path))
    assert type(engine.pool).__name__ == pool
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.commit()
    seen = []

    def other_thread() -> None:  # another thread sees the same database, with no error
        with engine.connect() as conn:
            seen.append(conn.exec_driver_sql("SELECT n FROM t").scalar())

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join(timeout=10)
    assert seen == [1]
    engine.dispose()


@pytest.mark.only("fastapi", reason="the FastAPI snippet's make_engine")
def test_make_engine_leaves_a_server_database_to_its_defaults(framework, snippet, monkeypatch):
    """No SQLite option for another database (no driver is installed here: the call is
    recorded instead of made)."""
    calls = []
    monkeypatch.setattr(snippet, "create_engine", lambda *a, **kw: calls.append((a, kw)))
    snippet.make_engine("postgresql+psycopg://shop@db.internal/shop")
    assert calls == [(("postgresql+psycopg://shop@db.internal/shop",), {})]


@pytest.mark.only("fastapi", reason="the FastAPI snippet's make_engine")
def test_make_engine_refuses_a_relative_sqlite_path(framework, snippet, topic):
    """Flask-SQLAlchemy opens `sqlite:///shop.db` in the app's instance folder and
    `create_engine` in the working directory: the port asks for the full path instead."""
    with pytest.raises(ValueError, match=r"write the SQLite path in full, not 'shop\.db'"):
        snippet.make_engine("sqlite:///shop.db")
    with pytest.raises(ValueError, match="in full"):  # at start-up, before any request
        load_module(topic, framework, env={"DEMO_DATABASE_URL": "sqlite:///shop.db"})


def test_an_id_beyond_64_bits_is_refused_not_a_500(client, framework):
    """SQLite raises OverflowError for an integer beyond 64 bits; the route bounds the id."""
    r = client.get("/items/99999999999999999999999")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]


class _Burst:
    """A `def` endpoint that holds a pooled connection (SQLAlchemy's default 5 + 10, with a
    1 s `pool_timeout`) until no request of its wave still waits for one: the requests that
    can run at once (`running`, the thread limiter's tokens) start together behind a
    barrier, so the burst is the same on every run.
    """

    def __init__(self, tmp_path, running: int, **pool) -> None:
        import threading

        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import QueuePool

        self.engine = create_engine(
            f"sqlite:///{tmp_path / 'burst.db'}",
            connect_args={"check_same_thread": False},
            poolclass=QueuePool,
            pool_timeout=1,
            **pool,
        )
        # Counted when a whole wave has arrived, so that one wave never waits for the next.
        self.start = threading.Barrier(running, action=lambda: setattr(self, "waiting", running))
        self.waiting = 0
        self.changed = threading.Condition()
        self.text = text

    def endpoint(self) -> dict:
        self.start.wait(timeout=10)
        try:
            with self.engine.connect() as conn:  # the TimeoutError, if any, is raised here
                self._done_waiting()
                conn.execute(self.text("SELECT 1"))
                with self.changed:  # hold it while others still wait: a slow query
                    self.changed.wait_for(lambda: self.waiting == 0, timeout=10)
        except Exception:
            self._done_waiting()
            raise
        return {"ok": True}

    def _done_waiting(self) -> None:
        with self.changed:
            self.waiting -= 1
            self.changed.notify_all()


@pytest.mark.only("fastapi", reason="Flask's threads are the server's (gunicorn --threads)")
@pytest.mark.parametrize(
    ("n", "running", "pool", "lifespan", "statuses"),
    [
        (40, 40, {}, False, {200: 15, 500: 25}),  # 40 threads, 5 + 10 connections
        (40, 40, {"pool_size": 20, "max_overflow": 20}, False, {200: 40}),  # pool covers them
        (30, 15, {}, True, {200: 30}),  # the snippet's lifespan: 15 threads, two waves
    ],
    ids=["default-pool", "pool-sized-to-threads", "threads-limited-in-lifespan"],
)
def test_a_burst_of_def_endpoints_against_the_connection_pool(
    framework, snippet, tmp_path, n, running, pool, lifespan, statuses
):
    """The trap (issue 19): anyio runs 40 `def` endpoints at once, SQLAlchemy's default pool
    lends 15 connections; under a burst the rest wait `pool_timeout` and fail with
    `QueuePool limit ... TimeoutError`. A pool as large as the thread limiter, or the
    limiter lowered to the pool in the lifespan, answers every request."""
    from collections import Counter

    from fastapi import FastAPI

    from guidekit.harness import send_concurrently

    assert snippet.THREADS == 15  # the parameters above assume it
    burst = _Burst(tmp_path, running, **pool)
    app = FastAPI(lifespan=snippet.lifespan)
    app.get("/burst")(burst.endpoint)
    errors = io.StringIO()
    responses = send_concurrently(framework, app, "GET", "/burst", n, errors, lifespan=lifespan)
    assert Counter(r.status_code for r in responses) == statuses
    assert all(r.json() == {"ok": True} for r in responses if r.status_code == 200)
    failed = errors.getvalue()
    assert failed.count("QueuePool limit of size 5 overflow 10 reached") == statuses.get(500, 0)
    burst.engine.dispose()


@pytest.mark.only("fastapi", reason="Flask's threads are the server's")
def test_the_thread_limiter_exists_only_inside_a_running_loop(framework):
    """Setting `total_tokens` at import fails (no event loop yet), and a value set in one
    loop is not seen by the next: the lifespan, inside the server's loop, is the place."""
    import asyncio

    from anyio import NoEventLoopError, to_thread

    with pytest.raises(NoEventLoopError):  # a RuntimeError
        to_thread.current_default_thread_limiter()

    async def tokens(set_to: int | None = None) -> float:
        limiter = to_thread.current_default_thread_limiter()
        if set_to is not None:
            limiter.total_tokens = set_to
        return limiter.total_tokens

    assert asyncio.run(tokens(set_to=15)) == 15
    assert asyncio.run(tokens()) == 40


def _legacy_models(lazy: str):
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import ForeignKey
    from sqlalchemy.orm import Mapped, mapped_column, relationship

    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SQLALCHEMY_RECORD_QUERIES=True)
    db = SQLAlchemy(app)

    class Author(db.Model):
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        books = relationship("Book", lazy=lazy, order_by="Book.id")

    class Book(db.Model):
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str]
        author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))

    with app.app_context():
        db.create_all()
        db.session.add(Author(id=1, name="Ada"))
        db.session.add_all(Book(title=f"Book {n}", author_id=1) for n in range(1, 26))
        db.session.commit()
    return app, db, Author, Book


@pytest.mark.only("flask", reason="Flask-SQLAlchemy's own API")
def test_flask_sqlalchemy_2_idioms_on_3_1(framework):
    """`Model.query`, `query.paginate` and `query.get_or_404` still work (legacy);
    `paginate`'s arguments are keyword-only since 3.0, and `get_debug_queries` is gone."""
    import flask_sqlalchemy
    from sqlalchemy.exc import LegacyAPIWarning
    from werkzeug.exceptions import NotFound

    app, db, Author, Book = _legacy_models(lazy="dynamic")
    with app.test_request_context():
        assert Author.query.filter_by(name="Ada").first().id == 1
        with pytest.warns(LegacyAPIWarning):  # it calls Query.get: db.get_or_404 does not
            assert Author.query.get_or_404(1).name == "Ada"
        with pytest.raises(NotFound), pytest.warns(LegacyAPIWarning):
            Author.query.get_or_404(2)
        assert db.get_or_404(Author, 1).name == "Ada"
        page = Book.query.order_by(Book.id).paginate(page=2, per_page=10)
        assert [b.id for b in page.items] == list(range(11, 21))
        with pytest.raises(TypeError):  # 2.x took paginate(2, 10)
            Book.query.paginate(2, 10)
        author = db.session.get(Author, 1)
        assert author.books.filter(Book.id > 20).count() == 5  # lazy="dynamic": a query
        assert not hasattr(flask_sqlalchemy, "get_debug_queries")
        from flask_sqlalchemy.record_queries import get_recorded_queries

        assert any("FROM book" in q.statement for q in get_recorded_queries())


@pytest.mark.only("fastapi", reason="plain SQLAlchemy 2, as a FastAPI app uses it")
def test_their_sqlalchemy_2_equivalents(framework):
    legacy, db, Author, Book = _legacy_models(lazy="write_only")
    with legacy.app_context():
        engine = db.engine  # the same database, outside Flask from here on
    # --8<-- [start:sqlalchemy-2]
    from fastapi import HTTPException
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        # Model.query.filter_by(name="Ada").first()
        ada = session.scalars(select(Author).filter_by(name="Ada")).first()
        # Model.query.get_or_404(2)
        with pytest.raises(HTTPException) as missing:
            if session.get(Author, 2) is None:
                raise HTTPException(404)
        # Book.query.paginate(page=2, per_page=10): LIMIT/OFFSET, and a count for the total
        query = select(Book).order_by(Book.id)
        page = session.scalars(query.limit(10).offset(10)).all()
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        # author.books.filter(...).count() with lazy="dynamic": lazy="write_only" (or
        # WriteOnlyMapped) gives a select() to refine instead of a Query
        late = select(func.count()).select_from(ada.books.select().where(Book.id > 20).subquery())
        assert session.scalar(late) == 5
    # --8<-- [end:sqlalchemy-2]
    assert ada.id == 1 and missing.value.status_code == 404
    assert ([b.id for b in page], total) == (list(range(11, 21)), 25)
