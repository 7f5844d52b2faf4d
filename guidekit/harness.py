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

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from flask2fastapi.apps import BASE_URL, client_for, load_module_from_path, print_tracebacks

from guidekit.topics import SNIPPETS, snippet_path, topic_module_name

__all__ = [
    "BASE_URL",
    "client_for",
    "demo_environ",
    "environ",
    "load_app",
    "load_module",
    "print_tracebacks",
]


def demo_environ(topic: str) -> dict[str, str]:
    """The test-only environment of a topic: `snippets/<topic>/env.toml`, or `{}`.

    Snippets fail closed: an app that needs a secret reads it from the environment, with
    no default, and refuses to start without it. The file gives the tests and the
    exchange generator throwaway values (a flat table of strings) to import the apps with.
    Raises `ValueError` if a value is not a string.
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
    hyphens), hence loading by path. While the file executes, the environment also holds
    `env`, or by default the topic's `demo_environ` for the names not already set (a test's
    own value wins); it is restored afterwards. Pass `env={}` to import with exactly the
    environment of the moment. Raises `FileNotFoundError` if the file is missing.
    """
    path = snippet_path(topic, framework)
    name = f"snippet_{topic_module_name(topic).removeprefix('test_')}_{framework}"
    if env is None:
        env = {k: v for k, v in demo_environ(topic).items() if k not in os.environ}
    with environ(env):
        return load_module_from_path(path, name)


def load_app(topic: str, framework: str) -> Any:
    """The `app` object of one variant of a topic."""
    return load_module(topic, framework).app


def send_concurrently(
    framework: str,
    app: Any,
    method: str,
    path: str,
    n: int,
    errors: Any = None,
    *,
    lifespan: bool = False,
    **request: Any,
) -> list[Any]:
    """`n` copies of one request sent at once, as a production server would run them.

    Flask: `n` threads released together by a barrier (a threaded WSGI server). FastAPI: one
    event loop and `asyncio.gather` over the ASGI app (uvicorn), where sync dependencies and
    endpoints run on the threadpool. `lifespan=True` (FastAPI) runs the app's lifespan around
    the requests, in the same event loop, as uvicorn does: what it sets per loop (anyio's
    thread limiter) then applies. `request` takes httpx2's request arguments (`json=`,
    `headers=`...). Returns the `httpx2.Response`s in sending order; a 500's traceback goes
    to `errors` (a text stream) or stderr. Raises `threading.BrokenBarrierError` if the
    threads do not all start within 10 s.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from contextlib import AsyncExitStack
    from threading import Barrier

    import httpx2

    if framework == "flask":
        start = Barrier(n)

        def send(client: httpx2.Client) -> httpx2.Response:
            start.wait(timeout=10)
            return client.request(method, path, **request)

        with client_for(framework, app, errors=errors) as client, ThreadPoolExecutor(n) as pool:
            return list(pool.map(send, [client] * n))

    async def gather() -> list[httpx2.Response]:
        asgi = print_tracebacks(app, errors)
        transport = httpx2.ASGITransport(app=asgi, raise_app_exceptions=False)
        async with AsyncExitStack() as stack:
            if lifespan:
                await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(
                httpx2.AsyncClient(transport=transport, base_url=BASE_URL)
            )
            return await asyncio.gather(
                *(client.request(method, path, **request) for _ in range(n))
            )

    return asyncio.run(gather())
