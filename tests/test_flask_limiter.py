"""flask-limiter: Flask-Limiter → SlowAPI; both count with the `limits` library, in memory.

No test waits for a window to pass: `clock` replaces time.time, which `limits` and both
extensions read, with a value the test moves.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from guidekit.harness import load_module
from tests.expect import assert_not_found

PARTNER_KEY = "test-only-partner-key-not-for-production"  # snippets/flask-limiter/env.toml
T0 = 1_800_000_000.5  # the fake clock's start, mid-second as a real clock would be


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(T0)
    monkeypatch.setattr(time, "time", fake)
    return fake


def exceeded(limit: str) -> dict:
    return {"error": f"Rate limit exceeded: {limit}"}


def test_refuses_to_start_without_its_secret(framework, topic, monkeypatch):
    monkeypatch.delenv("PARTNER_API_KEY", raising=False)
    with pytest.raises(RuntimeError, match="PARTNER_API_KEY is not set"):
        load_module(topic, framework, env={})


def test_default_limit_then_429(client, clock):
    for remaining in [4, 3, 2, 1, 0]:
        r = client.get("/api/items")
        assert r.status_code == 200
        assert r.json() == {"items": ["apple", "pear"]}
        assert r.headers["x-ratelimit-limit"] == "5"
        assert r.headers["x-ratelimit-remaining"] == str(remaining)
    r = client.get("/api/items")
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/json"
    assert r.json() == exceeded("5 per 1 minute")
    assert r.headers["x-ratelimit-remaining"] == "0"


def test_retry_after_and_reset_headers(client, clock, framework):
    client.get("/api/report")
    clock.advance(20)
    r = client.get("/api/report")
    assert r.status_code == 429
    assert r.json() == exceeded("1 per 1 minute")
    # The window ends at T0 + 60 = ...060.5. Both add a second; Flask-Limiter then drops the
    # fraction, SlowAPI keeps it, so its Retry-After (whole seconds) is one more.
    reset = {"flask": "1800000061", "fastapi": "1800000061.5"}[framework]
    assert r.headers["x-ratelimit-reset"] == reset
    assert r.headers["retry-after"] == {"flask": "40", "fastapi": "41"}[framework]


def test_the_window_ends_without_waiting(client, clock):
    assert client.get("/api/report").status_code == 200
    clock.advance(59)
    assert client.get("/api/report").status_code == 429
    clock.advance(2)
    r = client.get("/api/report")
    assert r.status_code == 200
    assert r.headers["x-ratelimit-remaining"] == "0"


def test_route_limit_replaces_the_default(client, clock):
    r = client.get("/api/report")
    assert r.headers["x-ratelimit-limit"] == "1"
    assert client.get("/api/report").status_code == 429
    # Each route counts apart: /api/items still has its five.
    assert client.get("/api/items").headers["x-ratelimit-remaining"] == "4"


def test_exhausted_default_does_not_block_the_limited_route(client, clock):
    for _ in range(6):
        client.get("/api/items")
    assert client.get("/api/report").status_code == 200


def test_exempt_route_is_never_limited(client, clock):
    for _ in range(20):
        r = client.get("/health")
        assert r.status_code == 200
        assert r.json() == {"status": "ok"}
        assert not any(h.startswith("x-ratelimit") for h in r.headers)
        assert "retry-after" not in r.headers


def test_success_answers_carry_retry_after_too(client, clock, framework):
    r = client.get("/api/items")
    assert r.status_code == 200
    assert r.headers["retry-after"] == {"flask": "60", "fastapi": "61"}[framework]


def test_partner_key_has_its_own_bucket(client, clock):
    assert client.get("/api/report").status_code == 200
    assert client.get("/api/report").status_code == 429
    r = client.get("/api/report", headers={"X-API-Key": PARTNER_KEY})
    assert r.status_code == 200
    assert client.get("/api/report", headers={"X-API-Key": PARTNER_KEY}).status_code == 429


@pytest.mark.parametrize(
    "key", ["wrong", "", PARTNER_KEY + "x", PARTNER_KEY[:-1], "k" * 5000, "\x7f"]
)
def test_a_wrong_key_counts_as_the_address(client, clock, key):
    assert client.get("/api/report").status_code == 200
    r = client.get("/api/report", headers={"X-API-Key": key})
    assert r.status_code == 429


def test_unknown_routes_are_not_counted(client, clock, framework):
    for _ in range(10):
        r = client.get("/nope")
        assert_not_found(r, framework)
        assert "x-ratelimit-limit" not in r.headers


def test_concurrent_requests_never_exceed_the_limit(client, clock):
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: client.get("/api/items").status_code, range(16)))
    assert sorted(statuses) == [200] * 5 + [429] * 11


@pytest.mark.only("flask", reason="pins Flask-Limiter's exception class")
def test_flask_limiters_429_is_werkzeugs_too_many_requests(framework):
    from flask_limiter import RateLimitExceeded
    from werkzeug.exceptions import TooManyRequests

    assert issubclass(RateLimitExceeded, TooManyRequests)  # an HTML page without a handler


@pytest.mark.only("fastapi", reason="pins a rule of SlowAPI's decorator")
def test_slowapi_refuses_an_endpoint_without_request(snippet):
    def no_request():
        return {}

    with pytest.raises(Exception, match="request"):
        snippet.limiter.limit("1 per minute")(no_request)
