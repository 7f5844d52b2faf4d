"""Flask-SocketIO: events, acknowledgements, rooms, a broadcast and an authenticated connect.

Run it with: flask --app flask_app run
Needs SOCKET_TOKEN (clients send it to connect) and ANNOUNCER_TOKEN (for POST
/announcements) in the environment; it refuses to start without them.
"""

import hmac
import os

from flask import Flask, request
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


SOCKET_TOKEN = secret("SOCKET_TOKEN").encode()
ANNOUNCER_TOKEN = secret("ANNOUNCER_TOKEN").encode()

app = Flask(__name__)
socketio = SocketIO(app, async_mode="threading")  # other origins refused unless allowed


def matches(value: object, secret: bytes) -> bool:
    # Constant time, on bytes; a client may send any JSON value, lone surrogates included.
    return isinstance(value, str) and hmac.compare_digest(
        value.encode("utf-8", "surrogatepass"), secret
    )


def valid_room(data: object) -> str | None:
    room = data.get("room") if isinstance(data, dict) else None
    return room if isinstance(room, str) and 0 < len(room) <= 40 else None


@socketio.on("connect")
def connect(auth):
    # `auth` is what the client passed as `auth=`; None when it sent nothing.
    if not isinstance(auth, dict) or not matches(auth.get("token"), SOCKET_TOKEN):
        raise ConnectionRefusedError("unauthorized")


@socketio.on("join")
def join(data=None):
    room = valid_room(data)
    if room is None:
        return {"error": "room: a string of 1 to 40 characters"}  # the acknowledgement
    join_room(room)
    return {"joined": room}


@socketio.on("say")
def say(data=None):
    room = valid_room(data)
    text = data.get("text") if isinstance(data, dict) else None
    if room is None or not isinstance(text, str) or not 0 < len(text) <= 500:
        return {"error": "room and text (1 to 500 characters) are required"}
    emit("chat", {"room": room, "text": text}, to=room)  # the room's members only
    return {"sent": True}


@app.post("/announcements")
def announce():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not matches(token, ANNOUNCER_TOKEN):
        return {"error": "unauthorized"}, 401, {"WWW-Authenticate": "Bearer"}
    text = request.args.get("text", "")
    if not 0 < len(text) <= 500:
        return {"error": "text: 1 to 500 characters"}, 400
    socketio.emit("announcement", {"text": text})  # outside a handler: to every client
    return {"announced": text}
