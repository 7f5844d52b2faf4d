"""The route model: routes as the source declares them, joined across files.

Owners (apps, blueprints) are found by name resolution over every file's `FileScan`;
blueprint registrations give the URL and endpoint prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask2fastapi.knowledge import Knowledge
from flask2fastapi.paths import Route, _make_route
from flask2fastapi.source import FileScan, ScanError, _relative


@dataclass
class Blueprint:
    name: str
    url_prefix: str | None
    source: str


def _join(prefix: str | None, rule: str) -> str:
    if prefix is None:
        return rule
    if not rule:
        return prefix
    return "/".join((prefix.rstrip("/"), rule.lstrip("/")))


def _routes_from_source(
    scans: list[FileScan], knowledge: Knowledge, base: Path, with_routes: bool = True
) -> tuple[list[Route], list[Blueprint]]:
    """Routes and blueprints as the code declares them (`with_routes=False`: blueprints only)."""
    bps: dict[str, tuple[str, str | None, str]] = {}
    apps: set[str] = set()
    for s in scans:
        for var, (name, prefix, line) in s.blueprints.items():
            bps[f"{s.module}.{var}"] = (name, prefix, f"{_relative(s.path, base)}:{line}")
        apps |= {f"{s.module}.{var}" for var in s.apps}
    registrations = [r for s in scans for r in s.registrations]

    memo: dict[str, list[tuple[str, str | None]]] = {}

    def mounts(key: str, seen: frozenset[str] = frozenset()) -> list[tuple[str, str | None]]:
        """(endpoint prefix, url prefix) for every place a blueprint is registered."""
        if not seen and key in memo:
            return memo[key]
        name, own_prefix, _ = bps[key]
        found = []
        for reg in registrations:
            if reg.child != key or reg.parent in seen:
                continue
            prefix = reg.url_prefix if reg.url_prefix is not None else own_prefix
            bp_name = reg.name or name
            if reg.parent in bps:
                for parent_name, parent_prefix in mounts(reg.parent, seen | {key}):
                    found.append(
                        (
                            f"{parent_name}.{bp_name}",
                            _join(parent_prefix, prefix or "") if parent_prefix else prefix,
                        )
                    )
            else:
                found.append((bp_name, prefix))
        found = found or [(name, own_prefix)]
        if not seen:
            memo[key] = found
        return found

    routes: list[Route] = []
    for s in scans if with_routes else []:
        for raw in s.routes:
            source = f"{_relative(s.path, base)}:{raw.line}"
            if raw.owner in bps:
                for bp_name, prefix in mounts(raw.owner):
                    routes.append(
                        _make_route(
                            _join(prefix, raw.rule),
                            raw.methods,
                            f"{bp_name}.{raw.endpoint or raw.func}",
                            bp_name,
                            prefix,
                            source,
                            raw.info,
                            knowledge,
                        )
                    )
            else:
                routes.append(
                    _make_route(
                        raw.rule,
                        raw.methods,
                        raw.endpoint or raw.func,
                        None,
                        None,
                        source,
                        raw.info,
                        knowledge,
                    )
                )
    for s in scans if with_routes else []:
        if s.apps and s.static_folder:  # Flask adds it whether or not the folder exists
            routes.append(
                _make_route(
                    "/static/<path:filename>",
                    ["GET"],
                    "static",
                    None,
                    None,
                    f"{_relative(s.path, base)}:{min(s.apps.values())}",
                    None,
                    knowledge,
                )
            )
    blueprints = []
    seen_names = set()
    for key in bps:
        for bp_name, prefix in mounts(key):
            if bp_name not in seen_names:
                seen_names.add(bp_name)
                blueprints.append(Blueprint(bp_name, prefix, bps[key][2]))
    if not apps and not bps and not routes:
        raise ScanError("no Flask app found")
    return routes, blueprints
