"""streaming: generator bodies, stream_with_context and server-sent events."""

import asyncio
import json

import pytest

from guidekit.harness import client_for

#: The FastAPI app imports `fastapi.sse`: every test that loads it needs that module.
SSE = pytest.mark.change("fastapi-sse")

SSE_HEADERS = {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}


def read_chunks(client, path, **kwargs):
    """The response and its body as the chunks the app yielded, read while streaming."""
    with client.stream("GET", path, **kwargs) as r:
        return r, list(r.iter_bytes())


def parse_events(text: str) -> list[dict[str, str]]:
    """Split an event stream into events (blank-line separated) of `field: value` lines."""
    events = []
    for block in text.split("\n\n"):
        if block:
            events.append(dict(line.split(": ", 1) for line in block.split("\n")))
    return events


@SSE
def test_chunks_arrive_in_order(client):
    r, chunks = read_chunks(client, "/count?n=5")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-length" not in r.headers  # the size is not known up front
    assert chunks == [b"1\n", b"2\n", b"3\n", b"4\n", b"5\n"]


@SSE
def test_lines_can_be_read_one_by_one(client):
    with client.stream("GET", "/count") as r:
        assert list(r.iter_lines()) == ["1", "2", "3"]


@SSE
def test_empty_stream(client):
    r, chunks = read_chunks(client, "/count?n=0")
    assert r.status_code == 200
    assert b"".join(chunks) == b""


@SSE
def test_invalid_count_falls_back_in_flask_and_is_422_in_fastapi(client, framework):
    r = client.get("/count?n=abc")
    assert r.status_code == {"flask": 200, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.text == "1\n2\n3\n"
    else:
        assert r.json()["detail"][0]["loc"] == ["query", "n"]


@SSE
@pytest.mark.parametrize("n", ["101", "99999999999999999999999"])
def test_count_is_bounded(client, framework, n):
    """The client picks n: without a bound, one request would stream forever."""
    r = client.get(f"/count?n={n}")
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"error": "n must be at most 100"}
    else:
        assert r.json()["detail"][0]["type"] == "less_than_equal"


@SSE
@pytest.mark.parametrize(("query", "name"), [("?name=Ada", "Ada"), ("", "stranger")])
def test_generator_reads_the_request(client, query, name):
    """Flask needs stream_with_context for this; FastAPI's generator closes over an argument."""
    r, chunks = read_chunks(client, f"/greet{query}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert chunks == [b"Hello, ", name.encode(), b"!\n"]


@SSE
def test_sse_framing_and_headers(client):
    r, chunks = read_chunks(client, "/events")
    assert r.status_code == 200
    for name, value in SSE_HEADERS.items():
        assert r.headers[name] == value
    assert chunks == [
        b'event: tick\ndata: {"n": 1}\nid: 1\n\n',
        b'event: tick\ndata: {"n": 2}\nid: 2\n\n',
        b'event: tick\ndata: {"n": 3}\nid: 3\n\n',
        b'event: done\ndata: "bye"\n\n',  # data is JSON: a string arrives quoted
    ]


@SSE
def test_sse_events_parse(client):
    with client.stream("GET", "/events") as r:
        events = parse_events(r.read().decode())
    assert [e["event"] for e in events] == ["tick", "tick", "tick", "done"]
    assert [e.get("id") for e in events] == ["1", "2", "3", None]


@SSE
def test_sse_resumes_after_last_event_id(client):
    r, chunks = read_chunks(client, "/events", headers={"Last-Event-ID": "2"})
    assert r.status_code == 200
    assert chunks == [b'event: tick\ndata: {"n": 3}\nid: 3\n\n', b'event: done\ndata: "bye"\n\n']


@SSE
def test_sse_bad_last_event_id(client, framework):
    r = client.get("/events", headers={"Last-Event-ID": "abc"})
    assert r.status_code == {"flask": 200, "fastapi": 422}[framework]
    if framework == "flask":  # Headers.get(type=int) falls back to the default: a full replay
        assert len(parse_events(r.text)) == 4
    else:
        assert r.json()["detail"][0]["loc"] == ["header", "last-event-id"]


@SSE
def test_post_to_a_stream_is_405(client):
    r = client.post("/events")
    assert r.status_code == 405


@SSE
def test_without_stream_with_context_flask_loses_the_request(framework, app, client):
    """The reason for stream_with_context: Flask's request context ends when the view returns,
    before the body is sent. Starlette's Request is a plain object the generator can keep."""
    if framework == "flask":
        from flask import Response, request

        @app.get("/bare")
        def bare():
            def generate():
                yield "Hello, "
                yield request.args["name"]

            return Response(generate(), mimetype="text/plain")
    else:
        from fastapi import Request
        from fastapi.responses import StreamingResponse

        @app.get("/bare")
        def bare(request: Request):
            def generate():
                yield "Hello, "
                yield request.query_params["name"]

            return StreamingResponse(generate(), media_type="text/plain")

    with client.stream("GET", "/bare?name=Ada") as r:
        assert r.status_code == 200  # the status line is sent before the body runs
        if framework == "flask":
            with pytest.raises(RuntimeError, match="Working outside of request context"):
                r.read()
        else:
            assert r.read() == b"Hello, Ada"


@pytest.mark.change("jsonl-streaming")
@pytest.mark.only("fastapi", reason="Flask streams only what you wrap in a Response")
def test_a_generator_handler_without_a_response_class_streams_json_lines(framework):
    """The last pitfall: yield from a plain route and FastAPI sends JSON Lines, not SSE."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/lines")
    def lines():
        yield {"n": 1}
        yield {"n": 2}

    with client_for(framework, app) as client:
        r = client.get("/lines")
    assert r.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in r.text.splitlines()] == [{"n": 1}, {"n": 2}]


@pytest.mark.only("fastapi", reason="Flask has no server-sent events of its own")
@pytest.mark.change("fastapi-sse")
def test_an_idle_event_stream_sends_ping_comments(framework, monkeypatch):
    """The page's pitfall: after 15 s of silence FastAPI writes a `: ping` comment. The
    interval is read from FastAPI's source, then shortened so the test waits 0.3 s, not 15."""
    import fastapi.routing
    from fastapi import FastAPI
    from fastapi.sse import EventSourceResponse, ServerSentEvent

    assert (fastapi.routing._PING_INTERVAL, fastapi.routing.KEEPALIVE_COMMENT) == (
        15.0,
        b": ping\n\n",
    )
    monkeypatch.setattr(fastapi.routing, "_PING_INTERVAL", 0.1)
    app = FastAPI()

    @app.get("/idle", response_class=EventSourceResponse)
    async def idle():
        await asyncio.sleep(0.3)  # silent for three intervals
        yield ServerSentEvent(data="bye")

    with client_for(framework, app) as client:
        body = client.get("/idle").text
    assert body.startswith(": ping\n\n"), body
    assert body.endswith('data: "bye"\n\n'), body
