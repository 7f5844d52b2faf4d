"""async-views: which thread and which event loop run `def` and `async def` handlers.

Timing-free: handlers report the thread and loop they ran on, and the tests compare
identities. Some tests add a small probe route to a fresh app to look at the loop objects.
"""

import asyncio
import sys
import threading

import anyio.to_thread
import pytest

from guidekit.harness import client_for
from tests.expect import assert_method_not_allowed, assert_not_found, route_methods


def test_def_view(client, framework):
    r = client.get("/sync")
    assert r.status_code == 200
    assert r.json() == {
        "view": "def",
        "event_loop": False,
        # Flask: the server's worker thread runs it. FastAPI: a thread-pool thread does,
        # not the event loop's thread that received the request.
        "on_request_thread": {"flask": True, "fastapi": False}[framework],
    }


def test_async_def_view(client, framework):
    r = client.get("/async")
    assert r.status_code == 200
    assert r.json() == {
        "view": "async def",
        "names": ["Ada", "Grace"],  # asyncio.gather works inside the view in both
        "event_loop": True,
        # Flask: another thread, running a loop made for this call. FastAPI: the loop's
        # own thread, the one that received the request.
        "on_request_thread": {"flask": False, "fastapi": True}[framework],
    }


def test_unknown_route_is_404(client, framework):
    assert_not_found(client.get("/threads"), framework)


def test_post_to_an_async_view_is_405(client, framework):
    r = client.post("/async")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def add_probe(app, path, handler):
    """Register one more GET route on a fresh app (both frameworks spell it app.get)."""
    app.get(path)(handler)


def test_event_loop_per_request_in_flask_one_shared_loop_in_fastapi(app, framework):
    loops = []

    async def loop_probe():
        loops.append(asyncio.get_running_loop())
        return {"ok": True}

    add_probe(app, "/loop", loop_probe)
    with client_for(framework, app) as client:
        assert client.get("/loop").status_code == 200
        assert client.get("/loop").status_code == 200
        closed_while_serving = [loop.is_closed() for loop in loops]
    first, second = loops
    if framework == "flask":
        # A new loop for each call, closed when the view returns: a task the view starts
        # with asyncio.create_task and does not await is cancelled with it.
        assert first is not second
        assert closed_while_serving == [True, True]
    else:
        assert first is second
        assert closed_while_serving == [False, False]


def test_async_views_of_two_requests_run_on_different_threads_in_flask_only(app, framework):
    threads = []

    async def thread_probe():
        # Thread objects, not idents: an ident may be reused once a thread has ended.
        threads.append(threading.current_thread())
        return {"ok": True}

    add_probe(app, "/thread", thread_probe)
    with client_for(framework, app) as client:
        client.get("/thread")
        client.get("/thread")
    assert threading.current_thread() not in threads  # never the test's (caller's) thread
    assert (threads[0] is threads[1]) is {"flask": False, "fastapi": True}[framework]


def test_what_bounds_concurrent_def_handlers(app, framework):
    """Flask: the server's threads (the view runs on the caller's thread). FastAPI: a shared
    pool of 40 threads per process (anyio's default limiter), shared with sync dependencies."""
    seen = {}

    def sync_probe():
        seen["thread"] = threading.get_ident()
        return {"ok": True}

    async def limiter_probe():
        seen["tokens"] = anyio.to_thread.current_default_thread_limiter().total_tokens
        return {"ok": True}

    add_probe(app, "/sync-probe", sync_probe)
    add_probe(app, "/limiter", limiter_probe)
    with client_for(framework, app) as client:
        client.get("/sync-probe")
        if framework == "fastapi":
            client.get("/limiter")
    if framework == "flask":
        assert seen == {"thread": threading.get_ident()}
    else:
        assert seen["thread"] != threading.get_ident()
        assert seen["tokens"] == 40


def test_async_needs_an_extra_in_flask_only(client, app, framework, monkeypatch):
    """Flask hands coroutines to asgiref (the `flask[async]` extra); FastAPI needs nothing."""
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)  # as if asgiref were not installed
    r = client.get("/async")
    assert r.status_code == {"flask": 500, "fastapi": 200}[framework]
    assert client.get("/sync").status_code == 200
    if framework == "flask":
        with pytest.raises(RuntimeError, match=r"Install Flask with the 'async' extra"):
            app.ensure_sync(app.view_functions["async_view"])
