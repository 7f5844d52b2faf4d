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
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any, TextIO

import httpx2

from guidekit.topics import snippet_path

BASE_URL = "http://testserver"

#: What the snippets read from the environment, for tests and generated pages only.
#: Snippets have no default for a secret (they refuse to start without it), so the test
#: suite (tests/conftest.py) and the exchange generator set these fake values.
DEMO_ENV = {
    "SECRET_KEY": "dev-only-not-a-secret-change-me-in-prod",
    "DEMO_SECRET_KEY": "dev-only-not-a-secret",
    "API_TOKEN": "demo-api-token",
    "WS_TOKEN": "not-a-real-token",
    "DEMO_API_KEY": "dev-only-key",
    "DEMO_PASSWORD": "demo-password-not-secret",
    "ALICE_TOKEN": "demo-token-alice",
    "BOB_TOKEN": "demo-token-bob",
    "WEBHOOK_SECRET": "dev-only-webhook-secret",
    "ALLOWED_HOSTS": "testserver",
}


@contextmanager
def demo_environment() -> Iterator[None]:
    """`DEMO_ENV` in `os.environ` (values already set win), restored afterwards.

    Uploads (`UPLOAD_DIR`) go to a temporary folder, removed afterwards.
    """
    saved = dict(os.environ)
    for name, value in DEMO_ENV.items():
        os.environ.setdefault(name, value)
    try:
        with tempfile.TemporaryDirectory() as uploads:
            os.environ.setdefault("UPLOAD_DIR", uploads)
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def load_module(topic: str, framework: str) -> ModuleType:
    """Import `snippets/<topic>/<framework>_app.py` as a fresh module.

    Each call executes the file again, so every test gets a new app with fresh state
    (in-memory stores, counters). Snippet folders are not packages (their names have
    hyphens), hence loading by path.
    """
    path = snippet_path(topic, framework)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    name = f"snippet_{topic.replace('-', '_')}_{framework}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered while it executes: dataclasses and Pydantic look their module up by name.
    sys.modules[name] = module
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
