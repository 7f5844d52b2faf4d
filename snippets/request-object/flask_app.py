"""The request object in Flask. Run it with: flask --app flask_app run"""

import hashlib
import hmac
import json
import os

from flask import Flask, request


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# Shared with the sender; read from the environment, never written in the code.
WEBHOOK_SECRET = secret("WEBHOOK_SECRET").encode()

app = Flask(__name__)


# --8<-- [start:webhook]
@app.post("/webhook")
def webhook():
    body = request.get_data()  # the raw bytes, exactly as sent
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    # Bytes: compare_digest raises TypeError on a str that is not ASCII.
    if not hmac.compare_digest(expected.encode(), request.headers.get("X-Signature", "").encode()):
        return {"detail": "Invalid signature"}, 401
    try:
        event = json.loads(body)
    except ValueError:
        return {"detail": "Malformed JSON"}, 400
    return {"received": event.get("type")}


# --8<-- [end:webhook]


# --8<-- [start:inspect]
@app.get("/inspect")
def inspect():
    return {
        "method": request.method,
        "url": request.url,
        "path": request.path,
        "tags": request.args.getlist("tag"),  # a MultiDict
        "client": request.remote_addr,
    }


# --8<-- [end:inspect]
