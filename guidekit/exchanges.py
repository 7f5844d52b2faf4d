"""Generate the request/response fragments that pages include.

A topic may list example requests in `snippets/<topic>/exchanges.toml`, in the format the
kit reads too (`flask2fastapi.traffic`, which parses and sends them):

```toml
[[exchange]]
id = "bad-id"            # section name: pages include "exchanges.md:bad-id"
method = "GET"           # default GET
path = "/users/abc"
show_headers = ["allow"] # response headers to show besides content-type
# optional request parts: headers = {...}, json = ..., content = "...",
# data = {...} (form fields), files = {field = ["name", "content", "type"]};
# send cookies as a `cookie` header (httpx2 deprecates per-request cookies)
```

`python -m guidekit` runs every request, in order, against one fresh app per variant
and writes `snippets/<topic>/exchanges.md`, one `--8<--` section per exchange. The
fragments are committed, so a pull request's diff shows any change in behaviour, and
`tests/tooling/test_generated.py` fails when one is stale.

Bodies are shown as sent, with two liberties, both whitespace or order only: a JSON body
longer than a line is re-indented (key order and escaping are kept), and a final newline
is dropped (Flask ends JSON with one, FastAPI does not). The values of an `Allow` header are
sorted: both frameworks build it from a set, so its order changes from run to run.
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path

import httpx2
from flask2fastapi.traffic import Exchange, load_toml, send_all

from guidekit import fragments
from guidekit.harness import client_for, environ, load_app
from guidekit.topics import FRAMEWORKS, LABELS, SNIPPETS

__all__ = ["Exchange", "generate", "load_exchanges", "render_topic", "run_exchanges"]

_ONE_LINE = 80


def exchanges_file(topic: str) -> Path:
    return SNIPPETS / topic / "exchanges.toml"


def fragment_file(topic: str) -> Path:
    return SNIPPETS / topic / "exchanges.md"


def load_exchanges(topic: str) -> list[Exchange]:
    """The exchanges a topic declares (none if it has no `exchanges.toml`)."""
    path = exchanges_file(topic)
    return load_toml(path) if path.is_file() else []


def run_exchanges(topic: str, framework: str, items: list[Exchange]) -> list[httpx2.Response]:
    """Send each request, in order, to one fresh app of the given variant.

    The app is imported with its topic's `env.toml` (`load_app` sets it), and files it
    saves (`UPLOAD_DIR`) go to a scratch folder removed afterwards, not into the repository.
    """
    with tempfile.TemporaryDirectory() as scratch, environ({"UPLOAD_DIR": scratch}):
        app = load_app(topic, framework)
        # Tracebacks of deliberate 500s and the apps' log records (flask-mail logs that no
        # SMTP server listens) belong to the exchange, not to the generator's output.
        with client_for(framework, app, errors=io.StringIO()) as client, _logging_off():
            return send_all(client, items)


@contextmanager
def _logging_off() -> Iterator[None]:
    """No log record is emitted inside the block (`logging.disable`); the old level after."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def _body_text(body: bytes, content_type: str) -> str:
    text = body.decode("utf-8", errors="replace").removesuffix("\n")
    if "json" in content_type and len(text) > _ONE_LINE:
        value = json.loads(text)
        # Keep \u escapes if the app sent them: re-indent, never re-encode.
        return json.dumps(value, indent=2, ensure_ascii="\\u" in text)
    return text


def _format_request(item: Exchange, request: httpx2.Request) -> str:
    lines = [f"{item.method} {request.url.raw_path.decode()} HTTP/1.1"]
    explicit = {k.lower() for k in item.request.get("headers", {})}
    content_type = request.headers.get("content-type", "")
    for name in sorted(explicit | ({"content-type"} if content_type else set())):
        if name == "content-type" and "multipart" in content_type:
            lines.append("content-type: multipart/form-data; boundary=…")
        elif name in request.headers:
            lines.append(f"{name}: {request.headers[name]}")
    if "files" in item.request:
        parts = [f"{k}=<file {v[0]}>" for k, v in item.request["files"].items()]
        parts += [f"{k}={v}" for k, v in item.request.get("data", {}).items()]
        lines += ["", "(multipart body: " + ", ".join(parts) + ")"]
    elif request.content:
        lines += ["", _body_text(request.content, content_type)]
    return "\n".join(lines)


def _format_response(item: Exchange, response: httpx2.Response) -> str:
    status = HTTPStatus(response.status_code)
    lines = [f"HTTP/1.1 {status.value} {status.phrase}"]
    for name in ("content-type", *item.show_headers):
        if name in response.headers:
            value = response.headers[name]
            if name == "allow":
                value = ", ".join(sorted(v.strip() for v in value.split(",")))
            lines.append(f"{name}: {value}")
    body = _body_text(response.content, response.headers.get("content-type", ""))
    if body:
        lines += ["", body]
    return "\n".join(lines)


def _fence(text: str, indent: str = "") -> str:
    fence = "````" if "```" in text else "```"
    block = [f"{fence}http", *text.splitlines(), fence]
    return "\n".join(indent + line if line else line for line in block)


def render_topic(topic: str) -> str:
    """The Markdown fragment for a topic: one section per exchange."""
    items = load_exchanges(topic)
    responses = {fw: run_exchanges(topic, fw, items) for fw in FRAMEWORKS}
    out = [
        f"<!-- Generated from snippets/{topic}/exchanges.toml by `nox -s generate`. "
        "Do not edit. -->"
    ]
    for i, item in enumerate(items):
        request = responses[FRAMEWORKS[0]][i].request
        shown = {fw: _format_response(item, responses[fw][i]) for fw in FRAMEWORKS}
        out += ["", f"<!-- --8<-- [start:{item.id}] -->", _fence(_format_request(item, request))]
        if len(set(shown.values())) == 1:
            out += ["", "Flask and FastAPI give the same answer:", "", _fence(shown["flask"])]
        else:
            for fw in FRAMEWORKS:
                out += ["", f'=== "{LABELS[fw]}"', "", _fence(shown[fw], indent="    ")]
        out += ["<!-- --8<-- [end:" + item.id + "] -->"]
    return "\n".join(out) + "\n"


def topics_with_exchanges() -> list[str]:
    return sorted(p.parent.name for p in SNIPPETS.glob("*/exchanges.toml"))


def generate(check: bool = False, only: list[str] | None = None) -> list[Path]:
    """Write every stale fragment (or, with `check`, only report them). Returns the stale ones.

    `only` limits the work to the named topics.
    """
    stale = []
    for topic in only or topics_with_exchanges():
        stale += fragments.sync(fragment_file(topic), render_topic(topic), check)
    return stale
