"""FastAPI endpoints that wait 50 ms, standing in for a database query or an API call.

`/wait-async` awaits on the event loop, which serves other requests meanwhile;
`/wait-sync` is a `def` endpoint that FastAPI runs in its thread pool (40 threads by
default, AnyIO's limit). Run it with: uvicorn fastapi_app:app
"""

import asyncio
import time

from fastapi import FastAPI

app = FastAPI()

WAIT = 0.05  # seconds: a typical round trip to a database or another service


# --8<-- [start:routes]
@app.get("/wait-async")
async def wait_async():
    await asyncio.sleep(WAIT)  # an awaitable wait: the loop serves other requests
    return {"waited": WAIT}


@app.get("/wait-sync")
def wait_sync():
    time.sleep(WAIT)  # blocking, but in a worker thread: the loop stays free
    return {"waited": WAIT}


# --8<-- [end:routes]
