"""Async views in Flask. Needs the async extra: pip install "flask[async]".

Run it with: flask --app flask_app run
Each endpoint reports where its code ran: on the thread that is serving the request or
not, and whether an asyncio event loop is running there.
"""

import asyncio
import threading

from flask import Flask, g

app = Flask(__name__)


def event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@app.before_request
def remember_request_thread():
    g.request_thread = threading.get_ident()  # the server's worker thread for this request


def where() -> dict:
    return {
        "event_loop": event_loop_running(),
        "on_request_thread": threading.get_ident() == g.request_thread,
    }


async def lookup(name: str) -> str:
    await asyncio.sleep(0)  # stands for awaiting a database driver or an HTTP client
    return name.title()


@app.get("/sync")
def sync_view():
    return {"view": "def", **where()}


@app.get("/async")
async def async_view():
    # Flask runs this coroutine in a new event loop on another thread, and the request's
    # worker thread waits for it: concurrency *inside* the view, not between requests.
    names = await asyncio.gather(lookup("ada"), lookup("grace"))
    return {"view": "async def", "names": names, **where()}
