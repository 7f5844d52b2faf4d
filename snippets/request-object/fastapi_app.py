"""The raw Request in FastAPI. Run it with: fastapi dev fastapi_app.py"""

import hashlib
import hmac
import json
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# Shared with the sender; read from the environment, never written in the code.
WEBHOOK_SECRET = secret("WEBHOOK_SECRET").encode()

app = FastAPI()


# --8<-- [start:webhook]
@app.post("/webhook")
async def webhook(request: Request):  # no model: we need the bytes before parsing
    body = await request.body()  # the raw bytes, exactly as sent
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    # Bytes: compare_digest raises TypeError on a str that is not ASCII.
    if not hmac.compare_digest(expected.encode(), request.headers.get("X-Signature", "").encode()):
        return JSONResponse({"detail": "Invalid signature"}, status_code=401)
    try:
        event = json.loads(body)
    except ValueError:
        return JSONResponse({"detail": "Malformed JSON"}, status_code=400)
    return {"received": event.get("type")}


# --8<-- [end:webhook]


# --8<-- [start:inspect]
@app.get("/inspect")
def inspect(request: Request):
    return {
        "method": request.method,
        "url": str(request.url),  # a starlette URL object, not a str
        "path": request.url.path,
        "tags": request.query_params.getlist("tag"),  # a multi-dict too
        "client": getattr(request.client, "host", None),  # client may be None
    }


# --8<-- [end:inspect]
