"""Load a Flask or FastAPI app and drive it over HTTP in-process.

Both frameworks are driven through the same client API (httpx2), so a request written once
goes unchanged to the Flask app and to its FastAPI port:

* Flask (WSGI): `httpx2.Client` with `httpx2.WSGITransport`.
* FastAPI (ASGI): Starlette's `TestClient`, itself an `httpx2.Client`, entered as a
  context manager so that the app's lifespan (start-up and shut-down) runs.

Both clients are set up alike: redirects are *not* followed (so 307 and 308 stay visible),
and an unhandled exception becomes a 500 response, as a real server would send, instead of
being raised into the caller. Both print that exception's traceback to an error stream:
Flask through the WSGI error stream, FastAPI through `print_tracebacks`, since Starlette's
test client would otherwise swallow it.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # httpx2 is the `parity` extra: importing an app (scan) must not need it
    import httpx2

BASE_URL = "http://testserver"
#: The two frameworks, in the order reports show them.
FRAMEWORKS = ("flask", "fastapi")


class AppError(Exception):
    """An app that cannot be loaded: the message names the module or file and the cause."""


def load_module_from_path(path: Path, name: str) -> ModuleType:
    """Execute the file at `path` as a fresh module registered as `sys.modules[name]`.

    Each call executes the file again, so every caller gets new module state. Raises
    `FileNotFoundError` if the file does not exist and `ImportError` if it cannot be loaded.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered while it executes: dataclasses and Pydantic look their module up by name.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def split_spec(spec: str) -> tuple[str, str]:
    """`"pkg.module:attr"` → `("pkg.module", "attr")`; the attribute defaults to `app`."""
    module, _, attr = spec.partition(":")
    if not module or not all(part.isidentifier() for part in module.split(".")):
        raise AppError(f"{spec!r} is not an import path like `package.module:app`")
    attr = attr or "app"
    if not all(part.isidentifier() for part in attr.split(".")):
        raise AppError(f"{spec!r}: {attr!r} is not an attribute name")
    return module, attr


def import_app(spec: str, search_path: Path | Sequence[Path] | None = None) -> Any:
    """The app named by `spec` (`module:app` or `module:create_app`), imported for real.

    `search_path` (a folder or several; default: the current directory) is put first on
    `sys.path`, as `flask --app` and `uvicorn` do. A factory is called without arguments.
    Raises `AppError` naming the module when it cannot be imported, lacks the attribute, or
    is a factory with required parameters; the import's own traceback is kept as the cause.
    """
    module_name, attr = split_spec(spec)
    if search_path is None or isinstance(search_path, Path):
        search_path = [search_path or Path.cwd()]
    folders = [str(Path(p).resolve()) for p in search_path]
    for folder in reversed(folders):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    root = os.pathsep.join(folders)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name + ".").startswith(exc.name + "."):
            raise AppError(f"no module named {module_name!r} under {root}") from exc
        raise AppError(f"{failing_file(exc, module_name, root)}: import failed: {exc!r}") from exc
    except (Exception, SystemExit) as exc:  # an app that calls sys.exit() on import
        raise AppError(f"{failing_file(exc, module_name, root)}: import failed: {exc!r}") from exc
    source = getattr(module, "__file__", None) or module_name
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise AppError(f"{source}: has no attribute {attr!r}")
        obj = getattr(obj, part)
    if _is_app(obj):
        return obj
    try:
        parameters = inspect.signature(obj).parameters.values() if callable(obj) else None
    except (TypeError, ValueError):  # a builtin without a signature: not a factory
        parameters = None
    if parameters is not None:
        required = [
            p.name
            for p in parameters
            if (p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
            or (p.kind is p.KEYWORD_ONLY and p.default is p.empty)
        ]
        if required:
            raise AppError(
                f"{source}: factory {attr}() needs arguments ({', '.join(required)}); "
                "point at a module-level app or a factory callable without arguments"
            )
        try:
            app = obj()
        except (Exception, SystemExit) as exc:
            where = failing_file(exc, str(source), root)
            raise AppError(f"{where}: calling {attr}() failed: {exc!r}") from exc
        if _is_app(app):
            return app
        raise AppError(f"{source}: {attr}() returned {type(app).__name__}, not an app")
    raise AppError(f"{source}: {attr} is a {type(obj).__name__}, not a Flask or FastAPI app")


def failing_file(exc: BaseException, default: str, root: str = "") -> str:
    """Where an exception arose, as `file:line`: the syntax error's own place, else the
    innermost frame in a file under `root` (the reader's code), else the innermost frame;
    `default` if the traceback has no file."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    found, mine = default, None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith("<") or filename == __file__:
            continue
        found = f"{filename}:{lineno}"
        mine_here = any(filename.startswith(folder) for folder in root.split(os.pathsep) if folder)
        if mine_here and "site-packages" not in filename:
            mine = found
    return mine or found


def _is_app(obj: Any) -> bool:
    return framework_of(obj) is not None


def framework_of(app: Any) -> str | None:
    """`"flask"` for a Flask app, `"fastapi"` for a FastAPI/Starlette app, else None.

    Decided by the class's module so that neither framework needs to be installed.
    """
    for cls in type(app).__mro__:
        root = cls.__module__.partition(".")[0]
        if root == "flask" and cls.__name__ == "Flask":
            return "flask"
        if root in ("fastapi", "starlette") and cls.__name__ in ("FastAPI", "Starlette"):
            return "fastapi"
    return None


def print_tracebacks(app: Any, errors: TextIO | None = None) -> Any:
    """Wrap an ASGI app so that an exception escaping it is printed, then re-raised.

    A server logs such an exception; Starlette's `TestClient` (with
    `raise_server_exceptions=False`) only turns it into a 500, which leaves a test saying
    `assert 500 == 200` with no cause. Attributes (`state`, `dependency_overrides`…) stay
    on the wrapped app, which callers keep a reference to.
    """

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception:
            traceback.print_exc(file=errors or sys.stderr)
            raise

    return asgi


#: Marks a request header value carried base64-encoded from the client to the app (below).
_CARRIED = b"flask2fastapi-bytes:"


def _carry_header_bytes(request: Any) -> None:
    """An httpx2 request hook: header values that are not ASCII travel base64-encoded
    behind `_CARRIED`, because the in-process clients cannot pass them as they are
    (httpx2's WSGI transport decodes them as ASCII and raises; Starlette's `TestClient`
    re-encodes them as UTF-8). The app wrappers below restore the bytes the client sent."""
    import httpx2

    raw = request.headers.raw
    if not all(value.isascii() for _, value in raw):
        request.headers = httpx2.Headers(
            [(k, v if v.isascii() else _CARRIED + base64.b64encode(v)) for k, v in raw]
        )


def _restore_wsgi(app: Any) -> Any:
    """Carried header values reach a WSGI app as PEP 3333 says: bytes read as ISO-8859-1."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        for key, value in environ.items():
            if key.startswith("HTTP_") and value.startswith(_CARRIED.decode()):
                environ[key] = base64.b64decode(value[len(_CARRIED) :]).decode("latin-1")
        return app(environ, start_response)

    return wsgi


def _restore_asgi(app: Any) -> Any:
    """Carried header values reach an ASGI app as the bytes the client sent."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if "headers" in scope:
            scope = dict(scope)
            scope["headers"] = [
                (k, base64.b64decode(v[len(_CARRIED) :]) if v.startswith(_CARRIED) else v)
                for k, v in scope["headers"]
            ]
        await app(scope, receive, send)

    return asgi


@contextmanager
def client_for(
    framework: str, app: Any, errors: TextIO | None = None, base_url: str = BASE_URL
) -> Iterator[httpx2.Client]:
    """An HTTP client bound to `app` in-process; no socket is opened.

    `framework` is `"flask"` or `"fastapi"`. Flask logs the traceback of a 500 to the WSGI
    error stream: `errors`, or else the `sys.stderr` of the moment (so that pytest captures
    it). `base_url` sets the scheme and host the app sees (`https://testserver` makes
    `Secure` cookies come back). Raises `ValueError` for any other framework name, and
    `ImportError` without httpx2 (the `parity` extra).
    """
    import httpx2

    if framework == "flask":
        transport = httpx2.WSGITransport(app=_restore_wsgi(app), wsgi_errors=errors or sys.stderr)
        hooks = {"request": [_carry_header_bytes]}
        with httpx2.Client(transport=transport, base_url=base_url, event_hooks=hooks) as client:
            yield client
    elif framework == "fastapi":
        from fastapi.testclient import TestClient

        with TestClient(
            _restore_asgi(print_tracebacks(app, errors)),
            base_url=base_url,
            follow_redirects=False,
            raise_server_exceptions=False,
        ) as client:
            client.event_hooks["request"].append(_carry_header_bytes)
            yield client
    else:
        raise ValueError(f"unknown framework {framework!r}; expected one of {FRAMEWORKS}")
