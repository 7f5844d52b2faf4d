"""The parity harness: load a topic's app by path and drive it over HTTP.

The machinery is the kit's (`flask2fastapi.apps`, the package readers install to check
their own port), so the guide's tests and its generated responses run on the code readers
run. Both variants are driven through the same client API (httpx2), so a test written once
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

from types import ModuleType
from typing import Any

from flask2fastapi.apps import BASE_URL, client_for, load_module_from_path, print_tracebacks

from guidekit.topics import snippet_path

__all__ = ["BASE_URL", "client_for", "load_app", "load_module", "print_tracebacks"]


def load_module(topic: str, framework: str) -> ModuleType:
    """Import `snippets/<topic>/<framework>_app.py` as a fresh module.

    Each call executes the file again, so every test gets a new app with fresh state
    (in-memory stores, counters). Snippet folders are not packages (their names have
    hyphens), hence loading by path. Raises `FileNotFoundError` if the file is missing.
    """
    path = snippet_path(topic, framework)
    return load_module_from_path(path, f"snippet_{topic.replace('-', '_')}_{framework}")


def load_app(topic: str, framework: str) -> Any:
    """The `app` object of one variant of a topic."""
    return load_module(topic, framework).app
