"""flask-socketio: Flask-SocketIO → python-socketio's AsyncServer mounted in the FastAPI app.

The Flask app is driven by Flask-SocketIO's own test client. python-socketio has no ASGI
test client, so the FastAPI app is served by uvicorn on 127.0.0.1 (a free port), on an
event loop in a thread, and a real `socketio.AsyncSimpleClient` connects to it over a
WebSocket. Every wait is bounded (TIMEOUT). On one connection the server's packets arrive
in order, so the events a client has received are complete once an acknowledgement that
the server sent after them has arrived (`Peer.received`).
"""

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
import socketio
import uvicorn

from guidekit.harness import load_module
from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

TOKEN = "test-only-socket-token"  # snippets/flask-socketio/env.toml
ANNOUNCER = {"authorization": "Bearer test-only-announcer-token"}
TIMEOUT = 5  # seconds, for each wait on the real server


class Refused(Exception):
    """The server refused the connection."""


class Peer:
    """One connected Socket.IO client, the same calls for both apps."""

    def __init__(self, framework: str, client, run=None):
        self.framework, self.client, self.run = framework, client, run

    def call(self, event: str, data):
        """Emit `event` and return the server's acknowledgement."""
        if self.framework == "flask":
            return self.client.emit(event, data, callback=True)
        return self.run(self.client.call(event, data, timeout=TIMEOUT))

    def emit(self, event: str, data) -> None:
        """Emit `event` without asking for an acknowledgement."""
        if self.framework == "flask":
            self.client.emit(event, data)
        else:
            self.run(self.client.emit(event, data))

    def received(self) -> list[list]:
        """Every event received since the last call, as [name, *args]."""
        if self.framework == "flask":
            return [[p["name"], *p["args"]] for p in self.client.get_received()]
        # A round trip (an invalid join, answered by an acknowledgement) flushes what the
        # server sent this client before it.
        self.call("join", {})
        events, self.client.input_buffer[:] = list(self.client.input_buffer), []
        return events


class FastAPIServer:
    """The FastAPI app served by uvicorn on 127.0.0.1, on a loop in a thread."""

    def __init__(self, app):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.serving = asyncio.run_coroutine_threadsafe(self.server.serve([sock]), self.loop)
        self.run(self.started())

    async def started(self) -> None:
        while not self.server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
            await asyncio.sleep(0.01)  # polls a flag; bounded by run()'s TIMEOUT

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT)

    async def cancel_the_rest(self) -> None:
        """Cancel what the server left running (engine.io's ping tasks)."""
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        self.server.should_exit = True
        self.serving.result(TIMEOUT)
        self.run(self.cancel_the_rest())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(TIMEOUT)
        self.loop.close()


@pytest.fixture
def connect(framework, snippet) -> Iterator:
    """`connect(auth)` → a connected Peer, or raises Refused."""
    peers: list[Peer] = []
    server = FastAPIServer(snippet.app) if framework == "fastapi" else None

    def connect(auth) -> Peer:
        if server is None:
            client = snippet.socketio.test_client(snippet.app, auth=auth)
            if not client.is_connected():
                raise Refused
            peers.append(Peer(framework, client))
            return peers[-1]

        async def open_client():
            client = socketio.AsyncSimpleClient()
            try:
                await client.connect(server.url, auth=auth, transports=["websocket"])
            except socketio.exceptions.ConnectionError as error:
                raise Refused from error
            return client

        peers.append(Peer(framework, server.run(open_client()), server.run))
        return peers[-1]

    yield connect
    for peer in peers:
        if framework == "flask":
            peer.client.disconnect()
        else:
            server.run(peer.client.disconnect())
    if server is not None:
        server.stop()


@pytest.mark.parametrize("missing", ["SOCKET_TOKEN", "ANNOUNCER_TOKEN"])
def test_refuses_to_start_without_its_secrets(framework, topic, missing, monkeypatch):
    monkeypatch.delenv(missing, raising=False)
    env = {"SOCKET_TOKEN": "s", "ANNOUNCER_TOKEN": "a"}
    del env[missing]
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


def test_connect_with_the_token(connect):
    peer = connect({"token": TOKEN})
    assert peer.call("join", {"room": "lobby"}) == {"joined": "lobby"}


@pytest.mark.parametrize(
    "auth",
    [None, {}, {"token": "wrong"}, {"token": TOKEN + "x"}, {"token": ""}, {"token": None},
     {"token": 12345}, {"token": [TOKEN]}, {"token": "tökén😀"}, {"token": "\ud800"},
     {"tok": TOKEN}, "not-a-dict"],
    ids=["none", "empty", "wrong", "longer", "blank", "null", "number", "list", "non-ascii",
         "lone-surrogate", "other-key", "string"],
)  # fmt: skip
def test_connect_without_the_right_token_is_refused(connect, auth):
    with pytest.raises(Refused):
        connect(auth)


def test_a_message_reaches_the_rooms_members_only(connect):
    alice, bob, carol = (connect({"token": TOKEN}) for _ in range(3))
    assert alice.call("join", {"room": "lobby"}) == {"joined": "lobby"}
    assert bob.call("join", {"room": "lobby"}) == {"joined": "lobby"}
    assert carol.call("join", {"room": "kitchen"}) == {"joined": "kitchen"}
    assert alice.call("say", {"room": "lobby", "text": "hello"}) == {"sent": True}
    message = ["chat", {"room": "lobby", "text": "hello"}]
    assert alice.received() == [message]  # the sender too: it is in the room
    assert bob.received() == [message]
    assert carol.received() == []


def test_saying_to_a_room_one_has_not_joined_still_reaches_it(connect):
    # Neither library checks membership before emitting to a room: the app must.
    alice, bob = connect({"token": TOKEN}), connect({"token": TOKEN})
    bob.call("join", {"room": "lobby"})
    assert alice.call("say", {"room": "lobby", "text": "hi"}) == {"sent": True}
    assert alice.received() == []
    assert bob.received() == [["chat", {"room": "lobby", "text": "hi"}]]


@pytest.mark.parametrize(
    ("event", "data"),
    [("join", {}), ("join", {"room": ""}), ("join", {"room": "x" * 41}), ("join", {"room": 7}),
     ("join", "lobby"), ("join", None), ("join", [1, 2]), ("say", {"room": "lobby"}),
     ("say", {"room": "lobby", "text": ""}), ("say", {"room": "lobby", "text": "x" * 501}),
     ("say", {"room": "lobby", "text": 1e308}), ("say", {"text": "hi"}), ("say", "hi")],
)  # fmt: skip
def test_bad_event_data_gets_an_error_acknowledgement(connect, event, data):
    peer = connect({"token": TOKEN})
    answer = peer.call(event, data)
    assert set(answer) == {"error"}
    assert peer.received() == []


def test_an_unknown_event_is_ignored(connect):
    # No handler, no acknowledgement: a client that asked for one would wait forever.
    peer = connect({"token": TOKEN})
    peer.emit("nope", {"room": "lobby"})
    assert peer.received() == []
    assert peer.call("join", {"room": "lobby"}) == {"joined": "lobby"}


def test_an_announcement_is_broadcast_to_every_client(connect, client):
    alice, bob = connect({"token": TOKEN}), connect({"token": TOKEN})
    alice.call("join", {"room": "lobby"})
    r = client.post("/announcements?text=closing+soon", headers=ANNOUNCER)
    assert r.status_code == 200
    assert r.json() == {"announced": "closing soon"}
    announcement = ["announcement", {"text": "closing soon"}]
    assert alice.received() == [announcement]
    assert bob.received() == [announcement]


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic dGVzdA=="},
     {"authorization": "Bearer"}, {"authorization": "Bearer test-only-socket-token"}],
    ids=["none", "wrong", "basic", "empty", "socket-token"],
)  # fmt: skip
def test_announcing_without_the_token_is_401(client, headers):
    r = client.post("/announcements", params={"text": "hi"}, headers=headers)
    assert r.status_code == 401
    assert r.json() == {"error": "unauthorized"}
    assert r.headers["www-authenticate"] == "Bearer"


def test_a_non_ascii_token_is_refused_not_500(client, framework, app):
    if framework == "flask":
        # httpx2's WSGI transport refuses non-ASCII header values; Werkzeug's client sends them.
        r = app.test_client().post(
            "/announcements?text=hi", headers={"Authorization": "Bearer tökén"}
        )
        status, body = r.status_code, r.get_json()
    else:
        r = client.post(
            "/announcements?text=hi", headers={"authorization": "Bearer tökén".encode()}
        )
        status, body = r.status_code, r.json()
    assert (status, body) == (401, {"error": "unauthorized"})


def test_the_token_is_checked_before_the_text(client):
    r = client.post("/announcements")
    assert r.status_code == 401


@pytest.mark.parametrize("query", ["", "?text=", "?text=" + "x" * 501])
def test_an_announcement_needs_a_text(client, query):
    r = client.post("/announcements" + query, headers=ANNOUNCER)
    assert r.status_code == 400
    assert r.json() == {"error": "text: 1 to 500 characters"}


def test_unknown_route_and_wrong_method(client, framework):
    assert_not_found(client.get("/nope"), framework)
    assert_method_not_allowed(client.get("/announcements"), framework, route_methods("POST"))
