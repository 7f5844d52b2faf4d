"""dependency-injection: Depends (sub-dependencies, per-request caching, classes,
overrides) vs helper functions, g and an app factory in Flask."""

import pytest

from guidekit.harness import client_for

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
