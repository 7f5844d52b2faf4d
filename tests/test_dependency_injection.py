"""dependency-injection: Depends (sub-dependencies, per-request caching, classes,
overrides) vs helper functions, g and an app factory in Flask."""

import io
import sqlite3
from collections import Counter

import pytest

from guidekit.harness import client_for, send_concurrently

ALICE = {"Authorization": "Bearer alice-token"}  # an admin
BOB = {"Authorization": "Bearer bob-token"}  # not an admin


def test_sub_dependencies_give_the_handler_a_user(client):
    r = client.get("/items?limit=3", headers=BOB)
    assert r.status_code == 200
    assert r.json() == {"user": "bob", "items": ["item-1", "item-2", "item-3"]}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": ""}])
def test_dependency_raising_401(client, headers):
    r = client.get("/items", headers=headers)
    assert r.status_code == 401
    assert r.json() == {"detail": "Not authenticated"}
    assert r.headers["www-authenticate"] == "Bearer"


def test_dependency_raising_403(client):
    r = client.get("/admin/stats", headers=BOB)
    assert r.status_code == 403
    assert r.json() == {"detail": "Admins only"}


def test_admin_passes_the_chain(client):
    r = client.get("/admin/stats", headers=ALICE)
    assert r.status_code == 200
    assert r.json() == {"admin": "alice", "item_count": 25}


@pytest.mark.parametrize("path", ["/items", "/admin/stats"])
def test_shared_dependency_runs_once_per_request(client, snippet, path):
    """get_db is asked for twice (by the handler and through get_current_user) but runs
    once: FastAPI caches it per request; Flask needs the `g` check written by hand."""
    assert client.get(path, headers=ALICE).status_code == 200
    assert snippet.stats["connections"] == 1
    client.get(path, headers=ALICE)
    assert snippet.stats["connections"] == 2  # cached per request, not per app


def test_class_dependency_reads_query_parameters(client):
    r = client.get("/items?limit=2&offset=23", headers=ALICE)
    assert r.json()["items"] == ["item-24", "item-25"]
    assert len(client.get("/items", headers=ALICE).json()["items"]) == 10  # the defaults


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "offset=-1"])
def test_bad_pagination(client, framework, query):
    r = client.get(f"/items?{query}", headers=ALICE)
    assert r.status_code == {"flask": 200, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["loc"][0] == "query"


def test_flask_checks_nothing(client, framework):
    """What the Flask version does with values FastAPI refuses."""
    if framework == "flask":
        assert len(client.get("/items?limit=abc", headers=ALICE).json()["items"]) == 10
        assert client.get("/items?limit=0", headers=ALICE).json()["items"] == []
        assert client.get("/items?offset=-1", headers=ALICE).json()["items"] == []
    else:
        assert client.get("/items?limit=100", headers=ALICE).status_code == 200


def test_replacing_the_database_in_a_test(framework, snippet):
    class FakeDatabase(snippet.Database):
        def __init__(self):
            super().__init__()
            self.items = ["fake-1", "fake-2"]

    if framework == "flask":
        app = snippet.create_app(db_factory=FakeDatabase)  # the factory takes the fake
    else:
        app = snippet.app
        app.dependency_overrides[snippet.get_db] = FakeDatabase
    with client_for(framework, app) as client:
        r = client.get("/items", headers=BOB)
    assert r.json() == {"user": "bob", "items": ["fake-1", "fake-2"]}


def test_replacing_the_current_user_in_a_test(framework, snippet, client, monkeypatch):
    def fake_user():
        return snippet.User("tester", admin=True)

    if framework == "flask":
        # No registry to override: patch the module function the views call.
        monkeypatch.setattr(snippet, "get_current_user", fake_user)
    else:
        snippet.app.dependency_overrides[snippet.get_current_user] = fake_user
    r = client.get("/admin/stats")  # no Authorization header at all
    assert r.status_code == 200
    assert r.json() == {"admin": "tester", "item_count": 25}


def test_overrides_can_be_removed(framework, snippet, client):
    if framework == "fastapi":
        snippet.app.dependency_overrides[snippet.get_current_user] = lambda: snippet.User("t", True)
        assert client.get("/items").status_code == 200
        snippet.app.dependency_overrides.clear()
    assert client.get("/items").status_code == 401


def test_a_connection_per_request_under_concurrency(framework, app):
    """50 requests at once, each opening, using and closing its own sqlite3 connection."""
    responses = send_concurrently(framework, app, "GET", "/db/ping", 50)
    assert [(r.status_code, r.json()) for r in responses] == [(200, {"database": "ok"})] * 50


def test_the_connection_is_closed_after_the_request(framework, snippet, client, monkeypatch):
    opened = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(snippet.sqlite3, "connect", connect)
    assert client.get("/db/ping").json() == {"database": "ok"}
    [conn] = opened  # one connection for the request...
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        conn.execute("SELECT 1")  # ...closed by the teardown / after the yield


@pytest.mark.only("fastapi", reason="Flask runs a request on one thread")
@pytest.mark.filterwarnings("ignore::ResourceWarning")  # the failing close() leaks connections
def test_a_default_sqlite3_connection_fails_under_concurrency(framework, snippet):
    """The pitfall: the same dependency without check_same_thread=False. Sequential
    requests pass (the pool hands back the thread that just finished); concurrent ones
    mostly answer 500, because the endpoint runs on another thread than its dependency."""

    def thread_bound_conn():
        conn = sqlite3.connect(snippet.DATABASE)  # check_same_thread=True by default
        try:
            yield conn
        finally:
            conn.close()

    snippet.app.dependency_overrides[snippet.get_conn] = thread_bound_conn
    with client_for(framework, snippet.app) as client:
        assert client.get("/db/ping").status_code == 200  # the sequential client hides it
    errors = io.StringIO()
    statuses = Counter(
        r.status_code
        for r in send_concurrently(framework, snippet.app, "GET", "/db/ping", 50, errors)
    )
    assert set(statuses) <= {200, 500}
    assert statuses[500] > 0, statuses
    assert (
        "SQLite objects created in a thread can only be used in that same thread"
        in errors.getvalue()
    )


def test_one_connection_per_request_however_often_asked(framework, snippet, app):
    if framework == "flask":
        app.add_url_rule(
            "/twice", "twice", lambda: {"same": snippet.get_conn() is snippet.get_conn()}
        )
    else:
        from typing import Annotated

        from fastapi import Depends

        Conn = Annotated[sqlite3.Connection, Depends(snippet.get_conn)]

        @app.get("/twice")
        def twice(first: Conn, second: Conn):
            return {"same": first is second}  # FastAPI's per-request cache

    with client_for(framework, app) as client:
        assert client.get("/twice").json() == {"same": True}


@pytest.mark.only("fastapi", reason="dependency_overrides is FastAPI's; Flask tests patch names")
def test_an_override_must_be_keyed_on_the_object_given_to_depends(framework):
    """Overrides are looked up by identity: keyed on the factory that built the dependency
    (or on any other function object), they change nothing; keyed on the very callable
    passed to `Depends`, they apply."""
    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.testclient import TestClient

    def permission(action: str):
        def check() -> None:
            raise HTTPException(403, f"may not {action}")

        return check

    may_read = permission("read")
    app = FastAPI()

    @app.get("/report", dependencies=[Depends(may_read)])
    def report():
        return {"report": "ok"}

    with TestClient(app) as client:
        app.dependency_overrides[permission] = lambda: None  # the factory: no effect
        r = client.get("/report")
        assert (r.status_code, r.json()) == (403, {"detail": "may not read"})
        app.dependency_overrides[may_read] = lambda: None  # the object in Depends
        r = client.get("/report")
        assert (r.status_code, r.json()) == (200, {"report": "ok"})
    app.dependency_overrides.clear()


@pytest.mark.parametrize(
    ("scope", "status", "body"),
    [("request", 200, "1\n2\n3\n"), ("function", 200, "")],
    ids=["request", "function"],
)
@pytest.mark.only("fastapi", reason="Flask closes g's connection in teardown, after the stream")
def test_a_yield_dependency_outlives_the_endpoint_until_the_stream_ends(
    framework, snippet, scope, status, body
):
    """By default (scope="request") a `yield` dependency's connection stays open until a
    streamed response has sent its last chunk, holding it for the whole stream;
    `Depends(..., scope="function")` closes it when the endpoint returns, so the stream
    must not use it (here its first query raises and the stream breaks off)."""
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from fastapi.responses import StreamingResponse

    app = FastAPI()

    @app.get("/export")
    def export(conn: Annotated[sqlite3.Connection, Depends(snippet.get_conn, scope=scope)]):
        def rows():
            for (n,) in conn.execute("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"):
                yield f"{n}\n"

        return StreamingResponse(rows(), media_type="text/plain")

    errors = io.StringIO()
    with client_for(framework, app, errors=errors) as client:
        r = client.get("/export")
    assert (r.status_code, r.text) == (status, body)
    if scope == "function":  # the headers had gone out before the stream failed
        assert "Cannot operate on a closed database" in errors.getvalue()
    else:
        assert errors.getvalue() == ""
