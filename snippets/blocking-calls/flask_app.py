"""Calling blocking code from Flask, where it is the normal case.

Run it with: flask --app flask_app run   (the async views need "flask[async]")
Each request has a worker thread to itself, so a blocking call holds only that thread.
"""

import asyncio
import threading
from urllib.parse import quote

import httpx2
from flask import Flask

app = Flask(__name__)

# --8<-- [start:service]
# A stand-in for a remote reports API, so that the example runs offline. It notes which
# thread called it, like its FastAPI twin.
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
@app.get("/reports/<name>")
def report(name: str):
    # The usual Flask view: the request's worker thread blocks, and nothing else waits.
    return fetch_report(name)


@app.get("/reports/<name>/offloaded")
async def report_offloaded(name: str):
    # In an async view, a blocking call would also stall the loop Flask made for this
    # call (and any gather in it); asyncio.to_thread moves it off that loop.
    return await asyncio.to_thread(fetch_report, name)


@app.get("/reports/<name>/async")
async def report_async(name: str):
    # A client per call: Flask makes a new event loop for each async view, and a client's
    # connections belong to the loop that opened them.
    async with httpx2.AsyncClient(**API) as client:
        response = await client.get(f"/reports/{quote(name, safe='')}")
    return response.json()


# --8<-- [end:fixes]
