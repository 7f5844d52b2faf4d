"""Middleware in Flask: WSGI wrappers and request hooks. Run it with: flask --app flask_app run"""

import time

from flask import Flask, abort, g, request

app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)


# --8<-- [start:layer]
class LayerMiddleware:
    """A WSGI middleware: wraps the app and adds its name to the x-layers header."""

    def __init__(self, wsgi_app, name: str):
        self.wsgi_app = wsgi_app
        self.name = name

    def __call__(self, environ, start_response):
        def start_with_layer(status, headers, exc_info=None):
            inner = [value for key, value in headers if key.lower() == "x-layers"]
            headers = [(key, value) for key, value in headers if key.lower() != "x-layers"]
            headers.append(("x-layers", ", ".join([self.name, *inner])))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_layer)


# --8<-- [end:layer]


# --8<-- [start:timing]
# Flask ships no compression middleware: Flask-Compress adds one, or let the proxy do it.


# No function-style middleware in Flask: a pair of request hooks does the timing.
# They run inside app.wsgi_app, so they are the innermost layer.
@app.before_request
def start_timer():
    g.started = time.perf_counter()


@app.after_request
def add_process_time(response):
    elapsed_ms = (time.perf_counter() - g.started) * 1000
    response.headers["x-process-time-ms"] = f"{elapsed_ms:.3f}"
    response.headers["x-layers"] = "timing"
    return response


# --8<-- [end:timing]


# --8<-- [start:gate]
BLOCKED_AGENTS = ("BadBot",)  # crawlers this site refuses


@app.before_request
def refuse_blocked_agents():
    if any(agent in request.user_agent.string for agent in BLOCKED_AGENTS):
        abort(403)  # Flask's error handling turns it into a 403; after_request still runs


# --8<-- [end:gate]


# --8<-- [start:body]
@app.after_request
def record_body_size(response):
    # After the view, get_data() still has what the view read with get_data() or
    # get_json(); after request.form it is b"" (the form parser keeps nothing).
    response.headers["x-body-bytes"] = str(len(request.get_data()))
    return response


@app.post("/messages")
def receive_message():
    return {"bytes": len(request.get_data())}


# --8<-- [end:body]


# --8<-- [start:stack]
# Each wrapper goes around the previous one: the last one wrapped runs first.
app.wsgi_app = LayerMiddleware(app.wsgi_app, "inner")
app.wsgi_app = LayerMiddleware(app.wsgi_app, "outer")
# --8<-- [end:stack]


@app.get("/hello")
def hello():
    return {"message": "Hello"}


@app.get("/report")
def report():
    return {"rows": [{"id": i, "status": "ok"} for i in range(100)]}


@app.get("/boom")
def boom():
    raise RuntimeError("unhandled")
