"""Async endpoints in FastAPI. Run it with: fastapi dev fastapi_app.py

Each endpoint reports where its code ran: on the thread that is serving the request or
not, and whether an asyncio event loop is running there.
"""

import asyncio
import threading

from fastapi import FastAPI, Request

app = FastAPI()


def event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@app.middleware("http")
async def remember_request_thread(request: Request, call_next):
    request.state.request_thread = threading.get_ident()  # the event loop's thread
    return await call_next(request)


def where(request: Request) -> dict:
    return {
        "event_loop": event_loop_running(),
        "on_request_thread": threading.get_ident() == request.state.request_thread,
    }


async def lookup(name: str) -> str:
    await asyncio.sleep(0)  # stands for awaiting a database driver or an HTTP client
    return name.title()


@app.get("/sync")
def sync_view(request: Request):
    # A def endpoint runs in a thread pool, so the event loop stays free meanwhile.
    return {"view": "def", **where(request)}


@app.get("/async")
async def async_view(request: Request):
    # Runs on the event loop itself: while it awaits, the loop serves other requests.
    names = await asyncio.gather(lookup("ada"), lookup("grace"))
    return {"view": "async def", "names": names, **where(request)}
