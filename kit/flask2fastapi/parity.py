"""`flask2fastapi parity`: send the same requests to the Flask app and its FastAPI port.

Each request goes, in order, to one app of each framework (in-process; the FastAPI app's
lifespan runs), and the two answers are compared on their status, chosen headers and body
(JSON bodies as values). A difference is one of:

* **accepted**: the config file accepts it for that route;
* **known**: a rule of `flask2fastapi.rules` recognises it (422 for 404, 307 for 308, the
  error envelope...), and names the guide page that explains it; still reported until
  accepted;
* **unexpected**: nothing explains it.

The config file (TOML) accepts differences per route:

```toml
headers = ["x-total-count"]      # response headers to compare besides the defaults
[accept]
"*" = ["json-key-order", "json-trailing-newline"]   # rule ids, for every request
"GET /api/items/<int:item_id>" = ["converter-422"]  # Flask's rule, with the method
"api.create_item" = ["json-body-422"]               # an endpoint
"POST /login*" = ["status", "header:location"]      # a glob on the request; or aspects
```

A key matches a request by the Flask route it is for (its endpoint, its rule, or
`METHOD RULE`; `/items/abc` is for `<int:item_id>` even though the converter refuses it),
or by a glob on `METHOD /path?query` or on the request's id. Values are rule ids of kind
`difference`, or the aspects of an unexplained difference (`status`, `body`,
`header:<name>`), or `*` for anything.

JSON bodies are compared field by field: a difference names each field by its JSON Pointer
(RFC 6901, `/items/0/price`) with both values. `[[field]]` tables say which fields to
ignore or normalise before comparing (a timestamp, a generated id):

```toml
[[field]]
pointer = "/items/*/created_at"   # `*` stands for any one key or index
ignore = true                      # left out on both sides (absent on one side too)
[[field]]
pointer = "/id"
pattern = "[0-9a-f]{32}"           # equal when both values match the whole pattern
route = "POST /api/*"              # optional: only requests this key matches (as in accept)
[[field]]
pointer = "/generated_at"
replace = ['[.][0-9]+', '']        # re.sub on both text values before comparing
```

Every key is checked when the file is loaded: a wrong type, an unknown rule or a bad
regular expression is a `ConfigError` naming the file and the key (exit 2).
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import tomllib
import traceback
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO
from urllib.parse import urljoin, urlsplit

from flask2fastapi.apps import BASE_URL, AppError, client_for, failing_file
from flask2fastapi.knowledge import Knowledge
from flask2fastapi.rules import RULES
from flask2fastapi.traffic import Exchange, TrafficError, send_all

if TYPE_CHECKING:  # the `parity` extra; `flask2fastapi.cli` says so when it is missing
    import httpx2

#: Response headers compared by default (besides those an exchange's `show_headers` names).
DEFAULT_HEADERS = ("content-type", "location", "allow")


class ConfigError(ValueError):
    """A parity config file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class FieldRule:
    """One `[[field]]` table: fields at `pointer` (JSON Pointer segments, `*` for any one)
    are ignored, equal when both match `pattern`, or rewritten by `replace` (regex,
    replacement); `route` limits it to requests that key matches (None: every request)."""

    pointer: tuple[str, ...]
    action: Literal["ignore", "pattern", "replace"]
    regex: re.Pattern[str] | None = None
    replacement: str = ""
    route: str | None = None

    def matches(self, where: tuple[str, ...]) -> bool:
        return len(where) == len(self.pointer) and all(
            p in ("*", w) for p, w in zip(self.pointer, where, strict=True)
        )


@dataclass
class Config:
    """What the reader accepts: `accept` maps a route key to rule ids or aspects; `fields`
    normalise JSON fields before comparing; `headers` adds response headers to compare."""

    headers: tuple[str, ...] = ()
    accept: dict[str, list[str]] = field(default_factory=dict)
    fields: tuple[FieldRule, ...] = ()

    @classmethod
    def load(cls, path: Path | None) -> Config:
        """The config in `path` (None: an empty one). Raises `ConfigError`, naming the file
        and the key, for unreadable TOML, unknown keys, wrong types, rules that are not of
        kind `difference`, and regular expressions that do not compile."""
        if path is None:
            return cls()
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        try:
            return cls._parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    @classmethod
    def _parse(cls, raw: dict[str, Any]) -> Config:
        unknown = set(raw) - {"headers", "accept", "field"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} (expected headers, accept, field)")
        headers = raw.get("headers", [])
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            raise ValueError(f"`headers` must be a list of header names, not {headers!r}")
        accept = raw.get("accept", {})
        if not isinstance(accept, dict):
            raise ValueError(
                f"`accept` must be a table of request keys to lists of rule ids, not {accept!r}"
            )
        for key, values in accept.items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"accept.{key!r} must be a list of strings, not {values!r}")
            for value in values:
                rule = RULES.get(value)
                if rule is not None and rule.kind != "difference":
                    raise ValueError(
                        f"accept.{key!r}: {value!r} is a {rule.kind} rule, not a difference"
                    )
                if rule is None and value != "*" and not _is_aspect(value):
                    raise ValueError(f"accept.{key!r}: unknown rule or aspect {value!r}")
        tables = raw.get("field", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise ValueError("`field` must be an array of tables: write `[[field]]`")
        fields = tuple(_field_rule(i, t) for i, t in enumerate(tables))
        return cls(tuple(h.lower() for h in headers), accept, fields)

    def accepted(self, keys: list[str]) -> set[str]:
        """Every rule id or aspect accepted for a request known by `keys`."""
        found: set[str] = set()
        for pattern, values in self.accept.items():
            if _key_matches(pattern, keys):
                found |= set(values)
        return found

    def fields_for(self, keys: list[str]) -> list[FieldRule]:
        """The `[[field]]` rules that apply to a request known by `keys`."""
        return [f for f in self.fields if f.route is None or _key_matches(f.route, keys)]


def _key_matches(pattern: str, keys: list[str]) -> bool:
    return any(pattern == k or fnmatchcase(k, pattern) for k in keys)


def _field_rule(index: int, table: dict[str, Any]) -> FieldRule:
    name = f"field[{index}]"
    unknown = set(table) - {"pointer", "route", "ignore", "pattern", "replace"}
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    pointer = table.get("pointer")
    if not isinstance(pointer, str) or not (pointer == "" or pointer.startswith("/")):
        raise ValueError(f"{name}.pointer must be a JSON Pointer such as '/items/*/id'")
    route = table.get("route")
    if route is not None and not isinstance(route, str):
        raise ValueError(f"{name}.route must be a string (a key as in [accept])")
    actions = [a for a in ("ignore", "pattern", "replace") if a in table]
    if len(actions) != 1:
        raise ValueError(f"{name}: give exactly one of ignore, pattern, replace")
    action, value = actions[0], table[actions[0]]
    segments = tuple(_unescape(s) for s in pointer.split("/")[1:])
    try:
        if action == "ignore":
            if value is not True:
                raise ValueError(f"{name}.ignore must be true")
            return FieldRule(segments, "ignore", route=route)
        if action == "pattern":
            if not isinstance(value, str):
                raise ValueError(f"{name}.pattern must be a regular expression (a string)")
            return FieldRule(segments, "pattern", re.compile(value), route=route)
        if not (
            isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
        ):
            raise ValueError(f"{name}.replace must be [regular expression, replacement]")
        return FieldRule(segments, "replace", re.compile(value[0]), value[1], route)
    except re.error as exc:
        raise ValueError(f"{name}.{action}: not a regular expression: {exc}") from None


def _is_aspect(value: str) -> bool:
    return value in ("status", "body") or value.startswith("header:")


@dataclass
class FieldDifference:
    """One JSON field that differs: `pointer` (RFC 6901), both values, `missing` (the side
    that lacks the field: `"flask"`, `"fastapi"` or None), and the `rule` and `page` that
    explain it, if one does."""

    pointer: str
    flask: Any
    fastapi: Any
    missing: str | None = None
    rule: str | None = None
    page: str | None = None


@dataclass
class Difference:
    """One aspect that differs: `aspect` (`status`, `body`, `header:<name>`), both values,
    and how it is explained: `rule` and `page` (None when unexpected), `accepted`. A body
    difference between two JSON answers lists its `fields`."""

    aspect: str
    flask: Any
    fastapi: Any
    rule: str | None = None
    page: str | None = None
    accepted: bool = False
    fields: list[FieldDifference] = field(default_factory=list)


@dataclass
class Result:
    """One request's outcome: `same`, `accepted`, `known` or `unexpected`."""

    id: str
    method: str
    path: str
    route: str | None
    flask_status: int
    fastapi_status: int
    differences: list[Difference]

    @property
    def outcome(self) -> str:
        if not self.differences:
            return "same"
        if all(d.accepted for d in self.differences):
            return "accepted"
        if all(d.accepted or d.rule for d in self.differences):
            return "known"
        return "unexpected"


@dataclass
class ParityReport:
    """Every request's `Result`, and `warnings`: what makes the run say less than it seems
    (cookies the client could not send back, most requests refused on both sides)."""

    flask: str
    fastapi: str
    requests: str
    results: list[Result]
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every difference is accepted: the exit code of `parity` is 0."""
        return all(r.outcome in ("same", "accepted") for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {"same": 0, "accepted": 0, "known": 0, "unexpected": 0}
        for r in self.results:
            out[r.outcome] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for item, result in zip(data["results"], self.results, strict=True):
            item["outcome"] = result.outcome
        data["counts"] = self.counts()
        data["ok"] = self.ok
        return data


# ---------------------------------------------------------------------------- comparing


#: JSON nested deeper than this is compared as text: the field walk recurses per level.
MAX_JSON_DEPTH = 100


def _json(response: httpx2.Response) -> tuple[bool, Any]:
    if "json" not in response.headers.get("content-type", ""):
        return False, None
    try:
        value = json.loads(response.content)
    except (ValueError, RecursionError):
        return False, None
    return (True, value) if _shallow(value) else (False, None)


def _shallow(value: Any) -> bool:
    """Whether a JSON value nests at most `MAX_JSON_DEPTH` levels (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return True


def _location(response: httpx2.Response, path: str, base_url: str = BASE_URL) -> str | None:
    value = response.headers.get("location")
    return urljoin(base_url + path, value) if value is not None else None


def _methods(value: str | None) -> set[str]:
    return {m.strip() for m in (value or "").split(",") if m.strip()}


def same_json(x: Any, y: Any) -> bool:
    """Equal as JSON text would tell: `1`, `1.0` and `true` are three different values
    (Python's `==` says they are one)."""
    if type(x) is not type(y):
        return False
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(same_json(x[k], y[k]) for k in x)
    if isinstance(x, list):
        return len(x) == len(y) and all(same_json(a, b) for a, b in zip(x, y, strict=True))
    return bool(x == y)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def json_differences(flask: Any, fastapi: Any, pointer: str = "") -> list[FieldDifference]:
    """The fields in which two JSON values differ, deepest first, in document order.

    Objects are compared key by key and arrays index by index; a field on one side only
    is reported with `missing` naming the other side. `pointer` prefixes every pointer.
    """
    if isinstance(flask, dict) and isinstance(fastapi, dict):
        out: list[FieldDifference] = []
        for key in dict.fromkeys([*flask, *fastapi]):
            where = f"{pointer}/{_escape(str(key))}"
            if key not in flask:
                out.append(FieldDifference(where, None, fastapi[key], "flask"))
            elif key not in fastapi:
                out.append(FieldDifference(where, flask[key], None, "fastapi"))
            else:
                out += json_differences(flask[key], fastapi[key], where)
        return out
    if isinstance(flask, list) and isinstance(fastapi, list):
        out = []
        for i in range(max(len(flask), len(fastapi))):
            where = f"{pointer}/{i}"
            if i >= len(flask):
                out.append(FieldDifference(where, None, fastapi[i], "flask"))
            elif i >= len(fastapi):
                out.append(FieldDifference(where, flask[i], None, "fastapi"))
            else:
                out += json_differences(flask[i], fastapi[i], where)
        return out
    return [] if same_json(flask, fastapi) else [FieldDifference(pointer, flask, fastapi)]


_IGNORED = object()


def normalise(value: Any, rules: list[FieldRule] | tuple[FieldRule, ...]) -> Any:
    """A copy of a JSON value with the `[[field]]` rules applied: ignored fields removed
    (array items replaced by one placeholder, so that indexes stay), values that match a
    `pattern` replaced by the pattern, `replace` applied to text values."""

    def walk(node: Any, where: tuple[str, ...]) -> Any:
        for rule in rules:
            if not rule.matches(where):
                continue
            if rule.action == "ignore":
                return _IGNORED
            if isinstance(node, str) and rule.regex is not None:
                if rule.action == "replace":
                    node = rule.regex.sub(rule.replacement, node)
                elif rule.regex.fullmatch(node):
                    node = f"<matches {rule.regex.pattern}>"
        if isinstance(node, dict):
            kept = {k: walk(v, (*where, str(k))) for k, v in node.items()}
            return {k: v for k, v in kept.items() if v is not _IGNORED}
        if isinstance(node, list):
            return ["<ignored>" if (v := walk(x, (*where, str(i)))) is _IGNORED else v
                    for i, x in enumerate(node)]  # fmt: skip
        return node

    if not rules:
        return value
    result = walk(value, ())
    return None if result is _IGNORED else result


def compare(
    item: Exchange,
    f: httpx2.Response,
    a: httpx2.Response,
    headers: tuple[str, ...],
    fields: list[FieldRule] | tuple[FieldRule, ...] = (),
    base_url: str = BASE_URL,
) -> list[Difference]:
    """The aspects in which the two answers differ, each explained by a rule when one fits.

    `headers` are compared besides `DEFAULT_HEADERS`; `fields` (the config's `[[field]]`
    rules for this request) normalise JSON bodies first: when they make the two values
    equal, the bodies count as the same.
    """
    diffs: list[Difference] = []
    if f.status_code != a.status_code:
        diffs.append(Difference("status", f.status_code, a.status_code))
    for name in dict.fromkeys((*DEFAULT_HEADERS, *item.show_headers, *headers)):
        fv, av = f.headers.get(name), a.headers.get(name)
        if name == "allow" and _methods(fv) == _methods(av):
            continue
        if fv != av:
            diffs.append(Difference(f"header:{name}", fv, av))
    f_is_json, f_value = _json(f)
    a_is_json, a_value = _json(a)
    if f_is_json and a_is_json:
        f_norm, a_norm = normalise(f_value, fields), normalise(a_value, fields)
        if not same_json(f_norm, a_norm):
            diffs.append(
                Difference("body", f.text, a.text, fields=json_differences(f_norm, a_norm))
            )
        elif same_json(f_value, a_value) and f.content != a.content:
            diffs.append(Difference("body", f.text, a.text))
    elif f.content != a.content:
        diffs.append(Difference("body", _body_text(f), _body_text(a)))
    _explain(item, f, a, diffs, base_url)
    return diffs


def _instant_http(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.endswith(" GMT"):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _instant_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def _same_decimal(flask: Any, fastapi: Any) -> bool:
    """Flask's JSON writes a `Decimal` as a string ("9.90"), FastAPI's as a float (9.9)."""
    if not isinstance(flask, str) or isinstance(fastapi, bool):
        return False
    if not isinstance(fastapi, int | float):
        return False
    try:
        return Decimal(flask) == Decimal(repr(fastapi)) and Decimal(flask).is_finite()
    except InvalidOperation:
        return False


def _explain_fields(body: Difference) -> None:
    """Rules for single fields; the body is explained when every field is."""
    for fd in body.fields:
        flask_at, fastapi_at = _instant_http(fd.flask), _instant_iso(fd.fastapi)
        if flask_at is not None and fastapi_at is not None and flask_at == fastapi_at:
            fd.rule = "json-http-date"
        elif _same_decimal(fd.flask, fd.fastapi):
            fd.rule = "json-decimal"
    rules = {fd.rule for fd in body.fields}
    if body.rule is None and rules and None not in rules:
        # Every field explained (a date and a Decimal may differ in one body): the body
        # is, and names its first field's rule; each field keeps its own.
        body.rule = body.fields[0].rule


def _explain_file_headers(f: httpx2.Response, a: httpx2.Response, mark) -> None:  # type: ignore[no-untyped-def]
    """A file Starlette sends without the headers Flask's `send_file` adds, or with its
    download name quoted: the static-files and custom-responses pages' tables."""
    f_cd, a_cd = f.headers.get("content-disposition"), a.headers.get("content-disposition")
    if f_cd and a_cd and _unquoted(f_cd) == _unquoted(a_cd):
        mark("quoted-filename", "header:content-disposition")
    if f.headers.get("cache-control") == "no-cache" and a.headers.get("cache-control") is None:
        mark("file-headers", "header:cache-control")
    if f_cd and f_cd.startswith("inline;") and a_cd is None:
        mark("file-headers", "header:content-disposition")


def _unquoted(value: str) -> str:
    """`attachment; filename="a.txt"` → `attachment; filename=a.txt` (RFC 6266: a token
    or a quoted string, the same name)."""
    return re.sub(r'filename="([^"\\]*)"', r"filename=\1", value)


def _explain(
    item: Exchange,
    f: httpx2.Response,
    a: httpx2.Response,
    diffs: list[Difference],
    base_url: str = BASE_URL,
) -> None:
    """Attach the rule that accounts for each difference, if one does."""
    aspects = {d.aspect: d for d in diffs}

    def mark(rule: str, *names: str) -> None:
        for name in names:
            if name in aspects and aspects[name].rule is None:
                aspects[name].rule = rule

    fs, as_ = f.status_code, a.status_code
    f_type = f.headers.get("content-type", "")
    a_type = a.headers.get("content-type", "")
    a_is_json, a_value = _json(a)
    f_is_json, f_value = _json(f)
    whole = ("status", "header:content-type", "body")
    if fs != as_:
        if as_ == 422 and fs == 404:
            mark("converter-422", *whole)
        elif (as_ == 422 and fs == 415) or (as_ == 422 and fs == 400 and _has_body(item)):
            mark("json-body-422", *whole)
        elif as_ == 422 and fs == 400:
            mark("validation-422", *whole)
        elif fs == 308 and as_ == 307:
            mark("slash-redirect-307", *whole)
        elif (
            fs == 404
            and as_ == 307
            and _location(a, item.path, base_url)
            == urljoin(base_url, item.path.split("?")[0].rstrip("/"))
        ):
            mark("extra-slash-redirect", *whole, "header:location")
        elif fs in (301, 302, 303) and as_ == 307:
            mark("redirect-307", *whole)
        elif item.method in ("HEAD", "OPTIONS") and 200 <= fs < 300 and as_ == 405:
            # A HEAD's Content-Length is the GET body's in Flask: the 405's follows from it.
            mark("head-options", *whole, "header:allow", "header:content-length")
        elif fs == 200 and as_ == 422 and "?" in item.path:
            mark("query-422", *whole)
        elif fs == 200 and as_ == 422 and "data" in item.request:
            mark("form-422", *whole)
        elif (fs in (401, 403) and as_ in (404, 422)) or (fs == 404 and as_ in (401, 403)):
            mark("auth-order", *whole)
        elif (
            fs == 404
            and as_ == 307
            and not item.path.split("?")[0].endswith("/")
            and _location(a, item.path, base_url)
            == urljoin(base_url, item.path.split("?")[0] + "/")
        ):
            mark("mount-slash-redirect", *whole, "header:location")
    if fs == as_ and 200 <= fs < 300:
        _explain_file_headers(f, a, mark)
    if "header:location" in aspects and _location(f, item.path, base_url) == _location(
        a, item.path, base_url
    ):
        mark("absolute-location", "header:location")
    if fs == as_ == 405 and "header:allow" in aspects:
        flask_allows, fastapi_allows = (
            _methods(f.headers.get("allow")),
            _methods(a.headers.get("allow")),
        )
        extra = flask_allows - fastapi_allows
        if fastapi_allows and fastapi_allows < flask_allows:  # nothing Flask did not allow
            if extra <= {"HEAD", "OPTIONS"}:
                mark("allow-header", "header:allow")
            else:
                mark("allow-first-route", "header:allow")
    if 300 <= as_ < 400 and 300 <= fs < 400 and not a.content and f_type.startswith("text/html"):
        mark("redirect-body", "body", "header:content-type")
    if fs == as_ and fs >= 400:
        if (
            f_type.startswith("text/html")
            and a_is_json
            and isinstance(a_value, dict)
            and "detail" in a_value
        ):
            mark("error-envelope", "header:content-type", "body")
        elif fs == 500 and f_type.startswith("text/html") and a_type.startswith("text/plain"):
            mark("server-error", "header:content-type", "body")
    if fs == as_ and f_type.startswith("text/html") and a_is_json and a_value == f.text:
        mark("str-json", "header:content-type", "body")
    body = aspects.get("body")
    if body is not None and body.fields:
        _explain_fields(body)
    elif body is not None and f_is_json and a_is_json and same_json(f_value, a_value):
        if f.text.removesuffix("\n") == a.text:
            mark("json-trailing-newline", "body")
        else:
            mark("json-key-order", "body")


def _has_body(item: Exchange) -> bool:
    return any(k in item.request for k in ("json", "content", "data", "files"))


# -------------------------------------------------------------------------------- running


def _route_keys(flask_app: Any, item: Exchange) -> tuple[list[str], str | None]:
    """The keys a config entry may use for this request, and the Flask route it is for.

    A value that a converter refuses (`/items/abc` for `<int:item_id>`) matches no rule in
    Flask; it is still *for* that route, found by matching the rule with any value.
    """
    path, _, query = item.path.partition("?")
    keys = [item.id, f"{item.method} {item.path}"]
    try:
        adapter = flask_app.url_map.bind("testserver", query_args=query)
        rule, _ = adapter.match(path, method=item.method, return_rule=True)
    except Exception:  # 404, 405 or a redirect: try each rule with its converters relaxed
        rule = _loose_match(flask_app, item.method, path)
    if rule is None:
        return keys, None
    route = f"{item.method} {rule.rule}"
    return [*keys, rule.endpoint, rule.rule, route], route


def _loose_match(flask_app: Any, method: str, path: str) -> Any:
    from flask2fastapi.scan import RULE_PART

    for rule in flask_app.url_map.iter_rules():
        if method not in (rule.methods or ()):
            continue
        pattern, last = "", 0
        for part in RULE_PART.finditer(rule.rule):
            pattern += re.escape(rule.rule[last : part.start()])
            pattern += ".*" if part["converter"] == "path" else "[^/]+"
            last = part.end()
        pattern += re.escape(rule.rule[last:])
        if last and re.fullmatch(pattern, path):
            return rule
    return None


def run(
    flask_app: Any,
    fastapi_app: Any,
    items: list[Exchange],
    config: Config | None = None,
    accept_known: bool = False,
    names: tuple[str, str, str] = ("flask", "fastapi", "requests"),
    knowledge: Knowledge | None = None,
    base_url: str = BASE_URL,
) -> ParityReport:
    """Send `items` to both apps and compare every answer (see the module's docstring).

    `base_url` is the scheme and host both apps see (`https://testserver` for apps whose
    cookies are `Secure`). Links are under `knowledge`'s docs address (default:
    `Knowledge.load()`, so `FLASK2FASTAPI_DOCS_URL` applies). Tracebacks of 500s are kept
    out of the output: a 500 on one side shows as a difference. Raises
    `flask2fastapi.traffic.TrafficError` when a request cannot be sent, and
    `flask2fastapi.apps.AppError` when an app fails outside any request (its lifespan).
    """
    config = config or Config()
    errors = io.StringIO()
    cut: list[str] = []  # "framework METHOD path" of each body cut at MAX_BODY
    flask_served = _capped_wsgi(_as_served(flask_app, errors), cut)
    flask_answers = _answers("flask", flask_served, items, names[0], base_url)
    fastapi_answers = _answers("fastapi", _capped_asgi(fastapi_app, cut), items, names[1], base_url)
    knowledge = knowledge or Knowledge.load()
    results = []
    for item, f, a in zip(items, flask_answers, fastapi_answers, strict=True):
        keys, route = _route_keys(flask_app, item)
        accepted = config.accepted(keys)
        diffs = compare(item, f, a, config.headers, config.fields_for(keys), base_url)
        for d in diffs:
            d.accepted = (
                "*" in accepted
                or (d.rule is not None and (accept_known or d.rule in accepted))
                or (d.rule is None and d.aspect in accepted)
            )
            if d.rule:
                d.page = knowledge.page(RULES[d.rule].page).url
            for fd in d.fields:
                if fd.rule:
                    fd.page = knowledge.page(RULES[fd.rule].page).url
        results.append(
            Result(item.id, item.method, item.path, route, f.status_code, a.status_code, diffs)
        )
    warnings = [
        f"{where}: the body passed {MAX_BODY // 2**20} MiB or {MAX_CHUNKS} chunks (a stream "
        "that never ends?); compared as far as that"
        for where in cut
    ]
    warnings += _secure_cookie_warnings(base_url, flask_answers, fastapi_answers)
    warnings += _refused_warning(results)
    return ParityReport(*names, results, warnings)


def _body_text(response: httpx2.Response) -> str:
    """The body as text when it decodes (in its declared charset, else UTF-8); else its
    bytes in hex after a `(binary, N bytes)` mark, so that two binary bodies that differ
    show where, instead of as replacement characters."""
    try:
        return response.content.decode(response.charset_encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return f"(binary, {len(response.content)} bytes) {response.content.hex(' ')}"


def _answers(
    framework: str, app: Any, items: list[Exchange], name: str, base_url: str
) -> list[httpx2.Response]:
    """Every request's answer from one app. An exception outside any request (a lifespan
    that fails to start or stop) is `AppError` naming the app; exceptions inside a request
    are already 500 answers."""
    try:
        with client_for(framework, app, io.StringIO(), base_url) as client:
            return send_all(client, items)
    except TrafficError:
        raise
    except SystemExit as exc:  # not an error a server turns into a 500: the worker stops
        raise AppError(
            f"{name}: called sys.exit() at {failing_file(exc, name)}: {exc!r}; "
            "nothing can be compared"
        ) from exc
    except Exception as exc:
        where = failing_file(exc, name)
        raise AppError(
            f"{name}: failed outside any request (start-up or shut-down) at {where}: {exc!r}"
        ) from exc


#: Bytes, and chunks, of one response body a run reads: a stream that never ends
#: (server-sent events, common in a browser's HAR) is cut there instead of running and
#: filling memory for ever. Chunks count too: small events cost far more time than bytes.
MAX_BODY = 16 * 2**20
MAX_CHUNKS = 10_000


class _BodyCut(Exception):
    """Raised into an ASGI app whose body passed `MAX_BODY`, to stop it."""


def _capped_wsgi(app: Any, cut: list[str]) -> Any:
    """`app` with each response body cut after `MAX_BODY` bytes (noted in `cut`)."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        body = app(environ, start_response)
        seen = 0
        try:
            for count, chunk in enumerate(body, start=1):
                seen += len(chunk)
                if seen > MAX_BODY or count > MAX_CHUNKS:
                    yield chunk[: max(0, len(chunk) - max(0, seen - MAX_BODY))]
                    where = environ["REQUEST_METHOD"] + " " + environ.get("PATH_INFO", "/")
                    cut.append(f"flask {where}")
                    return
                yield chunk
        finally:
            getattr(body, "close", lambda: None)()  # as a WSGI server must

    return wsgi


def _capped_asgi(app: Any, cut: list[str]) -> Any:
    """`app` with each response body cut after `MAX_BODY` bytes (noted in `cut`): the body
    is ended there and `_BodyCut` raised into the app to stop it."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        seen = count = 0

        async def capped(message: dict[str, Any]) -> None:
            nonlocal seen, count
            if message["type"] != "http.response.body":
                return await send(message)
            body = message.get("body", b"")
            seen, count = seen + len(body), count + 1
            if seen <= MAX_BODY and count <= MAX_CHUNKS:
                return await send(message)
            keep = body[: max(0, len(body) - max(0, seen - MAX_BODY))]
            await send({"type": "http.response.body", "body": keep, "more_body": False})
            cut.append(f"fastapi {scope['method']} {scope['path']}")
            raise _BodyCut

        with contextlib.suppress(_BodyCut):
            await app(scope, receive, capped)

    return asgi


def _as_served(flask_app: Any, errors: TextIO) -> Any:
    """The Flask app as `flask run` serves it: an exception that escapes it (`TESTING` or
    `PROPAGATE_EXCEPTIONS` set) becomes Werkzeug's 500 page instead of reaching the caller.
    The traceback goes to `errors`."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return flask_app(environ, start_response)
        except Exception:
            from werkzeug.exceptions import InternalServerError

            traceback.print_exc(file=errors)
            return InternalServerError()(environ, start_response)

    return wsgi


def _secure_cookie_warnings(
    base_url: str, flask: list[httpx2.Response], fastapi: list[httpx2.Response]
) -> list[str]:
    """Over http://, a client keeps a `Secure` cookie but never sends it back: a sign-in
    that sets one does not stick, and later requests are refused on that side."""
    if urlsplit(base_url).scheme == "https":
        return []
    found: dict[str, list[str]] = {}
    for side, answers in (("flask", flask), ("fastapi", fastapi)):
        for response in answers:
            for cookie in response.headers.get_list("set-cookie"):
                name, _, rest = cookie.partition("=")
                attributes = {a.strip().partition("=")[0].lower() for a in rest.split(";")[1:]}
                if "secure" in attributes and name.strip() not in found.setdefault(side, []):
                    found[side].append(name.strip())
    https = urlsplit(base_url)._replace(scheme="https").geturl()
    return [
        f"the {side} app set the Secure cookie(s) {', '.join(map(repr, names))}; over "
        f"{base_url} the client does not send them back, so later requests go without them "
        f"(run with --base-url {https})"
        for side, names in found.items()
        if names
    ]


def _refused(results: list[Result]) -> list[Result]:
    return [r for r in results if r.flask_status in (401, 403) and r.fastapi_status in (401, 403)]


def _refused_warning(results: list[Result]) -> list[str]:
    """Most requests refused (401/403) by both apps: they compare error pages, not the
    app, usually because a sign-in failed alike on both sides."""
    refused = _refused(results)
    if not results or len(refused) * 2 <= len(results):
        return []
    return [
        f"{len(refused)} of {len(results)} requests were refused (401/403) by both apps: "
        "they compare error answers, not the app. Is a sign-in failing on both sides (a "
        "secret, password or token missing from the environment, a cookie not sent back)?"
    ]


# ------------------------------------------------------------------------------ rendering


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(value: Any, limit: int = 60) -> str:
    """A JSON value as JSON text, on one line, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_values(fd: FieldDifference) -> tuple[str, str]:
    flask = "(absent)" if fd.missing == "flask" else _value(fd.flask)
    fastapi = "(absent)" if fd.missing == "fastapi" else _value(fd.fastapi)
    return flask, fastapi


def _excerpts(flask: Any, fastapi: Any, width: int = 60) -> tuple[str, str]:
    """Both texts from a little before the first character where they differ, so that the
    difference shows even when it lies past the first `width` characters."""
    if not (isinstance(flask, str) and isinstance(fastapi, str)):
        return _short(flask, width), _short(fastapi, width)
    same = 0
    for x, y in zip(flask, fastapi, strict=False):
        if x != y:
            break
        same += 1
    start = max(0, same - 20)

    def cut(text: str) -> str:
        # Line breaks and tabs escaped, not collapsed: a final newline may be the difference.
        part = text[start:].replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
        part = ("…" if start else "") + part
        return part if len(part) <= width else part[: width - 1] + "…"

    return cut(flask), cut(fastapi)


#: Field differences a report lists per body before it says "and N more".
MAX_FIELDS = 10


def to_text(report: ParityReport, verbose: bool = False) -> str:
    """One line per request that differs (all with `verbose`), each JSON field that differs
    under its body, the warnings, then the counts."""
    lines = []
    for r in report.results:
        if r.outcome in ("same", "accepted") and not verbose:
            continue
        lines.append(f"{r.outcome.upper():10} {r.method} {r.path} [{r.id}]")
        for d in r.differences:
            state = "accepted" if d.accepted else ("known: " + d.rule if d.rule else "UNEXPECTED")
            if d.fields:
                lines.append(f"    {d.aspect}: {len(d.fields)} JSON field(s) differ")
            else:
                flask, fastapi = _excerpts(d.flask, d.fastapi)
                lines.append(f"    {d.aspect}: flask {flask} | fastapi {fastapi}")
            lines.append(f"      {state}" + (f" — {d.page}" if d.page else ""))
            for fd in d.fields[:MAX_FIELDS]:
                flask, fastapi = _field_values(fd)
                known = f"  (known: {fd.rule} — {fd.page})" if fd.rule and not d.rule else ""
                lines.append(
                    f"      {fd.pointer or '(root)'}: flask {flask} | fastapi {fastapi}{known}"
                )
            if len(d.fields) > MAX_FIELDS:
                lines.append(f"      … and {len(d.fields) - MAX_FIELDS} more fields")
    lines += [f"warning: {w}" for w in report.warnings]
    counts = report.counts()
    refused = len(_refused(report.results))
    lines.append(
        f"{len(report.results)} requests: {counts['same']} same, {counts['accepted']} accepted, "
        f"{counts['known']} known but not accepted, {counts['unexpected']} unexpected"
        + (f" ({refused} refused with 401/403 by both apps)" if refused else "")
    )
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """Text as inline code inside a Markdown table cell, whatever characters it holds."""
    return "<code>" + html.escape(text, quote=False).replace("|", "&#124;") + "</code>"


def _md_difference(d: Difference) -> str:
    text = (
        f"{d.aspect}: "
        + (f"[{d.rule}]({d.page})" if d.rule else "unexplained")
        + (" (accepted)" if d.accepted else "")
    )
    if d.accepted:
        return text
    for fd in d.fields[:MAX_FIELDS]:
        flask, fastapi = _field_values(fd)
        known = f" ([{fd.rule}]({fd.page}))" if fd.rule and not d.rule else ""
        where = _code(fd.pointer or "(root)")
        text += f"<br>{where}: flask {_code(flask)}, fastapi {_code(fastapi)}{known}"
    if len(d.fields) > MAX_FIELDS:
        text += f"<br>… and {len(d.fields) - MAX_FIELDS} more fields"
    if not d.fields and d.aspect != "status" and not d.rule:
        flask, fastapi = _excerpts(d.flask, d.fastapi)
        text += f"<br>flask {_code(flask)}, fastapi {_code(fastapi)}"
    return text


def to_markdown(report: ParityReport, heading_level: int = 1) -> str:
    """A table of every request; differences not accepted show their fields (or where the
    texts part), each rule linked to its page; warnings as an admonition."""
    h = "#" * heading_level
    counts = report.counts()
    out = [
        f"{h} Parity of `{report.fastapi}` with `{report.flask}`",
        "",
        f"{len(report.results)} requests from `{report.requests}`: {counts['same']} answered the "
        f"same, {counts['accepted']} differ only as accepted, {counts['known']} differ in known "
        f"ways not accepted, {counts['unexpected']} differ unexpectedly.",
        "",
    ]
    if report.warnings:
        out += [f'!!! warning "{len(report.warnings)} warning(s)"', ""]
        out += [f"    - {w}" for w in report.warnings]
        out.append("")
    out += [
        "| Request | Route | Flask | FastAPI | Outcome | Differences |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.results:
        diffs = "<br>".join(_md_difference(d) for d in r.differences)
        route = f"`{r.route}`" if r.route else "—"
        out.append(
            f"| `{r.method} {r.path}` ({r.id}) | {route} | {r.flask_status} | {r.fastapi_status} | "
            f"{r.outcome} | {diffs or '—'} |"
        )
    return "\n".join(out) + "\n"


def to_json(report: ParityReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


#: Characters XML 1.0 cannot hold, even escaped: a body may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def to_junit(report: ParityReport) -> str:
    """JUnit XML for CI: one test case per request, failed when a difference is not
    accepted (type `known` or `unexpected`, the text report's lines as the failure's text).
    Accepted differences are listed in the case's `system-out`, warnings in the suite's
    `system-err`. Readers: GitLab, Jenkins, GitHub actions that publish test reports."""
    counts = report.counts()
    suite = ET.Element(
        "testsuite",
        name=f"flask2fastapi parity: {report.fastapi} vs {report.flask}",
        tests=str(len(report.results)),
        failures=str(counts["known"] + counts["unexpected"]),
        errors="0",
        skipped="0",
    )
    for r in report.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="parity." + (r.route or f"{r.method} {r.path}").replace(".", "_"),
            name=_xml_text(f"{r.method} {r.path} [{r.id}]"),
        )
        details = to_text(ParityReport(report.flask, report.fastapi, report.requests, [r]), True)
        details = _xml_text(details.rsplit("\n", 2)[0])  # without the one-request count line
        if r.outcome in ("known", "unexpected"):
            first = next(d for d in r.differences if not d.accepted)
            failure = ET.SubElement(
                case,
                "failure",
                type=r.outcome,
                message=_xml_text(
                    f"{r.outcome}: {first.aspect} differs"
                    + (f" ({first.rule})" if first.rule else "")
                    + f"; flask {r.flask_status}, fastapi {r.fastapi_status}"
                ),
            )
            failure.text = details
        elif r.outcome == "accepted":
            ET.SubElement(case, "system-out").text = details
    if report.warnings:
        ET.SubElement(suite, "system-err").text = _xml_text("\n".join(report.warnings))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS = {"text": to_text, "md": to_markdown, "json": to_json, "junit": to_junit}
