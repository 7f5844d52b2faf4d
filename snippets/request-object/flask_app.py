"""The request object in Flask. Run it with: flask --app flask_app run"""

import hashlib
import hmac
import json
import os

from flask import Flask, request

# A demo value: set WEBHOOK_SECRET in the environment for anything real.
WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET", "dev-only-webhook-secret").encode()

app = Flask(__name__)


# --8<-- [start:webhook]
@app.post("/webhook")
def webhook():
    body = request.get_data()  # the raw bytes, exactly as sent
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
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
