"""The parity harness: load a topic's app by path and drive it over HTTP.

Both variants are driven through the same client API (httpx2), so a test written once
runs unchanged against Flask and FastAPI:

* Flask (WSGI): `httpx2.Client` with `httpx2.WSGITransport`.
* FastAPI (ASGI): Starlette's `TestClient`, itself an `httpx2.Client`, entered as a
  context manager so that the app's lifespan (start-up and shut-down) runs.

Both clients are set up alike: redirects are *not* followed (tests look at 307 vs 308),
and an unhandled exception becomes a 500 response, as a real server would send, instead
of being raised into the test. Both print that exception's traceback to stderr (pytest
shows it under the failing test): Flask through the WSGI error stream, FastAPI through
`print_tracebacks`, since Starlette's test client would otherwise swallow it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tomllib
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any, TextIO

import httpx2

from guidekit.topics import SNIPPETS, snippet_path, topic_module_name

BASE_URL = "http://testserver"


def demo_environ(topic: str) -> dict[str, str]:
    """The test-only environment of a topic: `snippets/<topic>/env.toml`, or `{}`.

    Snippets fail closed: an app that needs a secret reads it from the environment, with
    no default, and refuses to start without it. The file gives the tests and the
    exchange generator throwaway values (a flat table of strings) to import the apps with.
    """
    path = SNIPPETS / topic / "env.toml"
    if not path.is_file():
        return {}
    values = tomllib.loads(path.read_text())
    if not all(isinstance(v, str) for v in values.values()):
        raise ValueError(f"{path}: every value must be a string")
    return values


@contextmanager
def environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def load_module(topic: str, framework: str, env: Mapping[str, str] | None = None) -> ModuleType:
    """Import `snippets/<topic>/<framework>_app.py` as a fresh module.

    Each call executes the file again, so every test gets a new app with fresh state
    (in-memory stores, counters). Snippet folders are not packages (their names have
    hyphens), hence loading by path. While the file executes, the environment holds `env`
    (by default the topic's `demo_environ`); it is restored afterwards, so apps read their
    settings at import time.
    """
    path = snippet_path(topic, framework)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    name = f"snippet_{topic_module_name(topic).removeprefix('test_')}_{framework}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered while it executes: dataclasses and Pydantic look their module up by name.
    sys.modules[name] = module
    with environ(demo_environ(topic) if env is None else env):
        spec.loader.exec_module(module)
    return module


def load_app(topic: str, framework: str) -> Any:
    """The `app` object of one variant of a topic."""
    return load_module(topic, framework).app


def print_tracebacks(app: Any, errors: TextIO | None = None) -> Any:
    """Wrap an ASGI app so that an exception escaping it is printed, then re-raised.

    A server logs such an exception; Starlette's `TestClient` (with
    `raise_server_exceptions=False`) only turns it into a 500, which leaves a test saying
    `assert 500 == 200` with no cause. Attributes (`state`, `dependency_overrides`…) stay
    on the wrapped app, which tests reach through the `app` fixture.
    """

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception:
            traceback.print_exc(file=errors or sys.stderr)
            raise

    return asgi


@contextmanager
def client_for(framework: str, app: Any, errors: TextIO | None = None) -> Iterator[httpx2.Client]:
    """An HTTP client bound to `app` in-process; no socket is opened.

    Flask logs the traceback of a 500 to the WSGI error stream: `errors`, or else the
    `sys.stderr` of the moment (so that pytest captures it).
    """
    if framework == "flask":
        transport = httpx2.WSGITransport(app=app, wsgi_errors=errors or sys.stderr)
        with httpx2.Client(transport=transport, base_url=BASE_URL) as client:
            yield client
    elif framework == "fastapi":
        from fastapi.testclient import TestClient

        with TestClient(
            print_tracebacks(app, errors),
            base_url=BASE_URL,
            follow_redirects=False,
            raise_server_exceptions=False,
        ) as client:
            yield client
    else:
        raise ValueError(f"unknown framework {framework!r}")
