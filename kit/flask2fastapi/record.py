"""Record the requests a Flask app receives, to replay them with `flask2fastapi parity`.

```python
from flask2fastapi.record import RecordingMiddleware

app.wsgi_app = RecordingMiddleware(app.wsgi_app, "traffic.jsonl")
```

Each request becomes one line of JSON in the file, in the format of `flask2fastapi.traffic`
(method, path with query string, headers, body as `json`, form `data` or text `content`).
Secrets are replaced by `"[redacted]"` before anything is written: the `Authorization`,
`Cookie` and `Proxy-Authorization` headers, and JSON or form fields named in
`redact_fields` (by default `password`, `token`, `secret` and a few more), at any depth.
Bodies larger than `max_body` bytes, file uploads and bodies that are not UTF-8 text
(binary data, another charset) are not recorded (the line says so): a JSON line holds
text, and such bytes would be replayed as other bytes.
Turn it on where you control the traffic (staging, a test run), not on a production box
serving people who did not agree to it.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "[redacted]"
DEFAULT_REDACT_HEADERS = ("authorization", "cookie", "proxy-authorization")
DEFAULT_REDACT_FIELDS = (
    "password", "passwd", "token", "access_token", "refresh_token", "secret",
    "client_secret", "api_key", "apikey", "csrf_token",
)  # fmt: skip
#: Request headers worth replaying; others (user agent, tracing ids) are left out.
KEPT_HEADERS = ("accept", "content-type", "authorization", "cookie", "x-requested-with")


class RecordingMiddleware:
    """A WSGI middleware that appends every request to `path` (JSON lines), then calls `app`.

    Ids are `rec-1`, `rec-2`…, continuing after the lines the file already holds.

    `redact_headers` / `redact_fields` replace the defaults (names are compared lower-case);
    `keep_headers` chooses which request headers are written at all. Thread-safe: one lock
    guards the file. The app sees the body unchanged.
    """

    def __init__(
        self,
        app: Any,
        path: str | Path,
        *,
        redact_headers: Iterable[str] = DEFAULT_REDACT_HEADERS,
        redact_fields: Iterable[str] = DEFAULT_REDACT_FIELDS,
        keep_headers: Iterable[str] = KEPT_HEADERS,
        max_body: int = 1_000_000,
    ) -> None:
        self.app = app
        self.path = Path(path)
        self.redact_headers = {h.lower() for h in redact_headers}
        self.redact_fields = {f.lower() for f in redact_fields}
        self.keep_headers = tuple(h.lower() for h in keep_headers)
        self.max_body = max_body
        self._lock = threading.Lock()
        # Ids go on from what the file holds, so a restarted app appends without repeats.
        self._count = _line_count(self.path)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        entry = self._entry(environ)
        with self._lock:
            self._count += 1
            entry = {"id": f"rec-{self._count}", **entry}
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return self.app(environ, start_response)

    def _entry(self, environ: dict[str, Any]) -> dict[str, Any]:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        entry: dict[str, Any] = {"method": environ.get("REQUEST_METHOD", "GET"), "path": path}
        headers = {}
        for name in self.keep_headers:
            key = (
                "CONTENT_TYPE"
                if name == "content-type"
                else "HTTP_" + name.upper().replace("-", "_")
            )
            if key in environ:
                headers[name] = REDACTED if name in self.redact_headers else environ[key]
        content_type = headers.get("content-type", "")
        body = self._body(environ)
        if body and "x-www-form-urlencoded" not in content_type and not _is_utf8(body):
            body = None  # JSON lines hold text: binary bytes would replay as other bytes
        if body is None:
            headers.pop("content-type", None)
            entry["content"] = "[body not recorded]"
        elif body:
            if "json" in content_type:
                try:
                    entry["json"] = self._redact(json.loads(body))
                    headers.pop("content-type", None)
                except ValueError:
                    entry["content"] = body.decode("utf-8")
            elif "x-www-form-urlencoded" in content_type:
                fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
                entry["data"] = {
                    k: REDACTED if k.lower() in self.redact_fields else v for k, v in fields
                }
                headers.pop("content-type", None)
            else:
                entry["content"] = body.decode("utf-8")
        if headers:
            entry["headers"] = headers
        return entry

    def _body(self, environ: dict[str, Any]) -> bytes | None:
        """The body (put back for the app), or None when it is too large or a file upload."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0:
            return b""
        if length > self.max_body or "multipart/" in environ.get("CONTENT_TYPE", ""):
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def _redact(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: REDACTED if str(k).lower() in self.redact_fields else self._redact(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._redact(v) for v in value]
        return value


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line_count(path: Path) -> int:
    try:
        with path.open(encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip())
    except FileNotFoundError:
        return 0
