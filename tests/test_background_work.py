"""background-work: a task that runs after the response (BackgroundTasks vs call_on_close)."""

import pytest

from guidekit.harness import client_for

ADA = {"email": "ada@example.com", "name": "Ada"}
WELCOME_ADA = {"to": "ada@example.com", "subject": "Welcome, Ada!"}


def watching(framework, app, outbox, seen):
    """Wrap the app so that, when the last byte of the body has been sent, `seen` records
    what the outbox held at that moment."""
    if framework == "flask":

        def wsgi(environ, start_response):
            body = app(environ, start_response)
            try:
                yield from body
                seen.append(list(outbox))
            finally:
                body.close()  # what a WSGI server does last; runs call_on_close callbacks

        return wsgi

    async def asgi(scope, receive, send):
        async def send_and_watch(message):
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                seen.append(list(outbox))

        await app(scope, receive, send_and_watch)

    return asgi


def test_response_is_sent_before_the_task_runs(framework, snippet):
    seen = []
    with client_for(framework, watching(framework, snippet.app, snippet.OUTBOX, seen)) as client:
        r = client.post("/signup", json=ADA)
        assert r.status_code == 202
        assert seen == [[]]  # body fully sent, task not run yet
        # With both test clients the task has finished by the time the call returns.
        assert snippet.OUTBOX == [WELCOME_ADA]


def test_the_response_does_not_carry_the_result(client, framework, snippet):
    r = client.post("/signup", json=ADA)
    assert r.status_code == 202
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"status": "queued", "email": "ada@example.com"}
    assert snippet.OUTBOX == [WELCOME_ADA]


def test_one_task_per_request_with_its_own_arguments(client, snippet):
    client.post("/signup", json=ADA)
    client.post("/signup", json={"email": "alan@example.com", "name": "Alan"})
    assert snippet.OUTBOX == [
        WELCOME_ADA,
        {"to": "alan@example.com", "subject": "Welcome, Alan!"},
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "ada@example.com"},
        {"email": "ada@example.com", "name": 7},
        ["not", "an", "object"],
    ],
    ids=["missing-field", "wrong-type", "not-an-object"],
)
def test_bad_input_queues_nothing(client, framework, snippet, body):
    r = client.post("/signup", json=body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert snippet.OUTBOX == []


def test_malformed_json_queues_nothing(client, framework, snippet):
    r = client.post("/signup", content="{", headers={"content-type": "application/json"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert snippet.OUTBOX == []


@pytest.mark.only("fastapi", reason="Flask's call_on_close runs on the request's worker thread")
def test_an_async_def_task_runs_on_the_event_loops_thread(framework):
    """The pitfall: an `async def` task runs on the thread of the event loop, so a blocking
    call inside it holds every request; a `def` task runs in the thread pool. Compared by
    thread identity, no clock."""
    import threading

    from fastapi import BackgroundTasks, FastAPI
    from fastapi.testclient import TestClient

    ran_on: dict[str, threading.Thread] = {}

    async def async_task() -> None:
        ran_on["async task"] = threading.current_thread()

    def sync_task() -> None:
        ran_on["def task"] = threading.current_thread()

    app = FastAPI()

    @app.post("/jobs", status_code=202)
    async def start(tasks: BackgroundTasks):
        ran_on["loop"] = threading.current_thread()  # an async endpoint runs on the loop
        tasks.add_task(async_task)
        tasks.add_task(sync_task)
        return {"queued": 2}

    with TestClient(app) as client:
        r = client.post("/jobs")
    assert (r.status_code, r.json()) == (202, {"queued": 2})
    assert ran_on["async task"] is ran_on["loop"]
    assert ran_on["def task"] is not ran_on["loop"]


@pytest.mark.only("fastapi", reason="Flask's call_on_close has no dependency to keep open")
def test_a_yield_dependency_is_open_during_the_task_and_closed_after(framework):
    """A session from a `yield` dependency, handed to a background task, is still open while
    the task runs; the dependency's exit code runs after the task."""
    from typing import Annotated

    from fastapi import BackgroundTasks, Depends, FastAPI

    events: list[str] = []

    def get_session():
        session = {"open": True}
        events.append("opened")
        yield session
        session["open"] = False
        events.append("closed")

    def task(session: dict) -> None:
        events.append(f"task sees open={session['open']}")

    app = FastAPI()

    @app.post("/jobs", status_code=202)
    def start(session: Annotated[dict, Depends(get_session)], tasks: BackgroundTasks):
        tasks.add_task(task, session)
        return {"status": "queued"}

    with client_for(framework, app) as client:
        r = client.post("/jobs")
    assert (r.status_code, r.json()) == (202, {"status": "queued"})
    assert events == ["opened", "task sees open=True", "closed"]
