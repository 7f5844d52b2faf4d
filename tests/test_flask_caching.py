"""flask-caching: Flask-Caching's cached, memoize and delete_memoized → cashews' cache
decorator and cache.delete. Hits, misses, per-argument keys and expiry on a fake clock.
"""

import types

import cachelib.simple
import cashews.backends.memory
import pytest

from tests.expect import assert_default_error, assert_not_found, assert_validation_error


@pytest.fixture
def clock(monkeypatch):
    """Both in-memory backends read the time through their module's `time`: move it by hand.
    cachelib's SimpleCache (Flask-Caching's SimpleCache) imports `time` from `time`;
    cashews' memory backend calls `time.time()`."""
    now = [1_000_000.0]
    monkeypatch.setattr(cachelib.simple, "time", lambda: now[0])
    monkeypatch.setattr(cashews.backends.memory, "time", types.SimpleNamespace(time=lambda: now[0]))
    return now


def test_a_cached_view_is_computed_once(client, clock):
    first = client.get("/search", params={"q": "lamp"})
    assert first.status_code == 200
    assert first.json() == {"q": "lamp", "computed": 1}
    assert client.get("/search", params={"q": "lamp"}).json() == {"q": "lamp", "computed": 1}


def test_each_query_gets_its_own_entry(client, clock):
    assert client.get("/search", params={"q": "lamp"}).json()["computed"] == 1
    assert client.get("/search", params={"q": "desk"}).json() == {"q": "desk", "computed": 2}
    assert client.get("/search", params={"q": "lamp"}).json()["computed"] == 1
    assert client.get("/search").json() == {"q": "", "computed": 3}


def test_unknown_query_parameters(client, framework, clock):
    # query_string=True keys on the whole query string; cashews' key names the parameters.
    client.get("/search", params={"q": "lamp"})
    r = client.get("/search", params={"q": "lamp", "utm_source": "mail"})
    assert r.json()["computed"] == {"flask": 2, "fastapi": 1}[framework]


def test_the_order_of_query_parameters_does_not_matter(client, clock):
    client.get("/search?q=lamp&page=1")
    assert client.get("/search?page=1&q=lamp").json()["computed"] == 1


@pytest.mark.parametrize("q", ["\x00", "ünï 😀", "{q}", "a:b:*", "x" * 5000])
def test_hostile_queries_are_keys_like_any_other(client, clock, q):
    assert client.get("/search", params={"q": q}).json() == {"q": q, "computed": 1}
    assert client.get("/search", params={"q": q}).json()["computed"] == 1


def test_entries_expire_after_the_timeout(client, clock):
    assert client.get("/search", params={"q": "lamp"}).json()["computed"] == 1
    clock[0] += 59
    assert client.get("/search", params={"q": "lamp"}).json()["computed"] == 1
    clock[0] += 2
    assert client.get("/search", params={"q": "lamp"}).json()["computed"] == 2


def test_memoize_keys_on_the_argument(client, clock):
    assert client.get("/items/1/price").json() == {"item_id": 1, "cents": 250, "computed": 1}
    assert client.get("/items/2/price").json() == {"item_id": 2, "cents": 990, "computed": 2}
    assert client.get("/items/1/price").json()["computed"] == 1
    clock[0] += 61
    assert client.get("/items/1/price").json()["computed"] == 3


def test_deleting_one_entry_keeps_the_others(client, clock):
    client.get("/items/1/price")
    client.get("/items/2/price")
    r = client.put("/items/1/price", json={"cents": 300})
    assert r.status_code == 200
    assert r.json() == {"item_id": 1, "cents": 300, "computed": 3}
    assert client.get("/items/1/price").json() == {"item_id": 1, "cents": 300, "computed": 3}
    assert client.get("/items/2/price").json() == {"item_id": 2, "cents": 990, "computed": 2}


@pytest.mark.parametrize(
    "body",
    [{"cents": "300"}, {"cents": True}, {"cents": 2.5}, {"cents": -1}, {"cents": 10**30}, {}, [1]],
    ids=["string", "bool", "float", "negative", "huge", "missing", "array"],
)
def test_bad_prices_are_refused_and_keep_the_cache(client, framework, clock, body):
    client.get("/items/1/price")
    r = client.put("/items/1/price", json=body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert client.get("/items/1/price").json() == {"item_id": 1, "cents": 250, "computed": 1}


def test_malformed_json_is_refused(client, framework):
    r = client.put("/items/1/price", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]


@pytest.mark.parametrize(("body", "echoed"), [
    (b'{"cents": NaN}', "nan"),
    (b'{"cents": 1e999}', "inf"),
    (b'{"cents": "\\ud800"}', "'\\ud800'"),
    (b"[" * 5000 + b"]" * 5000, None),
], ids=["nan", "infinity", "lone-surrogate", "deep"])  # fmt: skip
def test_hostile_json_is_refused_not_a_500(client, framework, clock, body, echoed):
    """Flask needs the app's JSON provider (RecursionError on deep nesting); FastAPI its
    422 handler, which echoes an input JSON cannot carry (NaN, a lone surrogate) as its repr."""
    client.get("/items/1/price")
    r = client.put("/items/1/price", content=body, headers={"content-type": "application/json"})
    if framework == "flask":
        assert r.status_code == 400
        assert r.json() == {"error": "cents must be an integer from 0 to 1000000000"}
    elif echoed:
        assert assert_validation_error(r, ["body", "cents"], "int_type")["input"] == echoed
    else:
        assert_default_error(
            r, framework, 400, fastapi_detail="There was an error parsing the body"
        )
    assert client.get("/items/1/price").json() == {"item_id": 1, "cents": 250, "computed": 1}


def test_unknown_item(client):
    r = client.get("/items/9/price")
    assert r.status_code == 404
    assert r.json() == {"error": "unknown item"}


def test_a_non_integer_id(client, framework):
    r = client.get("/items/abc/price")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 422
