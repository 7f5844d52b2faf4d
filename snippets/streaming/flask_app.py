"""Streaming responses and server-sent events in Flask. Run it with: flask --app flask_app run"""

import json

from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)


@app.get("/count")
def count():
    n = request.args.get("n", 3, type=int)  # an invalid n silently falls back to 3
    if n > 100:  # the client picks n: without a bound, one request streams forever
        return {"error": "n must be at most 100"}, 400

    def generate():
        for i in range(1, n + 1):
            yield f"{i}\n"  # each yield is sent as it is produced

    # A generator passed to Response streams; the view returns before it runs.
    return Response(generate(), mimetype="text/plain")


@app.get("/greet")
def greet():
    @stream_with_context  # keeps `request` usable while the body is being sent
    def generate():
        yield "Hello, "
        yield request.args.get("name", "stranger")
        yield "!\n"

    return Response(generate(), mimetype="text/plain")


def sse(data, event: str | None = None, id: int | None = None) -> str:
    """One server-sent event, framed by hand: field lines, then a blank line."""
    lines = [f"event: {event}"] if event else []
    lines.append(f"data: {json.dumps(data)}")
    if id is not None:
        lines.append(f"id: {id}")
    return "\n".join(lines) + "\n\n"


@app.get("/events")
def events():
    # A reconnecting browser sends the id of the last event it saw.
    last_id = request.headers.get("Last-Event-ID", 0, type=int)

    def generate():
        for n in range(last_id + 1, 4):
            yield sse({"n": n}, event="tick", id=n)
        yield sse("bye", event="done")

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # set by hand
    return Response(generate(), mimetype="text/event-stream", headers=headers)
