"""request-object: the raw request (`request.get_data()` vs `await request.body()`), used by a
replay-safe webhook (Standard Webhooks: https://www.standardwebhooks.com/).

No test waits for time to pass: `clock` moves the apps' one time source (Flask's
`WEBHOOK_CLOCK` config value, FastAPI's `clock` dependency) to a value the test sets.
"""

import base64
import hashlib
import hmac
import time

import httpx2
import pytest

from guidekit.exchanges import load_exchanges
from guidekit.harness import client_for, demo_environ, load_module, send_concurrently
from guidekit.hostile import Probe, send_all
from guidekit.topics import snippet_path
from tests.expect import assert_default_error, assert_method_not_allowed, has, route_methods

KEY = base64.b64decode(demo_environ("request-object")["WEBHOOK_SECRET"].removeprefix("whsec_"))
BODY = b'{"type":"invoice.paid","id":"evt_1"}'
T0 = 1_800_000_000  # the fake clock's start (Unix seconds)
TOLERANCE = 300  # the apps' window, in seconds, either way

MALFORMED = {"detail": "Missing or malformed webhook headers"}
BAD_SIGNATURE = {"detail": "Invalid signature"}
OUT_OF_WINDOW = {"detail": "Timestamp outside the tolerance window"}
REPLAYED = {"detail": "Webhook already received"}


# --8<-- [start:clock]
def set_clock(framework: str, snippet, clock) -> None:
    """Make the app read the time from `clock`, a function returning Unix seconds."""
    if framework == "flask":
        snippet.app.config["WEBHOOK_CLOCK"] = clock
    else:
        snippet.app.dependency_overrides[snippet.clock] = clock


# --8<-- [end:clock]


class Clock:
    """A time source a test sets: `clock.now = ...` moves it, nothing sleeps."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(framework, snippet) -> Clock:
    fake = Clock(T0)
    set_clock(framework, snippet, fake)
    return fake


def signature(webhook_id: str, timestamp: int | str, body: bytes, key: bytes = KEY) -> str:
    content = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def signed_headers(webhook_id: str = "msg_1", timestamp: int = T0, body: bytes = BODY) -> dict:
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(webhook_id, timestamp, body),
    }


def post_as_a_server_would(framework, app, headers: dict) -> httpx2.Response:
    """POST BODY with header values a server passes on as latin-1 text, non-ASCII included
    (httpx2's WSGITransport accepts only ASCII ones)."""
    (answer,) = send_all(
        framework, app, [Probe("POST", "/webhook", "", {"content": BODY, "headers": headers})]
    )
    assert isinstance(answer, httpx2.Response), answer
    return answer


def test_a_fresh_signed_webhook_is_accepted(client, clock):
    r = client.post("/webhook", content=BODY, headers=signed_headers())
    assert r.status_code == 200
    assert r.json() == {"received": "invoice.paid"}


def test_the_reference_libraries_test_vector_is_accepted(framework, monkeypatch):
    """The vector of standard-webhooks' own library tests (secret, id, time, body → signature):
    the apps implement the same scheme, not a look-alike."""
    monkeypatch.setenv("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    snippet = load_module("request-object", framework)
    set_clock(framework, snippet, Clock(1614265330))
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    with client_for(framework, snippet.app) as client:
        r = client.post("/webhook", content=b'{"test": 2432232314}', headers=headers)
    assert (r.status_code, r.json()) == (200, {"received": None})


def test_a_replay_is_refused(client, clock):
    assert client.post("/webhook", content=BODY, headers=signed_headers()).status_code == 200
    clock.now += 10
    again = client.post("/webhook", content=BODY, headers=signed_headers())
    assert (again.status_code, again.json()) == (409, REPLAYED)


def test_an_id_is_remembered_exactly_as_long_as_its_timestamp_is_in_the_window(client, clock):
    """At the window's last second a copy is still refused as a replay; one second later the
    timestamp check refuses it, so the store need not remember it any longer."""
    assert client.post("/webhook", content=BODY, headers=signed_headers()).status_code == 200
    clock.now = T0 + TOLERANCE
    last = client.post("/webhook", content=BODY, headers=signed_headers())
    assert (last.status_code, last.json()) == (409, REPLAYED)
    clock.now = T0 + TOLERANCE + 1
    after = client.post("/webhook", content=BODY, headers=signed_headers())
    assert (after.status_code, after.json()) == (401, OUT_OF_WINDOW)


def test_the_id_is_the_key_not_the_signature(client, clock):
    """Same id, later timestamp, so a new valid signature: still the same webhook."""
    assert client.post("/webhook", content=BODY, headers=signed_headers()).status_code == 200
    clock.now += 10
    r = client.post("/webhook", content=BODY, headers=signed_headers(timestamp=T0 + 10))
    assert (r.status_code, r.json()) == (409, REPLAYED)
    other = client.post("/webhook", content=BODY, headers=signed_headers("msg_2", T0 + 10))
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("age", "status"),
    [(TOLERANCE, 200), (-TOLERANCE, 200), (TOLERANCE + 1, 401), (-TOLERANCE - 1, 401)],
    ids=["5-min-old", "5-min-ahead", "5-min-1s-old", "5-min-1s-ahead"],
)
def test_the_window_edges(client, clock, age, status):
    """The clock is 'now'; the request's timestamp is `age` seconds before it (negative:
    after it, a sender whose clock runs fast). Exactly the tolerance passes, a second more fails."""
    r = client.post("/webhook", content=BODY, headers=signed_headers(timestamp=T0 - age))
    assert r.status_code == status
    assert r.json() == ({"received": "invoice.paid"} if status == 200 else OUT_OF_WINDOW)


def test_the_pages_stale_example_is_validly_signed(framework, snippet):
    """The page's "stale" exchange is refused for its age alone: at its own time, accepted."""
    (stale,) = [e for e in load_exchanges("request-object") if e.id == "stale"]
    with client_for(framework, snippet.app) as client:
        now = client.request(stale.method, stale.path, **stale.request)  # the real clock
        assert (now.status_code, now.json()) == (401, OUT_OF_WINDOW)
        set_clock(framework, snippet, Clock(int(stale.request["headers"]["webhook-timestamp"])))
        back_then = client.request(stale.method, stale.path, **stale.request)
    assert (back_then.status_code, back_then.json()) == (200, {"received": "invoice.paid"})


@pytest.mark.parametrize(
    "change",
    ["webhook-id", "webhook-timestamp", "body"],
)
def test_the_signature_covers_id_timestamp_and_exact_body(client, clock, change):
    headers, body = signed_headers(), BODY
    if change == "body":  # same JSON, other whitespace: re-serialising would break it
        body = b'{"type": "invoice.paid", "id": "evt_1"}'
    elif change == "webhook-id":
        headers["webhook-id"] = "msg_other"
    else:
        headers["webhook-timestamp"] = str(T0 + 1)
    r = client.post("/webhook", content=body, headers=headers)
    assert (r.status_code, r.json()) == (401, BAD_SIGNATURE)


GOOD = signature("msg_1", T0, BODY)


@pytest.mark.parametrize(
    "value",
    [
        "v1," + base64.b64encode(bytes(32)).decode(),
        signature("msg_1", T0, BODY, key=b"another key"),
        GOOD.removeprefix("v1,"),  # no version label
        "v1a" + GOOD.removeprefix("v1"),  # the asymmetric scheme's label: not ours
        GOOD.lower(),
        GOOD.rstrip("="),  # padding missing
        f"{GOOD}\t",
        "v1,é" + GOOD[4:],
        "v1," + "A" * 10_000,
        " ".join(["v1,AAAA"] * 500),
    ],
    ids=["zeros", "wrong-key", "no-label", "v1a-label", "lower-case", "unpadded", "tab",
         "non-ascii", "huge", "500-wrong-signatures"],
)  # fmt: skip
def test_a_signature_that_does_not_match_is_401(framework, app, clock, value):
    headers = signed_headers() | {"webhook-signature": value.encode("utf-8")}
    r = post_as_a_server_would(framework, app, headers)
    assert (r.status_code, r.json()) == (401, BAD_SIGNATURE)


@pytest.mark.parametrize(
    "value",
    [f"v1,AAAA {GOOD}", f"v1a,c2lnbmF0dXJl {GOOD} v2,xyz", f"{GOOD} v1,AAAA"],
    ids=["second-of-two", "among-other-schemes", "first-of-two"],
)
def test_one_matching_signature_among_several_is_enough(client, clock, value):
    """Several space-separated signatures let a sender rotate its secret without downtime."""
    r = client.post(
        "/webhook", content=BODY, headers=signed_headers() | {"webhook-signature": value}
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("webhook-id", None),
        ("webhook-timestamp", None),
        ("webhook-signature", None),
        ("webhook-id", ""),
        ("webhook-id", "msg.1"),  # "." separates the signed parts
        ("webhook-id", "msg 1"),
        ("webhook-id", "é"),
        ("webhook-id", "m" * 257),
        ("webhook-timestamp", ""),
        ("webhook-timestamp", "soon"),
        ("webhook-timestamp", "-1"),
        ("webhook-timestamp", "+1800000000"),
        ("webhook-timestamp", "1800000000.5"),
        ("webhook-timestamp", "1_800_000_000"),
        ("webhook-timestamp", "1e9"),
        ("webhook-timestamp", "9" * 13),
        ("webhook-timestamp", "9" * 5000),
        ("webhook-timestamp", "²"),  # a digit to str.isdigit(), not to us
        ("webhook-signature", ""),
    ],
)
def test_missing_or_malformed_headers_are_400(framework, app, clock, name, value):
    headers = signed_headers()
    if value is None:
        del headers[name]
    else:
        headers[name] = value.encode("utf-8")
    r = post_as_a_server_would(framework, app, headers)
    assert (r.status_code, r.json()) == (400, MALFORMED)


@pytest.mark.parametrize(
    ("webhook_id", "timestamp", "status"),
    [("m" * 256, T0, 200), ("msg_1", f"00{T0}", 200), ("msg_1", "0", 401)],
    ids=["longest-id", "12-digits-leading-zeros", "epoch"],
)
def test_header_values_at_their_limits(client, clock, webhook_id, timestamp, status):
    """The edges of the header patterns: 256 characters of id pass (257 are a 400); a
    timestamp is read as a number, leading zeros and all (signed as sent), and 0 is old."""
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(webhook_id, timestamp, BODY),
    }
    r = client.post("/webhook", content=BODY, headers=headers)
    assert r.status_code == status
    assert r.json() == ({"received": "invoice.paid"} if status == 200 else OUT_OF_WINDOW)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "Malformed JSON"),
        (b"", "Malformed JSON"),
        (b"\xff\xfe\xfa", "Malformed JSON"),
        (b"[" * 100_000, "Malformed JSON"),  # deeper than Python's recursion limit
        (b"[1, 2]", "Expected a JSON object"),
        (b"null", "Expected a JSON object"),
        (b'"invoice.paid"', "Expected a JSON object"),
    ],
    ids=["malformed", "empty", "not-utf8", "nested-too-deep", "array", "null", "string"],
)
def test_a_signed_body_that_is_not_a_json_object_is_400(client, clock, body, detail):
    r = client.post("/webhook", content=body, headers=signed_headers(body=body))
    assert (r.status_code, r.json()) == (400, {"detail": detail})


class SlowToAnswer(dict):
    """A dict whose `in` hands the GIL to other threads first: it widens the gap between
    checking an id and recording it, where an unlocked store lets two copies through."""

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        time.sleep(0)  # no wait: it only lets the other threads run before `found` is used
        return found


def test_copies_sent_at_the_same_time_are_accepted_once(framework, snippet, clock):
    snippet.seen_ids._expiries = SlowToAnswer()
    responses = send_concurrently(
        framework, snippet.app, "POST", "/webhook", 20, content=BODY, headers=signed_headers()
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 19
    assert [r.json() for r in responses if r.status_code == 409] == [REPLAYED] * 19


def test_the_store_forgets_ids_out_of_the_window_and_is_bounded(client, clock, snippet):
    """An id is kept until its timestamp leaves the window; a full store refuses (429) rather
    than forget an id that could still be replayed."""
    snippet.seen_ids.max_ids = 1
    assert client.post("/webhook", content=BODY, headers=signed_headers("msg_a")).status_code == 200
    clock.now = T0 + TOLERANCE
    full = client.post("/webhook", content=BODY, headers=signed_headers("msg_b", T0 + TOLERANCE))
    assert (full.status_code, full.json()) == (429, {"detail": "Too many webhooks, retry later"})
    clock.now = T0 + TOLERANCE + 1  # msg_a's timestamp has left the window: forgotten
    later = signed_headers("msg_b", T0 + TOLERANCE + 1)
    assert client.post("/webhook", content=BODY, headers=later).status_code == 200
    replay = client.post("/webhook", content=BODY, headers=signed_headers("msg_a"))
    assert (replay.status_code, replay.json()) == (401, OUT_OF_WINDOW)


def test_a_full_store_takes_under_500_bytes_per_id(framework, snippet):
    """Memory is bounded by `max_ids`: a full store of the longest ids (256 characters)
    takes under 500 bytes each (about 45 MB at the default 100,000), then refuses."""
    import tracemalloc

    store = snippet.SeenIds(max_ids=2_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(2_000):
            assert store.add(f"{n:0256d}", T0 + TOLERANCE + n, T0)
        size = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 256 * 2_000 < size < 500 * 2_000
    with pytest.raises(snippet.ReplayStoreFull):
        store.add("one-more", T0 + TOLERANCE, T0)


def test_only_signed_requests_reach_the_store(client, clock, snippet):
    """Anyone can send requests, but only the sender can fill the store."""
    snippet.seen_ids.max_ids = 1
    for n in range(5):
        forged = signed_headers(f"msg_{n}") | {"webhook-signature": "v1,AAAA"}
        assert client.post("/webhook", content=BODY, headers=forged).status_code == 401
    assert client.post("/webhook", content=BODY, headers=signed_headers()).status_code == 200


def test_secret_comes_from_the_environment(framework, monkeypatch):
    other_key = b"another-fake-key-for-this-test-only"
    monkeypatch.setenv("WEBHOOK_SECRET", "whsec_" + base64.b64encode(other_key).decode())
    snippet = load_module("request-object", framework)
    set_clock(framework, snippet, Clock(T0))
    with client_for(framework, snippet.app) as client:
        old = client.post("/webhook", content=BODY, headers=signed_headers())
        new_headers = signed_headers() | {
            "webhook-signature": signature("msg_1", T0, BODY, other_key)
        }
        new = client.post("/webhook", content=BODY, headers=new_headers)
    assert (old.status_code, new.status_code) == (401, 200)


@pytest.mark.parametrize("value", ["whsec_", "whsec_not base64!", "plain-text-secret"])
def test_a_secret_that_is_not_base64_stops_the_app(framework, value):
    with pytest.raises(RuntimeError, match="must be whsec_ followed by the base64 key"):
        load_module("request-object", framework, env={"WEBHOOK_SECRET": value})


def test_the_scheme_is_the_same_code_in_both_apps(framework):
    """Signing, window and replay store do not depend on the framework: one text, twice."""
    sections = []
    for fw in ("flask", "fastapi"):
        text = snippet_path("request-object", fw).read_text()
        sections.append(text.split("[start:webhook-scheme]")[1].split("[end:webhook-scheme]")[0])
    assert sections[0] == sections[1]


def test_request_attributes(client, framework):
    r = client.get("/inspect?tag=a&tag=b")
    assert r.status_code == 200
    assert r.json() == {
        "method": "GET",
        "url": "http://testserver/inspect?tag=a&tag=b",
        "path": "/inspect",
        "tags": ["a", "b"],
        # What each test client reports as the peer; a real server gives the socket's.
        "client": {"flask": "127.0.0.1", "fastapi": "testclient"}[framework],
    }


MAX_BODY = 1024 * 1024  # the apps' limit on a request body, in bytes


@pytest.mark.change("max-body-size")
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, framework, clock):
    """Anyone can POST to the webhook: it must not buffer an unbounded body to check it."""
    padded = BODY[:-1] + b" " * (MAX_BODY - len(BODY)) + b"}"  # a JSON object, at the limit
    r = client.post("/webhook", content=padded, headers=signed_headers(body=padded))
    assert (r.status_code, r.json()) == (200, {"received": "invoice.paid"})
    big = padded + b" "
    r = client.post("/webhook", content=big, headers=signed_headers("msg_2", body=big))
    if framework == "fastapi" and not has("max-body-size"):  # the argument is ignored
        assert r.status_code == 200
        return
    assert_default_error(r, framework, 413, fastapi_text="Content Too Large")


def test_get_on_the_webhook_is_405(client, framework):
    assert_method_not_allowed(client.get("/webhook"), framework, route_methods("POST"))


def test_the_body_is_cached_and_bad_json_is_left_to_you(framework, app):
    """Both cache the raw body, so the JSON helper still works after it. On malformed JSON,
    Flask's get_json() answers 400 itself; Starlette's json() raises, which is a 500."""
    if framework == "flask":
        from flask import request

        def both():
            return {"raw": request.get_data(as_text=True), "json": request.get_json()}

        app.add_url_rule("/both", "both", both, methods=["POST"])
    else:
        from fastapi import Request

        @app.post("/both")
        async def both(request: Request):
            return {"raw": (await request.body()).decode(), "json": await request.json()}

    with client_for(framework, app) as client:
        r = client.post("/both", content=BODY, headers={"content-type": "application/json"})
        assert r.json() == {"raw": BODY.decode(), "json": {"type": "invoice.paid", "id": "evt_1"}}
        bad = client.post("/both", content=b"{oops", headers={"content-type": "application/json"})
        # Flask's get_json() raises BadRequest (400); Starlette's json() a plain ValueError.
        assert bad.status_code == {"flask": 400, "fastapi": 500}[framework]
