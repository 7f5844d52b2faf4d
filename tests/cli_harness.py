"""Run the real server command lines in-process, for the running-the-app and deployment tests.

What the guide says about `flask run`, `fastapi dev/run`, `uvicorn` and `gunicorn` is checked
against the CLI that parses the command line, not against a copy of its defaults. Only the
final "serve forever" call is replaced, by a recorder: no server starts, no socket opens.
`served` is the exception: it serves an app for real on 127.0.0.1, for the claims that only
a real server shows (the handshake answer, the path uvicorn builds from `--root-path`).
"""

from __future__ import annotations

import importlib
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask.cli
import pytest
import uvicorn
from click.testing import CliRunner, Result
from fastapi_cli.cli import app as fastapi_cli
from gunicorn import config as gunicorn_config
from gunicorn.app.wsgiapp import WSGIApplication
from typer.testing import CliRunner as TyperRunner
from werkzeug.serving import make_server

SNIPPET_MODULES = ("flask_app", "fastapi_app")
SERVER_TIMEOUT = 5  # seconds; an upper bound on a server starting or stopping, never a sleep
# `uvicorn.main` is also the name of a function in `uvicorn`: reach the module itself.
UVICORN_MAIN = importlib.import_module("uvicorn.main")
CLIS = {
    "flask": (CliRunner, flask.cli.cli),
    "fastapi": (TyperRunner, fastapi_cli),
    "uvicorn": (CliRunner, UVICORN_MAIN.main),
}


@contextmanager
def isolated_process(
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    *,
    unset: Iterable[str] = (),
    modules: Iterable[str] = SNIPPET_MODULES,
) -> Iterator[None]:
    """Start in `folder` without the `unset` variables and `modules`; undo it all after.

    The CLIs write os.environ, sys.path and sys.modules, and import the snippets by name
    from the working directory: without this, one test would see the previous one's app.
    """
    modules = tuple(modules)
    for name in unset:
        monkeypatch.setenv(name, "")  # records the original value for the undo...
        monkeypatch.delenv(name)  # ...then starts the test without it
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.chdir(folder)
    for module in modules:
        monkeypatch.delitem(sys.modules, module, raising=False)
    try:
        yield
    finally:  # modules first imported by the test: monkeypatch has nothing to restore
        for module in modules:
            sys.modules.pop(module, None)


def invoke(argv: list[str]) -> Result:
    """Run a `flask`, `fastapi` or `uvicorn` command line through that program's own CLI."""
    runner, cli = CLIS[argv[0]]
    return runner().invoke(cli, argv[1:])


def serve(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], str]:
    """Run a command line up to its "serve forever" call; return that call's arguments and
    the CLI's output. `app` is what the server was given: Flask's dev server gets the app
    object, uvicorn gets a "module:attribute" string that it would import itself."""
    seen: dict[str, Any] = {}

    def run_simple(host: str, port: int, app: Any, **options: Any) -> None:
        seen.update(app=app, host=host, port=port, **options)

    def run(app: Any, **options: Any) -> None:
        seen.update(app=app, **options)

    monkeypatch.setattr(flask.cli, "run_simple", run_simple)  # what `flask run` calls
    monkeypatch.setattr(uvicorn, "run", run)  # what `fastapi` calls
    monkeypatch.setattr(UVICORN_MAIN, "run", run)  # what `uvicorn` calls
    result = invoke(argv)
    assert result.exit_code == 0, result.output
    return seen, result.output


def gunicorn(argv: list[str], monkeypatch: pytest.MonkeyPatch, chdir: Path) -> WSGIApplication:
    """Parse a gunicorn command line (and its -c file) exactly as `gunicorn` does.

    `.cfg` holds the settings; `.load()` imports the app as a worker would.
    """
    # gunicorn's default --chdir is the working directory when gunicorn was imported;
    # make it `chdir`, as if gunicorn had been started there.
    monkeypatch.setattr(gunicorn_config.Chdir, "default", str(chdir))
    monkeypatch.setattr(sys, "argv", argv)
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]")


@contextmanager
def served(framework: str, app: Any, **uvicorn_options: Any) -> Iterator[int]:
    """Serve `app` for real on 127.0.0.1 (Werkzeug or uvicorn, in a thread); yield the port.

    `uvicorn_options` go to `uvicorn.Config` as the command line's flags would
    (`root_path="/api"` is `--root-path /api`). Raises AssertionError when uvicorn has not
    started within SERVER_TIMEOUT seconds.
    """
    if framework == "flask":
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            yield server.server_port
        finally:
            server.shutdown()
            server.server_close()
            thread.join(SERVER_TIMEOUT)
        return
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", **uvicorn_options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        for _ in range(int(SERVER_TIMEOUT / 0.01)):  # uvicorn offers a flag, not an event
            if server.started:
                break
            time.sleep(0.01)
        assert server.started, f"uvicorn did not start within {SERVER_TIMEOUT}s"
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(SERVER_TIMEOUT)
        sock.close()
