"""The request object in Flask. Run it with: flask --app flask_app run"""

import base64
import hashlib
import heapq
import hmac
import json
import os
import re
import threading
import time

from flask import Flask, current_app, request


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# --8<-- [start:webhook-scheme]
def signing_key(value: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret, `whsec_` + base64 of the key."""
    try:
        key = base64.b64decode(value.removeprefix("whsec_"), validate=True)
    except ValueError:
        key = b""
    if not key:
        raise RuntimeError("WEBHOOK_SECRET must be whsec_ followed by the base64 key")
    return key


# Shared with the sender; read from the environment, never written in the code.
WEBHOOK_KEY = signing_key(secret("WEBHOOK_SECRET"))
TOLERANCE = 5 * 60  # seconds, either way: older *and* newer timestamps are refused
WEBHOOK_ID = re.compile(r"[\x21-\x2d\x2f-\x7e]{1,256}")  # printable ASCII, no space, no "."
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # integer Unix seconds: no sign, fraction or space


def signed(webhook_id: str, timestamp: str, body: bytes, signatures: str) -> bool:
    """True if one entry of the space-separated `webhook-signature` header matches."""
    content = f"{webhook_id}.{timestamp}.".encode() + body  # the id and time are signed too
    digest = hmac.new(WEBHOOK_KEY, content, hashlib.sha256).digest()
    expected = b"v1," + base64.b64encode(digest)
    # Bytes: compare_digest raises TypeError on a str that is not ASCII.
    return any(hmac.compare_digest(expected, s.encode()) for s in signatures.split(" "))


class ReplayStoreFull(Exception):
    pass


class SeenIds:
    """The webhook ids accepted while their timestamp is still inside the window.

    In memory, so per process: with several workers use a shared store, such as Redis's
    `SET <id> 1 NX EXAT <expiry>` (atomic, like `add`). An id needs remembering only until
    its timestamp leaves the window; after that the timestamp check refuses the replay.
    """

    def __init__(self, max_ids: int = 100_000) -> None:
        self.max_ids = max_ids
        self._expiries: dict[str, int] = {}
        self._queue: list[tuple[int, str]] = []  # (expiry, id), soonest first
        self._lock = threading.Lock()

    def add(self, webhook_id: str, expiry: int, now: float) -> bool:
        """Record the id until `expiry` (Unix s); False if it is already recorded."""
        with self._lock:  # check and record in one step: two copies cannot both pass
            while self._queue and self._queue[0][0] < now:
                del self._expiries[heapq.heappop(self._queue)[1]]
            if webhook_id in self._expiries:
                return False
            if len(self._expiries) >= self.max_ids:
                raise ReplayStoreFull  # fail closed rather than forget an id too soon
            self._expiries[webhook_id] = expiry
            heapq.heappush(self._queue, (expiry, webhook_id))
            return True


seen_ids = SeenIds()
# --8<-- [end:webhook-scheme]

app = Flask(__name__)
# --8<-- [start:body-limit]
# Anyone may POST to the webhook, and its body is read whole before it can be checked:
# cap it (Flask has no limit by default). Larger bodies get 413, never buffered.
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
# --8<-- [end:body-limit]
# --8<-- [start:clock]
app.config["WEBHOOK_CLOCK"] = time.time  # the one place the view reads the time from
# --8<-- [end:clock]


# --8<-- [start:webhook]
@app.post("/webhook")
def webhook():
    body = request.get_data()  # the raw bytes, exactly as sent
    webhook_id = request.headers.get("webhook-id", "")
    timestamp = request.headers.get("webhook-timestamp", "")
    signatures = request.headers.get("webhook-signature", "")
    if not (WEBHOOK_ID.fullmatch(webhook_id) and TIMESTAMP.fullmatch(timestamp) and signatures):
        return {"detail": "Missing or malformed webhook headers"}, 400
    if not signed(webhook_id, timestamp, body, signatures):
        return {"detail": "Invalid signature"}, 401
    now = current_app.config["WEBHOOK_CLOCK"]()
    if abs(now - int(timestamp)) > TOLERANCE:
        return {"detail": "Timestamp outside the tolerance window"}, 401
    try:
        if not seen_ids.add(webhook_id, int(timestamp) + TOLERANCE, now):
            return {"detail": "Webhook already received"}, 409
    except ReplayStoreFull:
        return {"detail": "Too many webhooks, retry later"}, 429
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return {"detail": "Malformed JSON"}, 400
    if not isinstance(event, dict):
        return {"detail": "Expected a JSON object"}, 400
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
