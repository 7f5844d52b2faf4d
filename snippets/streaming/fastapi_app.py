"""Streaming responses and server-sent events in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import FastAPI, Header, Query
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()


@app.get("/count")
def count(n: Annotated[int, Query(le=100)] = 3) -> StreamingResponse:  # else a 422
    def generate():
        for i in range(1, n + 1):
            yield f"{i}\n"  # a sync generator is iterated in the thread pool

    return StreamingResponse(generate(), media_type="text/plain")


@app.get("/greet")
def greet(name: str = "stranger") -> StreamingResponse:
    def generate():
        yield "Hello, "
        yield name  # a plain argument: there is no request context to keep alive
        yield "!\n"

    return StreamingResponse(generate(), media_type="text/plain")


@app.get("/events", response_class=EventSourceResponse)
async def events(
    last_event_id: Annotated[int, Header()] = 0,  # the Last-Event-ID header
) -> AsyncIterable[ServerSentEvent]:
    # FastAPI frames each yielded event and JSON-encodes its data.
    for n in range(last_event_id + 1, 4):
        yield ServerSentEvent(data={"n": n}, event="tick", id=str(n))
    yield ServerSentEvent(data="bye", event="done")
