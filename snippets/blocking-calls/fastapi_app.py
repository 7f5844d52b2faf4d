"""Calling blocking code from FastAPI without stalling the event loop.

Run it with: fastapi dev fastapi_app.py
Three fixes for a blocking call (a sync HTTP client here; a sync database driver or
time.sleep are the same): a def endpoint, run_in_threadpool, or an async client.
"""

import threading
from urllib.parse import quote

import httpx2
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

app = FastAPI()

# --8<-- [start:service]
# A stand-in for a remote reports API, so that the example runs offline. It notes which
# thread called it: the tests check that blocking calls never come from the event loop.
API_CALLERS: list[threading.Thread] = []


def reports_api(request: httpx2.Request) -> httpx2.Response:
    API_CALLERS.append(threading.current_thread())
    return httpx2.Response(200, json={"name": request.url.path.split("/")[-1], "total": 42})


API = {"base_url": "https://reports.example", "transport": httpx2.MockTransport(reports_api)}


def fetch_report(name: str) -> dict:
    """Blocking: the calling thread waits until the answer arrives."""
    with httpx2.Client(**API) as client:
        # quote: the name came from a URL, decoded; a NUL byte in it makes an invalid URL.
        return client.get(f"/reports/{quote(name, safe='')}").json()


# --8<-- [end:service]


# --8<-- [start:fixes]
@app.get("/reports/{name}")
def report(name: str):
    # Fix 1: a def endpoint. FastAPI runs it in its thread pool; blocking here is fine.
    return fetch_report(name)


@app.get("/reports/{name}/offloaded")
async def report_offloaded(name: str):
    # Fix 2: stay async, send the blocking call to the thread pool and await it.
    return await run_in_threadpool(fetch_report, name)


@app.get("/reports/{name}/async")
async def report_async(name: str):
    # Fix 3: an async client. Nothing blocks; the loop serves others while this awaits.
    # (A client per call keeps the example short; an app shares one, opened in lifespan.)
    async with httpx2.AsyncClient(**API) as client:
        response = await client.get(f"/reports/{quote(name, safe='')}")
    return response.json()


# --8<-- [end:fixes]
