"""databases: Flask-SQLAlchemy vs SQLAlchemy 2.0 with a session dependency, on real SQLite."""

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


def test_an_id_beyond_64_bits_is_refused_not_a_500(client, framework):
    """SQLite raises OverflowError for an integer beyond 64 bits; the route bounds the id."""
    r = client.get("/items/99999999999999999999999")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]
