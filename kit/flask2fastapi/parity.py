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
or by a glob on `METHOD /path?query` or on the request's id. Values are rule ids, or the aspects of
an unexplained difference (`status`, `body`, `header:<name>`), or `*` for anything.
"""

from __future__ import annotations

import io
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx2

from flask2fastapi.apps import BASE_URL, client_for
from flask2fastapi.knowledge import Knowledge
from flask2fastapi.rules import RULES
from flask2fastapi.traffic import Exchange, send_all

#: Response headers compared by default (besides those an exchange's `show_headers` names).
DEFAULT_HEADERS = ("content-type", "location", "allow")


class ConfigError(ValueError):
    """A parity config file that cannot be used; the message names the file."""


@dataclass
class Config:
    """What the reader accepts: `accept` maps a route key to rule ids or aspects."""

    headers: tuple[str, ...] = ()
    accept: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Config:
        if path is None:
            return cls()
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        unknown = set(raw) - {"headers", "accept"}
        if unknown:
            raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
        accept = raw.get("accept", {})
        for key, values in accept.items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{path}: accept.{key!r} must be a list of strings")
            for value in values:
                if value not in RULES and value != "*" and not _is_aspect(value):
                    raise ConfigError(f"{path}: accept.{key!r}: unknown rule or aspect {value!r}")
        return cls(tuple(h.lower() for h in raw.get("headers", [])), accept)

    def accepted(self, keys: list[str]) -> set[str]:
        """Every rule id or aspect accepted for a request known by `keys`."""
        found: set[str] = set()
        for pattern, values in self.accept.items():
            if any(pattern == k or fnmatchcase(k, pattern) for k in keys):
                found |= set(values)
        return found


def _is_aspect(value: str) -> bool:
    return value in ("status", "body") or value.startswith("header:")


@dataclass
class Difference:
    """One aspect that differs: `aspect` (`status`, `body`, `header:<name>`), both values,
    and how it is explained: `rule` and `page` (None when unexpected), `accepted`."""

    aspect: str
    flask: Any
    fastapi: Any
    rule: str | None = None
    page: str | None = None
    accepted: bool = False


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
    flask: str
    fastapi: str
    requests: str
    results: list[Result]

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


def _json(response: httpx2.Response) -> tuple[bool, Any]:
    if "json" not in response.headers.get("content-type", ""):
        return False, None
    try:
        return True, json.loads(response.content)
    except ValueError:
        return False, None


def _location(response: httpx2.Response, path: str) -> str | None:
    value = response.headers.get("location")
    return urljoin(BASE_URL + path, value) if value is not None else None


def _methods(value: str | None) -> set[str]:
    return {m.strip() for m in (value or "").split(",") if m.strip()}


def compare(
    item: Exchange, f: httpx2.Response, a: httpx2.Response, headers: tuple[str, ...]
) -> list[Difference]:
    """The aspects in which the two answers differ, each explained by a rule when one fits."""
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
        if f_value != a_value or f.content != a.content:
            diffs.append(Difference("body", f.text, a.text))
    elif f.content != a.content:
        diffs.append(Difference("body", f.text, a.text))
    _explain(item, f, a, diffs)
    return diffs


def _explain(
    item: Exchange, f: httpx2.Response, a: httpx2.Response, diffs: list[Difference]
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
            and _location(a, item.path) == urljoin(BASE_URL, item.path.split("?")[0].rstrip("/"))
        ):
            mark("extra-slash-redirect", *whole, "header:location")
        elif fs in (301, 302, 303) and as_ == 307:
            mark("redirect-307", *whole)
        elif item.method in ("HEAD", "OPTIONS") and 200 <= fs < 300 and as_ == 405:
            mark("head-options", *whole, "header:allow")
        elif fs == 200 and as_ == 422 and "?" in item.path:
            mark("query-422", *whole)
    if "header:location" in aspects and _location(f, item.path) == _location(a, item.path):
        mark("absolute-location", "header:location")
    if fs == as_ == 405 and "header:allow" in aspects:
        extra = _methods(f.headers.get("allow")) - _methods(a.headers.get("allow"))
        if extra and extra <= {"HEAD", "OPTIONS"}:
            mark("allow-header", "header:allow")
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
    if f_is_json and a_is_json and f_value == a_value and "body" in aspects:
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
) -> ParityReport:
    """Send `items` to both apps and compare every answer (see the module's docstring).

    Tracebacks of 500s are kept out of the output: a 500 on one side shows as a difference.
    """
    config = config or Config()
    errors = io.StringIO()
    with client_for("flask", flask_app, errors) as fc:
        flask_answers = send_all(fc, items)
    with client_for("fastapi", fastapi_app, errors) as ac:
        fastapi_answers = send_all(ac, items)
    knowledge = knowledge or Knowledge.load()
    results = []
    for item, f, a in zip(items, flask_answers, fastapi_answers, strict=True):
        keys, route = _route_keys(flask_app, item)
        accepted = config.accepted(keys)
        diffs = compare(item, f, a, config.headers)
        for d in diffs:
            d.accepted = (
                "*" in accepted
                or (d.rule is not None and (accept_known or d.rule in accepted))
                or (d.rule is None and d.aspect in accepted)
            )
            if d.rule:
                d.page = knowledge.page(RULES[d.rule].page).url
        results.append(
            Result(item.id, item.method, item.path, route, f.status_code, a.status_code, diffs)
        )
    return ParityReport(*names, results)


# ------------------------------------------------------------------------------ rendering


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_text(report: ParityReport, verbose: bool = False) -> str:
    """One line per request that differs (all with `verbose`), then the counts."""
    lines = []
    for r in report.results:
        if r.outcome == "same" and not verbose:
            continue
        if r.outcome == "accepted" and not verbose:
            continue
        lines.append(f"{r.outcome.upper():10} {r.method} {r.path} [{r.id}]")
        for d in r.differences:
            state = "accepted" if d.accepted else ("known: " + d.rule if d.rule else "UNEXPECTED")
            lines.append(f"    {d.aspect}: flask {_short(d.flask)} | fastapi {_short(d.fastapi)}")
            lines.append(f"      {state}" + (f" — {d.page}" if d.page else ""))
    counts = report.counts()
    lines.append(
        f"{len(report.results)} requests: {counts['same']} same, {counts['accepted']} accepted, "
        f"{counts['known']} known but not accepted, {counts['unexpected']} unexpected"
    )
    return "\n".join(lines) + "\n"


def to_markdown(report: ParityReport, heading_level: int = 1) -> str:
    h = "#" * heading_level
    counts = report.counts()
    out = [
        f"{h} Parity of `{report.fastapi}` with `{report.flask}`",
        "",
        f"{len(report.results)} requests from `{report.requests}`: {counts['same']} answered the "
        f"same, {counts['accepted']} differ only as accepted, {counts['known']} differ in known "
        f"ways not accepted, {counts['unexpected']} differ unexpectedly.",
        "",
        "| Request | Route | Flask | FastAPI | Outcome | Differences |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.results:
        diffs = "<br>".join(
            f"{d.aspect}: "
            + (f"[{d.rule}]({d.page})" if d.rule else "unexplained")
            + (" (accepted)" if d.accepted else "")
            for d in r.differences
        )
        route = f"`{r.route}`" if r.route else "—"
        out.append(
            f"| `{r.method} {r.path}` ({r.id}) | {route} | {r.flask_status} | {r.fastapi_status} | "
            f"{r.outcome} | {diffs or '—'} |"
        )
    return "\n".join(out) + "\n"


def to_json(report: ParityReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": to_text, "md": to_markdown, "json": to_json}
