"""Run the real server command lines in-process, for the running-the-app and deployment tests.

What the guide says about `flask run`, `fastapi dev/run`, `uvicorn` and `gunicorn` is checked
against the CLI that parses the command line, not against a copy of its defaults. Only the
final "serve forever" call is replaced, by a recorder: no server starts, no socket opens.
"""

from __future__ import annotations

import importlib
import sys
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

SNIPPET_MODULES = ("flask_app", "fastapi_app")
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
