"""Hostile requests for every route of an app, read from the app itself.

`routes(framework, app)` lists what an app serves (Flask: `app.url_map`; FastAPI:
`app.routes`, mounts included) and `requests_for(...)` builds, for each route, requests
that a careless app answers with a 500: path parameters replaced by hostile values (NUL
bytes, invalid UTF-8, huge or non-finite numbers, over-long names), malformed and deeply
nested JSON bodies, wrong JSON types, odd or missing content types, oversized bodies,
garbage `Authorization`, `Cookie`, `Accept`, `Range` and conditional headers, a spoofed
`Host`. The topic's own example requests (`exchanges.toml`) are mutated one value at a
time as well, so that a hostile value reaches code behind the validation of the others
(a `NaN` in a float field of an otherwise valid body). Where the example requests are
themselves invalid (an error demo), `body_samples(fastapi_app)` builds a valid JSON body for
each route from the FastAPI app's models, and every `float` field of it gets `NaN`,
`Infinity`, `-Infinity` and `1e999` in turn: the apps of a topic mirror each other, so the
Flask app receives the same bodies.

`check(response)` names what is wrong with one answer: a 500, a JSON body that is not
JSON (`NaN`), a `Location` naming the spoofed host, a `Set-Cookie` beyond ASCII (a
session id echoed from a hostile cookie).

A route that fails on purpose (a page showing what an unhandled exception gives) declares
itself in its module: `DELIBERATE_ERRORS = {"/boom"}`, route patterns as the app writes
them (`"/files/<name>"` in Flask, `"/files/{name}"` in FastAPI). Requests that reach it
are not held to the no-500 rule.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes, urlencode, urlsplit

import httpx2

from guidekit.exchanges import Exchange
from guidekit.harness import BASE_URL

#: The host a spoofed `Host` header names; no `Location` may point there.
EVIL_HOST = "evil.example"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

#: Path segments, already percent-encoded as they travel.
PATH_VALUES = (
    "-1",
    "99999999999999999999999",  # beyond 64 bits: SQLite raises OverflowError
    "NaN",
    "a%00b.txt",
    "%FF",  # not UTF-8
    "%ED%A0%80",  # a UTF-8-encoded surrogate, not UTF-8 either
    "..%2F..%2Fetc%2Fpasswd",
    "x" * 300,  # longer than a file name may be (255 bytes)
)
#: JSON values put in place of one value of an otherwise valid body.
JSON_VALUES: tuple[Any, ...] = (
    1.5,  # a plain float, so that number parsing hooks run on the happy path too
    float("nan"),
    float("inf"),
    10**30,
    "\ud800",  # a lone surrogate: JSON allows the escape, UTF-8 cannot encode it
    "\x00é✓",
    None,
    [],
    {},
)
#: Whole JSON bodies, as bytes.
DEPTH = 5_000
JSON_BODIES = (
    b"{",
    b"[]",
    b'"text"',
    b"NaN",
    b'{"a": 1e999, "b": "\\ud800"}',
    b"[" * DEPTH + b"]" * DEPTH,
    b'{"a": ' * DEPTH + b"1" + b"}" * DEPTH,
    b'{"a": "\xff"}',
    "{}".encode("utf-16"),
    b"{" + b" " * 1_200_000,  # 1.2 MB, beyond common upload limits
)
#: (content type, body) pairs beside the JSON ones; None sends no Content-Type.
OTHER_BODIES = (
    (None, b'{"a": 1}'),
    ("text/plain", b"\xff\xfe\x00"),
    ("application/json; charset=latin-1", b'{"a": "\xe9"}'),
    ("application/x-www-form-urlencoded", b"%FF=%FF&a=%00&b=%ED%A0%80&&=&c"),
    ("multipart/form-data", b"--x\r\n\r\n"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\n"),
)
#: Query, form and header values (bytes where a value is not ASCII on the wire).
TEXT_VALUES: tuple[str | bytes, ...] = (
    "",
    "\x00",
    "99999999999999999999999",
    "nan",
    "1e999",
    "é✓".encode(),
    b"\xff",
)
#: Numbers JSON cannot carry back, as they travel (Python's `json` reads all four).
NON_FINITE = (b"NaN", b"Infinity", b"-Infinity", b"1e999")
#: Cookie values beyond ASCII, sent under every name a route reads and `session`; an
#: octal escape, which the cookie parser turns into a character.
COOKIE_VALUES: tuple[bytes, ...] = ("é✓".encode(), b"\xff", b'"\\377"')
#: Names of uploaded files.
FILE_NAMES = ("", "x" * 300, "../../etc/passwd", "é✓.txt")
#: Headers that reach every route, one set per request.
HEADER_SETS: tuple[dict[str, str | bytes], ...] = (
    {"host": EVIL_HOST},
    {"x-forwarded-host": EVIL_HOST, "x-forwarded-proto": "gopher", "x-forwarded-for": "x"},
    {"authorization": "Bearer é✓".encode()},
    {"authorization": b"Basic \xff"},
    {"authorization": "Basic !!!"},
    {"cookie": 'session=.eJwrSS0uAQAEXQG3.garbage.sig; csrf_token=%FF; x="\\"'},
    {"cookie": b"session=\xff; =; ;;"},
    {
        "accept": "*/*;q=abc, text/html;q=NaN, application/json;q=1e999",
        "accept-language": "x" * 1000,
        "accept-encoding": "gzip;q=x, br",
        "if-modified-since": "garbage",
        "if-none-match": '"x", *, W/',
    },
    {"range": "bytes=999999999999-"},
    {"range": "bytes=5-1, abc"},
    {"if-range": "garbage", "range": "bytes=" + ",".join(["0-0"] * 200)},
)


#: An answer longer than this (bytes or body chunks) counts as unbounded: it is cut short.
MAX_ANSWER = 1_000_000


class AnswerTooLarge(Exception):
    """The app kept sending: a hostile parameter made its answer unbounded."""


@dataclass(frozen=True)
class Route:
    """One route: its pattern as the app writes it, methods, and path parameters."""

    pattern: str
    methods: frozenset[str]
    params: tuple[str, ...]
    #: The names the app reads beside the path (query, header, cookie, body fields).
    names: frozenset[str] = frozenset()

    def path(self, **values: str) -> str:
        """The pattern with each parameter replaced (`"1"` for those not given)."""

        def sub(m: re.Match[str]) -> str:
            return values.get(m.group("flask") or m.group("starlette"), "1")

        return _PARAM.sub(sub, self.pattern)


# Flask `<conv(args):name>` and FastAPI/Starlette `{name:conv}`.
_PARAM = re.compile(r"<(?:[^<>:]+:)?(?P<flask>\w+)>|\{(?P<starlette>\w+)(?::[^{}]+)?\}")


def _param_names(pattern: str) -> tuple[str, ...]:
    return tuple(m.group("flask") or m.group("starlette") for m in _PARAM.finditer(pattern))


def routes(framework: str, app: Any) -> list[Route]:
    """Every route of `app`, from its own routing table."""
    if framework == "flask":
        table = []
        for rule in app.url_map.iter_rules():
            methods = frozenset(rule.methods or ()) - {"HEAD", "OPTIONS"} or frozenset({"GET"})
            table.append(Route(rule.rule, methods, tuple(rule.arguments)))
        return table
    return list(_starlette_routes(app.routes, ""))


def _starlette_routes(items: list[Any], prefix: str) -> Iterator[Route]:
    from starlette.routing import Mount, WebSocketRoute
    from starlette.routing import Route as StarletteRoute

    for item in items:
        if isinstance(item, Mount):
            children = getattr(item, "routes", None) or []
            if children:
                yield from _starlette_routes(children, prefix + item.path)
            # Whatever is mounted (static files, a WSGI app) also gets a path below it.
            pattern = prefix + item.path + "/{path:path}"
            yield Route(pattern, frozenset({"GET", "POST"}), _param_names(pattern))
        elif isinstance(item, StarletteRoute):
            pattern = prefix + item.path
            methods = frozenset(item.methods or {"GET"}) - {"HEAD", "OPTIONS"} or {"GET"}
            yield Route(pattern, frozenset(methods), _param_names(pattern), _fastapi_names(item))
        elif isinstance(item, WebSocketRoute):
            pattern = prefix + item.path
            yield Route(pattern, frozenset({"GET"}), _param_names(pattern))


def _fastapi_names(route: Any) -> frozenset[str]:
    """Query, header, cookie and body field names a FastAPI route declares."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return frozenset()
    from pydantic import BaseModel

    names = set()
    todo = [dependant]
    while todo:
        dep = todo.pop()
        todo.extend(dep.dependencies)
        for param in [*dep.query_params, *dep.header_params, *dep.cookie_params, *dep.body_params]:
            names.add(param.alias)
            annotation = getattr(param.field_info, "annotation", None)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names.update(f.alias or n for n, f in annotation.model_fields.items())
    return frozenset(names)


@dataclass
class Probe:
    """One hostile request: what to send, and a short label for the report."""

    method: str
    url: str
    label: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def requests_for(route: Route, names: set[str]) -> Iterator[Probe]:
    """Hostile requests for one route; `names` are field names the topic uses anywhere."""
    names = set(names) | set(route.names)
    plain = route.path()
    # DELETE last: sent first, it removed the resource, so PUT's bodies met a 404 instead.
    for i, method in enumerate(sorted(route.methods, key=lambda m: (m == "DELETE", m))):
        yield Probe(method, plain, "no body")
        if i and method in BODY_METHODS:
            yield from _bodies(method, plain, names)
            continue
        # Path, query and headers once per route (with its first method), bodies per method.
        for param in route.params:
            for value in PATH_VALUES:
                yield Probe(method, route.path(**{param: value}), f"path {param}={value[:20]}")
        for headers in HEADER_SETS:
            yield Probe(method, plain, f"headers {sorted(headers)}", {"headers": headers})
        for value in COOKIE_VALUES:
            cookie = b"; ".join(n.encode() + b"=" + value for n in sorted(names | {"session"}))
            yield Probe(method, plain, f"cookies={value!r}", {"headers": {"cookie": cookie}})
        query_names = sorted(names) or ["q"]
        for value in TEXT_VALUES:
            query = urlencode({n: value for n in query_names})
            yield Probe(method, f"{plain}?{query}", f"query {value[:20]!r}")
            headers = {n: value for n in query_names if _header_name(n)}
            if headers:
                yield Probe(method, plain, f"named headers {value[:20]!r}", {"headers": headers})
        if method in BODY_METHODS:
            yield from _bodies(method, plain, names)


def _bodies(method: str, plain: str, names: set[str]) -> Iterator[Probe]:
    """Hostile bodies for one method of a route."""
    for body in JSON_BODIES:
        kwargs = {"content": body, "headers": {"content-type": "application/json"}}
        yield Probe(method, plain, f"json body {body[:20]!r}", kwargs)
    for content_type, body in OTHER_BODIES:
        headers = {"content-type": content_type} if content_type else {}
        label = f"{content_type} body {body[:20]!r}"
        yield Probe(method, plain, label, {"content": body, "headers": headers})
    for value in JSON_VALUES:
        content = _json_bytes({n: value for n in names or ["a"]})
        kwargs = {"content": content, "headers": {"content-type": "application/json"}}
        yield Probe(method, plain, f"json fields={_short(value)}", kwargs)
    for value in TEXT_VALUES:
        data = {n: value for n in names or ["a"]}
        yield Probe(method, plain, f"form fields={value[:20]!r}", {"data": data})
    for filename in FILE_NAMES:
        files = {n: (filename, b"\x00\xff", "application/octet-stream") for n in names or ["a"]}
        yield Probe(method, plain, f"file fields={filename[:20]!r}", {"files": files})


def mutations(exchange: Exchange) -> Iterator[Probe]:
    """The example request with one value at a time made hostile."""
    request = exchange.request
    method, url = exchange.method, exchange.path
    split = urlsplit(url)
    query = parse_qsl(split.query, keep_blank_values=True)
    for i, (name, _) in enumerate(query):
        for value in TEXT_VALUES:
            changed = [*query[:i], (name, value), *query[i + 1 :]]
            label = f"query {name}={value[:20]!r}"
            yield Probe(method, f"{split.path}?{urlencode(changed)}", label, request)
    for name in request.get("headers", {}):
        if name.lower() in {"content-type", "content-length"}:
            continue
        for value in TEXT_VALUES:
            headers = {**request["headers"], name: value}
            label = f"header {name}={value[:20]!r}"
            yield Probe(method, url, label, {**request, "headers": headers})
    for name in request.get("data", {}):
        for value in TEXT_VALUES:
            data = {**request["data"], name: value}
            yield Probe(method, url, f"form {name}={value[:20]!r}", {**request, "data": data})
    if "json" in request:
        kwargs = {k: v for k, v in request.items() if k != "json"}
        headers = {**kwargs.get("headers", {}), "content-type": "application/json"}
        for body in JSON_BODIES:  # whole bodies, with the example's headers (credentials)
            whole = {**kwargs, "content": body, "headers": headers}
            yield Probe(method, url, f"json body {body[:20]!r}", whole)
        for where, changed in _json_mutations(request["json"]):
            kwargs = {k: v for k, v in request.items() if k != "json"}
            headers = {**kwargs.get("headers", {}), "content-type": "application/json"}
            kwargs = {**kwargs, "content": _json_bytes(changed), "headers": headers}
            yield Probe(method, url, f"json {where}", kwargs)


def _json_mutations(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """`value` with one leaf (or container) replaced by each hostile JSON value."""
    for hostile in JSON_VALUES:
        yield f"{where or '.'}={_short(hostile)}", hostile
    if isinstance(value, dict):
        for key, inner in value.items():
            for sub, changed in _json_mutations(inner, f"{where}.{key}"):
                yield sub, {**value, key: changed}
    elif isinstance(value, list) and value:
        for sub, changed in _json_mutations(value[0], f"{where}[0]"):
            yield sub, [changed, *value[1:]]


def _json_bytes(value: Any) -> bytes:
    # allow_nan writes NaN/Infinity as JavaScript does; surrogates stay \u escapes.
    return json.dumps(value, allow_nan=True).encode()


def _header_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9-]+", name)) and "-" in name


def _short(value: Any) -> str:
    return repr(value)[:20]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check(response: httpx2.Response) -> str | None:
    """What is wrong with one answer to a hostile request, or None."""
    if response.status_code == 500:
        return "500"
    for name, value in response.headers.raw:
        # RFC 6265 4.1.1: a cookie value is ASCII. (Other field values may carry obs-text.)
        if name.lower() == b"set-cookie" and not value.isascii():
            return f"Set-Cookie beyond ASCII: {value[:60]!r}"
    location = response.headers.get("location", "")
    if EVIL_HOST in location:
        return f"Location names the spoofed host: {location}"
    if "json" in response.headers.get("content-type", "") and response.content:
        try:
            json.loads(response.content, parse_constant=_reject_constant)
        except ValueError as error:
            return f"invalid JSON body: {error}"
    return None


def matches(pattern: str, url: str) -> bool:
    """Whether the path of `url` is one that the route `pattern` serves."""
    parts = []
    last = 0
    for m in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[last : m.start()]))
        parts.append(".*" if "path" in m.group(0) else "[^/]*")
        last = m.end()
    parts.append(re.escape(pattern[last:]))
    return re.fullmatch("".join(parts), urlsplit(url).path) is not None


def hostile_probes(
    framework: str,
    app: Any,
    exchanges: list[Exchange],
    samples: dict[tuple[str, str], Sample] | None = None,
) -> Iterator[tuple[str | None, Probe]]:
    """Every hostile request for one app, each with the route it was built for (if known).

    `samples` (from `body_samples` of the topic's FastAPI app) adds, for each route with a
    valid body, that body with each float field made non-finite.
    """
    table = routes(framework, app)
    names = set()
    for route in table:
        names |= route.names
    for exchange in exchanges:
        names |= set(exchange.request.get("data", {})) | set(exchange.request.get("headers", {}))
        names |= {k for k, _ in parse_qsl(urlsplit(exchange.path).query)}
        if isinstance(exchange.request.get("json"), dict):
            names |= set(exchange.request["json"])
    names = {n for n in names if n.lower() not in {"content-type", "content-length", "host"}}
    for route in table:
        for probe in requests_for(route, names):
            yield route.pattern, probe
        for method in sorted(route.methods & BODY_METHODS):
            if sample := (samples or {}).get((method, route.path())):
                for probe in _non_finite(method, route.path(), sample):
                    yield route.pattern, probe
    seen = set()
    for exchange in exchanges:
        owner = next((r.pattern for r in table if matches(r.pattern, exchange.path)), None)
        for probe in mutations(exchange):
            key = (probe.method, probe.url, repr(probe.kwargs))
            if key not in seen:  # examples often share their shape
                seen.add(key)
                yield owner, probe


@dataclass(frozen=True)
class Sample:
    """A valid JSON body for one route, and where its float fields are (key paths)."""

    body: Any
    floats: tuple[tuple[str | int, ...], ...]


_HOLE = "\x00hostile\x00"  # stands for the raw number while the body is written


def _non_finite(method: str, url: str, sample: Sample) -> Iterator[Probe]:
    """The valid body with one float field at a time sent as each of `NON_FINITE`."""
    for where in sample.floats:
        body = _put(sample.body, where, _HOLE)
        written = json.dumps(body).encode().replace(json.dumps(_HOLE).encode(), b"%s")
        for number in NON_FINITE:
            headers = {"content-type": "application/json"}
            label = f"valid body, {'.'.join(map(str, where))}={number.decode()}"
            yield Probe(method, url, label, {"content": written % number, "headers": headers})


def _put(value: Any, where: tuple[str | int, ...], new: Any) -> Any:
    if not where:
        return new
    head, rest = where[0], where[1:]
    if isinstance(value, list):
        return [_put(v, rest, new) if i == head else v for i, v in enumerate(value)]
    return {**value, head: _put(value[head], rest, new)}


def body_samples(app: Any) -> dict[tuple[str, str], Sample]:
    """`{(method, path): Sample}` for each FastAPI route whose body has a float field.

    The path has each parameter as `"1"` (`Route.path()`), which the Flask twin of the
    route gives too. The body is built from the models' annotations (defaults kept, one
    value per type, a string as long as its `min_length`); a model whose constraints it
    does not meet only makes the probes answer 422, never a false failure.
    """
    from fastapi.routing import APIRoute

    samples = {}
    for item in app.routes:
        if not isinstance(item, APIRoute) or not item.dependant.body_params:
            continue
        params = item.dependant.body_params
        if len(params) == 1 and not params[0].field_info.embed:
            body, floats = _sample(params[0].field_info.annotation, params[0].field_info)
        else:
            body, floats = {}, []
            for param in params:
                value, inner = _sample(param.field_info.annotation, param.field_info)
                body[param.alias] = value
                floats += [(param.alias, *w) for w in inner]
        if floats:
            for method in item.methods:
                path = _PARAM.sub("1", item.path)
                samples[(method, path)] = Sample(body, tuple(floats))
    return samples


def _sample(annotation: Any, info: Any = None) -> tuple[Any, list[tuple[str | int, ...]]]:
    """A valid JSON value for `annotation`, and the key paths of its float fields."""
    import enum
    import types
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _sample(args[0], info)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in args if a is not type(None)), info)
    if origin is typing.Literal:
        return args[0], []
    if origin in (list, set, frozenset, tuple) and args:
        value, floats = _sample(args[0])
        return [value], [(0, *w) for w in floats]
    if origin is dict:
        return {}, []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        body, floats = {}, []
        for name, field_info in annotation.model_fields.items():
            key = field_info.alias or name
            value, inner = _sample(field_info.annotation, field_info)
            body[key] = value
            floats += [(key, *w) for w in inner]
        return body, floats
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value, []
    if annotation is float:
        return 1.5, [()]
    if annotation is bool:
        return True, []
    if annotation is int:
        return 1, []
    length = max([getattr(m, "min_length", 1) or 1 for m in getattr(info, "metadata", [])] or [1])
    return "x" * length, []


def send_all(framework: str, app: Any, probes: list[Probe]) -> list[httpx2.Response | Exception]:
    """Send each probe, in order, to `app` in-process; an exception stands for a broken answer.

    Flask through `httpx2.WSGITransport`; FastAPI through `httpx2.ASGITransport` in one event
    loop, with the app's lifespan run around the requests (five times faster than Starlette's
    `TestClient`, which hops to a thread per request). Server tracebacks are discarded.
    """
    with warnings.catch_warnings():
        # Warnings are errors in the test suite; here only the answers count.
        warnings.simplefilter("ignore")
        if framework == "flask":
            return [_send_wsgi(app, probe) for probe in probes]
        return asyncio.run(_send_all_asgi(app, probes))


def _send_wsgi(app: Any, probe: Probe) -> httpx2.Response | Exception:
    """One request through `app`, with the environ a WSGI server builds (PEP 3333).

    Not `httpx2.WSGITransport`: it decodes header values as ASCII and puts the decoded
    path in `PATH_INFO`, so it cannot carry what a real server passes on (latin-1 text).
    """
    request = httpx2.Request(probe.method, BASE_URL + probe.url, **probe.kwargs)
    body = request.read()
    path, _, query = request.url.raw_path.partition(b"?")
    environ = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REQUEST_METHOD": probe.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in request.headers.raw:
        key = name.decode("latin-1").upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        environ[key] = value.decode("latin-1")
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return lambda _: None

    try:
        result = app(environ, start_response)
        chunks, size = [], 0
        try:
            for chunk in result:
                chunks.append(chunk)
                size += len(chunk) + 100  # a chunk costs more than its bytes
                if size > MAX_ANSWER:
                    return AnswerTooLarge(f"answer beyond {MAX_ANSWER} bytes: unbounded?")
        finally:
            getattr(result, "close", lambda: None)()
    except Exception as error:  # the app broke the exchange instead of answering
        return error
    status, headers = started
    return httpx2.Response(
        int(status.split()[0]),
        headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        content=b"".join(chunks),
        request=request,
    )


async def _send_all_asgi(app: Any, probes: list[Probe]) -> list[httpx2.Response | Exception]:
    async with _lifespan(app) as state:

        async def with_state(scope: Any, receive: Any, send: Any) -> None:
            size = 0

            async def capped(message: Any) -> None:
                nonlocal size
                size += len(message.get("body", b"")) + 100
                if size > MAX_ANSWER:
                    too_large.append(probe)
                    raise AnswerTooLarge(f"answer beyond {MAX_ANSWER} bytes: unbounded?")
                await send(message)

            await app({**scope, "state": dict(state)}, receive, capped)

        transport = httpx2.ASGITransport(app=with_state, raise_app_exceptions=False)
        async with httpx2.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            results: list[httpx2.Response | Exception] = []
            too_large: list[Probe] = []
            for probe in probes:
                try:
                    results.append(await client.request(probe.method, probe.url, **probe.kwargs))
                except Exception as error:
                    results.append(error)
                if too_large:
                    results[-1] = AnswerTooLarge(f"answer beyond {MAX_ANSWER} bytes: unbounded?")
                    too_large.clear()
            return results


@asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
    """Run an ASGI app's lifespan startup before, and shutdown after, the block."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    state: dict[str, Any] = {}
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    message = await outbox.get()
    if message["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"lifespan startup failed: {message}")
    try:
        yield state
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task
