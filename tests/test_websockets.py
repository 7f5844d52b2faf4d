"""websockets: flask-sock views and FastAPI WebSocket endpoints, driven by one adapter.

The WSGI test transport cannot carry a WebSocket, so the Flask variant is served for real
by Werkzeug on an ephemeral port (in a thread, shut down after the test) and driven with
simple-websocket's client; the FastAPI variant uses `TestClient.websocket_connect`. The
`connect` fixture hides the difference: tests send text, receive text, or see `Closed`.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
import simple_websocket
from starlette.websockets import WebSocketDisconnect
from werkzeug.serving import make_server

from tests.cli_harness import served
from tests.expect import assert_default_error

TIMEOUT = 5  # seconds; an upper bound on waiting for a message, never a sleep


class Closed(Exception):
    """The server closed the connection with this code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)
        self.code, self.reason = code, reason


class _FlaskSession:
    def __init__(self, ws: simple_websocket.Client) -> None:
        self._ws = ws

    def send(self, text: str) -> None:
        self._ws.send(text)

    def receive(self) -> str:
        try:
            message = self._ws.receive(timeout=TIMEOUT)
        except simple_websocket.ConnectionClosed as exc:
            raise Closed(exc.reason, exc.message or "") from None
        assert message is not None, f"no message within {TIMEOUT}s"
        return message


class _FastAPISession:
    def __init__(self, session: Any) -> None:
        self._session = session

    def send(self, text: str) -> None:
        self._session.send_text(text)

    def receive(self) -> str:
        try:
            return self._session.receive_text()
        except WebSocketDisconnect as exc:
            raise Closed(exc.code, exc.reason) from None


@pytest.fixture
def connect(framework, app, client) -> Iterator[Callable[[str], AbstractContextManager[Any]]]:
    """`with connect("/ws") as ws:` gives `ws.send(text)` and `ws.receive() -> text`."""
    if framework == "fastapi":

        @contextmanager
        def connect_fastapi(path: str) -> Iterator[_FastAPISession]:
            with client.websocket_connect(path) as session:
                yield _FastAPISession(session)

        yield connect_fastapi
        return

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()

    @contextmanager
    def connect_flask(path: str) -> Iterator[_FlaskSession]:
        ws = simple_websocket.Client.connect(f"ws://127.0.0.1:{server.server_port}{path}")
        try:
            yield _FlaskSession(ws)
        finally:
            if ws.connected:
                ws.close()

    try:
        yield connect_flask
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


def test_echo(connect):
    with connect("/ws") as ws:
        for text in ("hello", "héllo wörld", ""):
            ws.send(text)
            assert ws.receive() == f"echo: {text}"


def test_the_client_may_leave_at_any_time(connect):
    with connect("/ws") as ws:
        ws.send("one")
        assert ws.receive() == "echo: one"
    with connect("/ws") as ws:  # the server is still serving
        ws.send("two")
        assert ws.receive() == "echo: two"


def test_wrong_token_closes_with_1008(connect):
    with connect("/ws/private") as ws:
        ws.send("wrong")
        with pytest.raises(Closed) as closed:
            ws.receive()
    assert (closed.value.code, closed.value.reason) == (1008, "invalid token")


def test_right_token_is_welcomed_then_closed_normally(connect):
    with connect("/ws/private") as ws:
        ws.send("not-a-real-token")
        assert ws.receive() == "welcome"
        with pytest.raises(Closed) as closed:
            ws.receive()
    assert (closed.value.code, closed.value.reason) == (1000, "")


def test_plain_http_get_on_a_websocket_route(client, framework):
    r = client.get("/ws")
    # Werkzeug matches the rule but refuses the non-WebSocket request (WebsocketMismatch,
    # a 400); Starlette's WebSocket routes never match an HTTP request, so it is a 404.
    assert_default_error(r, framework, {"flask": 400, "fastapi": 404}[framework])


# A WebSocket opening handshake (RFC 6455, section 4.1); the key is the RFC's own example.
HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


def handshake_status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers=HANDSHAKE)
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_handshake_on_an_unknown_path_is_404_in_flask_and_403_in_fastapi(framework, app):
    """No WebSocket route matches: Werkzeug answers its ordinary 404. Starlette closes the
    socket before accepting it, which the ASGI server must answer with HTTP 403, so a
    misspelt WebSocket URL looks like a refused one. The real route still upgrades (101)."""
    with served(framework, app) as port:
        assert handshake_status(port, "/ws") == 101
        assert (
            handshake_status(port, "/no-such-socket") == {"flask": 404, "fastapi": 403}[framework]
        )
