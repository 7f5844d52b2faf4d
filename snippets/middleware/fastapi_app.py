"""Middleware in FastAPI: ASGI classes, @app.middleware. Run it with: fastapi dev fastapi_app.py"""

import time

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

app = FastAPI()
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)


# --8<-- [start:layer]
class LayerMiddleware:
    """An ASGI middleware: wraps the app and adds its name to the x-layers header."""

    def __init__(self, app: ASGIApp, name: str):
        self.app = app
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan and websocket messages pass straight through
            await self.app(scope, receive, send)
            return

        async def send_with_layer(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                inner = headers.getlist("x-layers")
                del headers["x-layers"]
                headers["x-layers"] = ", ".join([self.name, *inner])
            await send(message)

        await self.app(scope, receive, send_with_layer)


# --8<-- [end:layer]


# --8<-- [start:timing]
# GZip goes first, inside the function middleware below: placed outside it, GZip sees a
# streamed body and compresses even tiny responses, ignoring minimum_size.
app.add_middleware(GZipMiddleware, minimum_size=1000)

BLOCKED_AGENTS = ("BadBot",)  # crawlers this site refuses


@app.middleware("http")
async def refuse_blocked_agents(request: Request, call_next):
    if any(agent in request.headers.get("user-agent", "") for agent in BLOCKED_AGENTS):
        # Return the answer: an HTTPException raised here is a 500, because middleware
        # runs outside the exception handlers (they see what routes and dependencies raise).
        return JSONResponse({"detail": "Forbidden"}, status_code=403)
    return await call_next(request)


# Function-style middleware: wraps everything added before it, so here it sits inside
# the two layers added below, like Flask's request hooks.
@app.middleware("http")
async def add_process_time(request: Request, call_next):
    started = time.perf_counter()
    response = await call_next(request)
    elapsed_ms = (time.perf_counter() - started) * 1000
    response.headers["x-process-time-ms"] = f"{elapsed_ms:.3f}"
    response.headers["x-layers"] = "timing"
    return response


# --8<-- [end:timing]


# --8<-- [start:body]
@app.middleware("http")
async def record_body_size(request: Request, call_next):
    # Read the body before call_next: Starlette hands the same bytes on to the route. After
    # call_next the stream is spent, and request.body() raises RuntimeError: Stream consumed.
    body = await request.body()
    response = await call_next(request)
    response.headers["x-body-bytes"] = str(len(body))
    return response


@app.post("/messages")
async def receive_message(request: Request):
    return {"bytes": len(await request.body())}


# --8<-- [end:body]


# --8<-- [start:stack]
# Each add_middleware call goes around the previous ones: the last one added runs first.
app.add_middleware(LayerMiddleware, name="inner")
app.add_middleware(LayerMiddleware, name="outer")
# --8<-- [end:stack]


# --8<-- [start:routes]
@app.get("/hello")
def hello():
    return {"message": "Hello"}


@app.get("/report")
def report():
    return {"rows": [{"id": i, "status": "ok"} for i in range(100)]}


@app.get("/boom")
def boom():
    raise RuntimeError("unhandled")


# --8<-- [end:routes]
