"""python-socketio's ASGI server mounted beside FastAPI's routes.

Run it with: fastapi dev fastapi_app.py
Needs SOCKET_TOKEN (clients send it to connect) and ANNOUNCER_TOKEN (for POST
/announcements) in the environment; it refuses to start without them.
"""

import hmac
import os
from typing import Annotated

import socketio
from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


SOCKET_TOKEN = secret("SOCKET_TOKEN").encode()
ANNOUNCER_TOKEN = secret("ANNOUNCER_TOKEN").encode()

sio = socketio.AsyncServer(async_mode="asgi")  # other origins refused unless allowed
app = FastAPI()
# The Socket.IO endpoint is /socket.io/, as with Flask-SocketIO; clients need no change.
app.mount("/socket.io", socketio.ASGIApp(sio, socketio_path="socket.io"))


def matches(value: object, secret: bytes) -> bool:
    return isinstance(value, str) and hmac.compare_digest(
        value.encode("utf-8", "surrogatepass"), secret
    )


def valid_room(data: object) -> str | None:
    room = data.get("room") if isinstance(data, dict) else None
    return room if isinstance(room, str) and 0 < len(room) <= 40 else None


@sio.event
async def connect(sid, environ, auth):
    # Handlers receive the connection's `sid` first: there is no request context.
    if not isinstance(auth, dict) or not matches(auth.get("token"), SOCKET_TOKEN):
        raise socketio.exceptions.ConnectionRefusedError("unauthorized")


@sio.event
async def join(sid, data=None):  # None: the client sent no data
    room = valid_room(data)
    if room is None:
        return {"error": "room: a string of 1 to 40 characters"}
    await sio.enter_room(sid, room)
    return {"joined": room}


@sio.event
async def say(sid, data=None):
    room = valid_room(data)
    text = data.get("text") if isinstance(data, dict) else None
    if room is None or not isinstance(text, str) or not 0 < len(text) <= 500:
        return {"error": "room and text (1 to 500 characters) are required"}
    await sio.emit("chat", {"room": room, "text": text}, to=room)
    return {"sent": True}


@app.post("/announcements")
async def announce(text: str = "", authorization: Annotated[str, Header()] = ""):
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not matches(token, ANNOUNCER_TOKEN):
        return JSONResponse(
            {"error": "unauthorized"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    # Checked here, after the token, rather than with Query(min_length=...): FastAPI
    # validates parameters first, and would answer 422 to a caller with no token.
    if not 0 < len(text) <= 500:
        return JSONResponse({"error": "text: 1 to 500 characters"}, status_code=400)
    await sio.emit("announcement", {"text": text})  # to every connected client
    return {"announced": text}
