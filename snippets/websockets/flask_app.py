"""WebSockets in Flask with flask-sock. Run it with: flask --app flask_app run

flask-sock needs a server that lets a view take over the connection: the Werkzeug dev
server, or gunicorn with threads (`--threads`) or eventlet/gevent workers.
"""

import os

from flask import Flask
from flask_sock import Sock


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
sock = Sock(app)

TOKEN = secret("WS_TOKEN")
POLICY_VIOLATION = 1008


@sock.route("/ws")
def echo(ws):  # plain `def`: the open connection holds a worker thread
    while True:
        text = ws.receive()  # blocks; raises ConnectionClosed when the client leaves
        ws.send(f"echo: {text}")


@sock.route("/ws/private")
def private(ws):  # flask-sock has already completed the handshake
    token = ws.receive()  # the first message carries the token (not the URL: logs keep URLs)
    if token != TOKEN:
        ws.close(reason=POLICY_VIOLATION, message="invalid token")
        return
    ws.send("welcome")
    # returning closes the connection normally (1000)
