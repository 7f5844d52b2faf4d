"""Path conversion: a Werkzeug rule → the FastAPI path, parameter types, decorator, and
the client-visible changes (the `difference` rules) that apply to one route."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask2fastapi.knowledge import Knowledge, Link
from flask2fastapi.rules import RULES
from flask2fastapi.source import FuncInfo, _const

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
RULE_PART = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<variable>[a-zA-Z_]\w*)>"
)


@dataclass
class Change:
    """A client-visible change on one route: the rule's id, what changes, the guide page."""

    rule: str
    text: str
    page: Link


@dataclass
class Parameter:
    """A path parameter: Flask's converter (and its arguments) and the FastAPI annotation."""

    name: str
    converter: str
    fastapi_type: str


@dataclass
class Route:
    """One route, as Flask serves it and as the FastAPI port declares it."""

    rule: str
    methods: list[str]
    endpoint: str
    blueprint: str | None
    url_prefix: str | None
    fastapi_path: str
    fastapi_decorator: str
    parameters: list[Parameter]
    changes: list[Change]
    source: str | None
    found_by: str = ""  # how: decorator, add_url_rule, restx, url_map…


@lru_cache(maxsize=1024)
def _converter_args(text: str | None) -> tuple[list[Any], dict[str, Any]]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if not text:
        return args, kwargs
    for part in (p.strip() for p in text.split(",")):
        key, eq, value = part.partition("=")
        raw = value if eq else key
        parsed = _const(ast.parse(raw.strip(), mode="eval").body) if raw.strip() else None
        if parsed is None:
            parsed = raw.strip()
        if eq:
            kwargs[key.strip()] = parsed
        else:
            args.append(parsed)
    return args, kwargs


def fastapi_parameter(converter: str, args_text: str | None) -> tuple[str, bool]:
    """The FastAPI annotation for a Flask converter, and whether the path uses `:path`.

    `int(min=1)` → `Annotated[int, Path(ge=1)]`; `any(a, b)` → `Literal["a", "b"]`;
    `uuid` → `UUID`; `path` → `str` in a `{name:path}` segment; anything unknown → `str`.
    """
    try:
        args, kwargs = _converter_args(args_text)
    except SyntaxError:
        args, kwargs = [], {}
    if converter in ("int", "float"):
        bounds = [
            f"{new}={kwargs[old]!r}" for old, new in (("min", "ge"), ("max", "le")) if old in kwargs
        ]
        return (
            f"Annotated[{converter}, Path({', '.join(bounds)})]" if bounds else converter
        ), False
    if converter == "uuid":
        return "UUID", False
    if converter == "path":
        return "str", True
    if converter == "any":
        return "Literal[" + ", ".join(f'"{a}"' for a in args) + "]", False
    limits = {
        "length": ("min_length", "max_length"),
        "minlength": ("min_length",),
        "maxlength": ("max_length",),
    }
    bounds = [
        f"{new}={kwargs[old]!r}" for old, news in limits.items() if old in kwargs for new in news
    ]
    return (f"Annotated[str, Path({', '.join(bounds)})]" if bounds else "str"), False


def convert_rule(rule: str) -> tuple[str, list[Parameter]]:
    """A Werkzeug rule → the FastAPI path and its parameters."""
    params: list[Parameter] = []

    def swap(match: re.Match[str]) -> str:
        converter = match["converter"] or "string"
        fastapi_type, is_path = fastapi_parameter(converter, match["args"])
        spelled = converter + (f"({match['args']})" if match["args"] else "")
        params.append(Parameter(match["variable"], spelled, fastapi_type))
        return "{" + match["variable"] + (":path" if is_path else "") + "}"

    return RULE_PART.sub(swap, rule), params


def route_changes(
    rule: str,
    methods: list[str],
    params: list[Parameter],
    info: FuncInfo | None,
    knowledge: Knowledge,
) -> list[Change]:
    """The guide's tested differences that apply to one route."""
    changes: list[Change] = []

    def add(rule_id: str, text: str) -> None:
        changes.append(Change(rule_id, text, knowledge.page(RULES[rule_id].page)))

    for p in params:
        base = p.converter.partition("(")[0]
        if base in ("int", "float", "uuid"):
            text = f"a malformed `{p.name}` answers 422 instead of 404"
            if base in ("int", "float") and not {"signed", "min"} & set(
                re.findall(r"\w+", p.converter)
            ):
                text += f"; a negative `{p.name}` now matches (Flask needed `signed=True`)"
            add("converter-422", text)
        elif base == "path":
            add("converter-422", f"`{p.name}` may now be empty or start with `/`: check it")
    if "GET" in methods:
        add("head-options", "HEAD and OPTIONS answer 405 unless you declare them")
    else:
        add("head-options", "OPTIONS answers 405 unless you declare it")
    if rule.endswith("/") and rule != "/":
        add("slash-redirect-307", f"`{rule.rstrip('/')}` redirects here with 307 instead of 308")
    elif rule != "/":
        add("extra-slash-redirect", f"`{rule}/` redirects here with 307 instead of answering 404")
    if info is None:
        return changes
    if info.returns_html:
        add("str-json", "a returned str becomes a JSON string: return an HTMLResponse")
    if info.returns_json:
        add("json-key-order", "JSON keys keep insertion order and the final newline goes")
    if (
        BODY_METHODS & set(methods)
        and {"flask.Request.get_json", "flask.Request.json"} & info.names
    ):
        add("json-body-422", "a malformed or missing JSON body answers 422 instead of 400")
    if "flask.redirect" in info.names:
        add("redirect-307", "`RedirectResponse` answers 307 where `redirect()` answered 302")
    if "flask.abort" in info.names:
        add("error-envelope", '`HTTPException` answers JSON `{"detail": ...}`, not HTML')
    return changes


def fastapi_decorator(router: str, path: str, methods: list[str]) -> str:
    if len(methods) == 1:
        return f'@{router}.{methods[0].lower()}("{path}")'
    listed = ", ".join(f'"{m}"' for m in methods)
    return f'@{router}.api_route("{path}", methods=[{listed}])'


def _make_route(
    rule: str,
    methods: Iterable[str] | None,
    endpoint: str,
    blueprint: str | None,
    url_prefix: str | None,
    source: str | None,
    info: FuncInfo | None,
    knowledge: Knowledge,
) -> Route:
    declared = sorted(set(methods or ["GET"]) - AUTOMATIC_METHODS) or sorted(
        set(methods or ["GET"])
    )
    path, params = convert_rule(rule)
    router = (blueprint or "app").replace(".", "_")
    relative = path
    if blueprint and url_prefix and url_prefix != "/":
        prefix, _ = convert_rule(url_prefix.rstrip("/"))
        relative = path.removeprefix(prefix) if path.startswith(prefix) else path
    return Route(
        rule=rule,
        methods=declared,
        endpoint=endpoint,
        blueprint=blueprint,
        url_prefix=url_prefix,
        fastapi_path=path,
        fastapi_decorator=fastapi_decorator(router, relative, declared),
        parameters=params,
        changes=route_changes(rule, declared, params, info, knowledge),
        source=source,
    )
