"""Requests to replay: read from the guide's exchanges TOML, a HAR file, or a recording.

One request is an `Exchange`. Three files hold them, told apart by their suffix:

* `.toml`: the guide's exchanges format, one `[[exchange]]` table per request:

  ```toml
  [[exchange]]
  id = "bad-id"            # a name for the request, unique in the file
  method = "GET"           # default GET
  path = "/users/abc"      # path and query string
  show_headers = ["allow"] # response headers that matter besides content-type
  # optional request parts: headers = {...}, json = ..., content = "...",
  # data = {...} (form fields), files = {field = ["name", "content", "type"]};
  # send cookies as a `cookie` header (httpx2 deprecates per-request cookies)
  ```

* `.jsonl`: what `flask2fastapi.record.RecordingMiddleware` writes, one JSON object per
  line with the same keys as a TOML table.
* `.har`: an HTTP Archive exported from a browser's developer tools (`log.entries[].request`).

`send_all` sends them in order through one client, so cookies set by one answer (a sign-in)
go with the next requests, as in a browser.

Every entry is checked when the file is read, so that a bad one stops the run before any
request is sent, with `TrafficError` naming the file, the entry and the key. A request
header value that is not ASCII is sent as the bytes a client would send: ISO-8859-1 when
every character fits (what browsers send; `fetch` refuses anything else), else UTF-8
(what curl sends from a UTF-8 terminal). Both frameworks decode header bytes as ISO-8859-1,
so both apps see the same text. Header names must be HTTP tokens, and no value may hold a
line break or NUL: no client sends those.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx2

REQUEST_FIELDS = ("headers", "json", "content", "data", "files")
_KEYS = {"id", "path", "method", "show_headers", *REQUEST_FIELDS}
#: Headers a replay must not copy: the client sets them for the new connection and body.
_NOT_REPLAYED = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}


#: RFC 9110 `token`: what a method and a header name may be made of.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FORM_VALUE = (str, int, float, bool)


class TrafficError(ValueError):
    """A requests file that cannot be read: the message names the file and the entry."""


def header_bytes(value: str) -> bytes:
    """A header value as a client puts it on the wire: ISO-8859-1 when every character
    fits (browsers), else UTF-8 (curl and most command-line clients)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _check_request(raw: dict[str, Any]) -> None:
    """Raise `ValueError` naming the key when a request part has the wrong type or shape."""
    method = raw.get("method", "GET")
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise ValueError(f"`method` must be an HTTP method name, not {method!r}")
    if not raw["path"].startswith("/"):
        raise ValueError(
            f"`path` must start with `/` (the app is called in-process): {raw['path']!r}"
        )
    show = raw.get("show_headers", [])
    if not isinstance(show, list) or not all(isinstance(h, str) for h in show):
        raise ValueError("`show_headers` must be a list of header names")
    headers = raw.get("headers", {})
    if not isinstance(headers, dict):
        raise ValueError("`headers` must be a table of header names to text values")
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name):
            raise ValueError(f"headers: {name!r} is not a valid header name")
        if not isinstance(value, str):
            raise ValueError(f"headers.{name}: must be text, not {type(value).__name__}")
        if any(c in value for c in "\r\n\0"):
            raise ValueError(f"headers.{name}: a value cannot hold a line break or NUL")
    if "content" in raw and not isinstance(raw["content"], str):
        raise ValueError("`content` must be text (the raw body)")
    data = raw.get("data", {})
    if not isinstance(data, dict) or not all(
        isinstance(v, _FORM_VALUE)
        or (isinstance(v, list) and all(isinstance(x, _FORM_VALUE) for x in v))
        for v in data.values()
    ):
        raise ValueError("`data` must be a table of form fields to values (or lists of values)")
    files = raw.get("files", {})
    if not isinstance(files, dict) or not all(
        isinstance(v, list) and len(v) in (2, 3) and all(isinstance(x, str) for x in v)
        for v in files.values()
    ):
        raise ValueError("`files` must be a table of fields to [filename, content, type]")


@dataclass(frozen=True)
class Exchange:
    """One request to send: `method` and `path` (with query string), plus `request`, the
    keyword arguments for `httpx2.Client.request` (`headers`, `json`, `content`, `data`,
    `files`). `show_headers` names response headers (lower case) worth comparing."""

    id: str
    path: str
    method: str = "GET"
    show_headers: tuple[str, ...] = ()
    request: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> Exchange:
        """An exchange from one TOML table (or JSON object); raises `ValueError` on unknown
        keys or a missing `id`/`path`."""
        unknown = set(raw) - _KEYS
        if unknown:
            raise ValueError(f"exchange {raw.get('id')!r}: unknown keys {sorted(unknown)}")
        for key in ("id", "path"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise ValueError(f"exchange {raw.get('id')!r}: `{key}` must be a non-empty string")
        try:
            _check_request(raw)
        except ValueError as exc:
            raise ValueError(f"exchange {raw['id']!r}: {exc}") from None
        request = {k: raw[k] for k in REQUEST_FIELDS if k in raw}
        if "files" in request:
            request["files"] = {k: tuple(v) for k, v in request["files"].items()}
        return cls(
            id=raw["id"],
            path=raw["path"],
            method=raw.get("method", "GET").upper(),
            show_headers=tuple(h.lower() for h in raw.get("show_headers", ())),
            request=request,
        )


def load_toml(path: Path) -> list[Exchange]:
    """The `[[exchange]]` tables of a TOML file, in order (none if it has no such table)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("exchange", [])
    except tomllib.TOMLDecodeError as exc:
        raise TrafficError(f"{path}: not valid TOML: {exc}") from exc
    return _unique(path, [_entry(path, i, item, Exchange.from_toml) for i, item in enumerate(raw)])


def load_jsonl(path: Path) -> list[Exchange]:
    """A recording: one JSON object per line, keys as in the TOML format."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrafficError(f"{path}:{number}: not JSON: {exc}") from exc
        items.append(_entry(path, number, raw, Exchange.from_toml))
    return _unique(path, items)


def load_har(path: Path, skipped: list[str] | None = None) -> list[Exchange]:
    """The requests of an HTTP Archive, in order; ids are `har-N`, N the entry's number.

    A browser's archive also holds what the page fetched elsewhere (fonts, analytics, a
    CDN) and entries that are not HTTP requests (`data:`, `blob:`, `ws:`, extensions).
    Only `http(s)` requests to the host most of them go to (the first seen, on a tie) are kept;
    each other entry is described in `skipped`, when given. Scheme and host are then
    dropped (the request goes to the app in-process); headers the client sets itself
    (`host`, `content-length`…) and HTTP/2 pseudo-headers are not copied. A JSON body is
    sent as JSON, a URL-encoded form as form fields, anything else as text.
    """
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["log"]["entries"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise TrafficError(f"{path}: not a HAR file (no log.entries): {exc!r}") from exc
    if not isinstance(entries, list):
        raise TrafficError(f"{path}: not a HAR file: log.entries is not a list")
    urls = []
    for entry in entries:
        try:
            urls.append(urlsplit(entry["request"]["url"]))
        except (KeyError, TypeError, AttributeError, ValueError):
            urls.append(None)  # _entry names what is wrong with it
    hosts = Counter(u.netloc for u in urls if u is not None and u.scheme in ("http", "https"))
    host = hosts.most_common(1)[0][0] if hosts else None  # on a tie, the first seen
    items = []
    for number, (entry, url) in enumerate(zip(entries, urls, strict=True), start=1):
        if url is not None and url.scheme not in ("http", "https"):
            reason = f"not an HTTP request ({url.scheme or 'no scheme'})"
        elif url is not None and url.netloc != host:
            reason = f"another host ({url.netloc})"
        else:
            items.append(_entry(path, number, entry, _from_har))
            continue
        if skipped is not None:
            skipped.append(f"entry {number}: {reason}")
    return items


def _from_har(entry: dict[str, Any], number: int) -> Exchange:
    request = entry["request"]
    url = urlsplit(request["url"])
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    headers = {
        h["name"].lower(): h["value"]
        for h in request.get("headers", [])
        if not h["name"].startswith(":") and h["name"].lower() not in _NOT_REPLAYED
    }
    raw: dict[str, Any] = {"id": f"har-{number}", "method": request["method"], "path": path}
    post = request.get("postData") or {}
    mime = post.get("mimeType", "")
    if "json" in mime and post.get("text"):
        raw["json"] = json.loads(post["text"])
        headers.pop("content-type", None)
    elif "x-www-form-urlencoded" in mime and post.get("params"):
        raw["data"] = {p["name"]: p.get("value", "") for p in post["params"]}
        headers.pop("content-type", None)
    elif post.get("text"):
        raw["content"] = post["text"]
    if headers:
        raw["headers"] = headers
    return Exchange.from_toml(raw)


def _entry(path: Path, where: int, raw: Any, parse: Any) -> Exchange:
    try:
        if parse is _from_har:
            return parse(raw, where)
        if not isinstance(raw, dict):
            raise ValueError("expected a table of request fields")
        return parse(raw)
    except KeyError as exc:
        raise TrafficError(f"{path}: entry {where}: missing key {exc}") from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise TrafficError(f"{path}: entry {where}: {exc}") from exc


def _unique(path: Path, items: list[Exchange]) -> list[Exchange]:
    ids = [e.id for e in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TrafficError(f"{path}: exchange ids must be unique, repeated: {duplicates}")
    return items


def load_requests(path: Path, skipped: list[str] | None = None) -> list[Exchange]:
    """The requests in `path`, by suffix: `.toml`, `.jsonl` or `.har`; the HAR entries
    left out (see `load_har`) are described in `skipped`, when given.

    Raises `TrafficError` (naming the file) for another suffix, a missing file or a
    malformed entry.
    """
    loaders = {".toml": load_toml, ".jsonl": load_jsonl, ".har": load_har}
    loader = loaders.get(path.suffix.lower())
    if loader is None:
        raise TrafficError(f"{path}: unknown requests format; expected one of {sorted(loaders)}")
    if not path.is_file():
        raise TrafficError(f"{path}: no such file")
    try:
        return load_har(path, skipped) if loader is load_har else loader(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise TrafficError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc


def send_all(client: httpx2.Client, items: list[Exchange]) -> list[httpx2.Response]:
    """Send each request in order through `client`; every response body is read.

    Header values go as `header_bytes` encodes them. Raises `TrafficError` naming the
    request when the client refuses to send it (an exception of the app itself is the app's
    500, not an error here).
    """
    import httpx2

    responses = []
    for item in items:
        request = dict(item.request)
        if "headers" in request:
            request["headers"] = [(k, header_bytes(v)) for k, v in request["headers"].items()]
        try:
            response = client.request(item.method, item.path, **request)
        except (httpx2.InvalidURL, httpx2.TransportError, UnicodeError) as exc:
            raise TrafficError(f"request {item.id!r}: cannot be sent: {exc}") from exc
        response.read()
        responses.append(response)
    return responses
