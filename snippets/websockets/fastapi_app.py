"""WebSockets in FastAPI. Run it with: fastapi dev fastapi_app.py

Built in (from Starlette). The server needs a WebSocket library: `fastapi[standard]`
installs one for uvicorn.
"""

import os

from fastapi import FastAPI, WebSocket, WebSocketDisconnect, status


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()

TOKEN = secret("WS_TOKEN")


@app.websocket("/ws")
async def echo(websocket: WebSocket):  # awaits messages without holding a thread
    await websocket.accept()  # explicit: the handshake is yours to accept
    try:
        while True:
            text = await websocket.receive_text()
            await websocket.send_text(f"echo: {text}")
    except WebSocketDisconnect:
        pass  # the client left; flask-sock swallows this for you


@app.websocket("/ws/private")
async def private(websocket: WebSocket):
    await websocket.accept()
    token = await websocket.receive_text()  # the first message carries the token
    if token != TOKEN:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="invalid token")
        return
    await websocket.send_text("welcome")
    await websocket.close()  # 1000; not automatic as in flask-sock
