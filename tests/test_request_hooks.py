"""request-hooks: before/after/teardown hooks vs dependencies, yield dependencies, middleware."""

import pytest

from tests.expect import assert_server_error

KEY = {"X-API-Key": "dev-only-key"}


def test_valid_key_runs_every_hook_in_order(client, snippet):
    r = client.get("/items", headers=KEY)
    assert r.status_code == 200
    assert r.json() == {"items": ["apple", "pear"]}
    assert r.headers["x-content-type-options"] == "nosniff"
    assert snippet.events == ["before", "view", "after", "teardown:ok"]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_before_hook_rejects_without_a_valid_key(client, framework, snippet, headers):
    r = client.get("/items", headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "Missing or invalid API key"}
    assert r.headers["x-content-type-options"] == "nosniff"  # the after hook still ran
    assert "view" not in snippet.events
    # Flask's teardown always runs; FastAPI never entered the yield dependency that
    # comes after the one that raised.
    assert (
        snippet.events
        == {
            "flask": ["before", "after", "teardown:ok"],
            "fastapi": ["before", "after"],
        }[framework]
    )


def test_teardown_runs_when_the_view_raises(client, framework, snippet):
    r = client.get("/boom", headers=KEY)
    assert_server_error(r, framework)
    assert snippet.events[-1] == "teardown:RuntimeError"
    if framework == "flask":
        # after_request runs on the 500 response Flask builds for the error.
        assert snippet.events == ["before", "view", "after", "teardown:RuntimeError"]
        assert r.headers["x-content-type-options"] == "nosniff"
    else:
        # The exception passes through call_next: the middleware's "after" code is skipped.
        assert snippet.events == ["before", "view", "teardown:RuntimeError"]
        assert "x-content-type-options" not in r.headers


def test_hooks_run_for_every_request(client, snippet):
    for _ in range(2):
        assert client.get("/items", headers=KEY).status_code == 200
    assert snippet.events.count("before") == 2
    assert snippet.events.count("teardown:ok") == 2


def test_unknown_route(client, framework, snippet):
    """Flask runs before_request for a 404 too; FastAPI's app dependencies run only
    when a route matched, so the 404 needs no key."""
    r = client.get("/nope")
    assert r.headers["x-content-type-options"] == "nosniff"
    if framework == "flask":
        assert r.status_code == 401
        assert snippet.events == ["before", "after", "teardown:ok"]
    else:
        assert r.status_code == 404
        assert snippet.events == ["after"]


def test_wrong_method(client, framework, snippet):
    r = client.post("/items", headers=KEY)
    assert r.status_code == 405
    assert "view" not in snippet.events
