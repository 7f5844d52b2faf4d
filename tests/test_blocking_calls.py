"""blocking-calls: a blocking call must never run on FastAPI's event-loop thread.

Timing-free: the snippets' fake reports API notes the thread that called it, and the tests
compare it with the thread that runs the event loop (found with a probe route) and with
the thread that sent the request.
"""

import threading

import pytest

from guidekit.harness import client_for
from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

REPORT = {"name": "ada", "total": 42}
FIXES = ["/reports/ada", "/reports/ada/offloaded", "/reports/ada/async"]


@pytest.mark.parametrize("path", FIXES)
def test_every_variant_returns_the_report(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == REPORT


def test_unknown_route_is_404(client, framework):
    assert_not_found(client.get("/reports/"), framework)
    assert_not_found(client.get("/reports/ada/blocking"), framework)


def test_post_is_405(client, framework):
    r = client.post("/reports/ada/async")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def callers(framework, snippet, path):
    """(thread that called the fake API, event-loop thread or None) for one request."""
    app = snippet.app
    loop_threads = []

    async def the_mistake():
        # What the page warns against: a blocking call straight inside async def.
        return snippet.fetch_report("ada")

    app.get("/reports/ada/blocking")(the_mistake)

    async def loop_probe():
        loop_threads.append(threading.current_thread())
        return {}

    app.get("/loop-probe")(loop_probe)
    with client_for(framework, app) as client:
        assert client.get(path).status_code == 200
        if framework == "fastapi":
            client.get("/loop-probe")  # FastAPI has one loop per process: find its thread
    [caller] = snippet.API_CALLERS
    return caller, (loop_threads[0] if loop_threads else None)


def test_def_endpoint_blocks_a_pool_thread_not_the_loop(framework, snippet):
    caller, loop = callers(framework, snippet, "/reports/ada")
    if framework == "flask":
        assert caller is threading.current_thread()  # the thread that serves the request
    else:
        assert caller is not loop
        assert caller is not threading.current_thread()


def test_offloaded_call_runs_on_another_thread(framework, snippet):
    caller, loop = callers(framework, snippet, "/reports/ada/offloaded")
    assert caller is not threading.current_thread()
    if framework == "fastapi":
        assert caller is not loop


def test_async_client_runs_on_the_loop_without_blocking_it(framework, snippet):
    """The async client's transport is awaited on the loop's thread: that is fine, it
    does not block. In Flask that loop is the one made for this call, on another thread."""
    caller, loop = callers(framework, snippet, "/reports/ada/async")
    if framework == "flask":
        assert caller is not threading.current_thread()
    else:
        assert caller is loop


def test_the_mistake_blocks_the_thread_of_the_event_loop(framework, snippet):
    """A blocking call inside async def runs on the loop's thread: in FastAPI that is the
    loop every request shares; in Flask, the loop made for this one call."""
    caller, loop = callers(framework, snippet, "/reports/ada/blocking")
    if framework == "flask":
        assert caller is not threading.current_thread()
    else:
        assert caller is loop


def test_a_blocking_async_endpoint_serves_one_request_at_a_time(framework, app):
    """The load-test symptom: two requests sent at once must both be inside the endpoint
    together to pass a barrier (1 s timeout, no sleeping). A blocking wait in `async def`
    holds FastAPI's loop, so the second request cannot start and both give up; Flask runs
    each request on its own thread (and loop), and FastAPI's `def` endpoints run on the
    thread pool, so both meet there."""
    from guidekit.harness import send_concurrently

    def endpoint(meet: threading.Barrier):
        def blocking_wait() -> dict:
            try:
                meet.wait()  # a blocking call, as time.sleep or requests.get would be
            except threading.BrokenBarrierError:
                return {"met": False}
            return {"met": True}

        return blocking_wait

    wait_in_def = endpoint(threading.Barrier(2, timeout=1))
    wait_in_async = endpoint(threading.Barrier(2, timeout=1))

    async def the_mistake():
        return wait_in_async()

    app.get("/meet/async")(the_mistake)
    app.get("/meet/def")(wait_in_def)
    mistake = send_concurrently(framework, app, "GET", "/meet/async", 2)
    fixed = send_concurrently(framework, app, "GET", "/meet/def", 2)
    met = {"flask": True, "fastapi": False}[framework]
    assert [(r.status_code, r.json()) for r in mistake] == [(200, {"met": met})] * 2
    assert [(r.status_code, r.json()) for r in fixed] == [(200, {"met": True})] * 2
