"""The extensions map: Flask extensions and what replaces each, with versions from PyPI.

`data/extensions.toml` says what replaces what (written by people, reviewed in pull
requests). `data/pypi-versions.json` records the newest release of every package named
there, as the package index reported it on the date it holds; `nox -s refresh-versions`
asks PyPI again about all of them, `nox -s refresh-versions -- --missing` only about the
packages a new row added (each keeps its own `checked` date). `python -m guidekit` renders
both into `includes/extensions-map.md`, which `docs/migrating/extensions-map.md` includes,
and into `includes/extension-releases.md`, one section per extension (named by its PyPI
name) that the extension's own page includes:
`--8<-- "includes/extension-releases.md:flask-login"`. No version on a page is typed.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any

from guidekit import fragments
from guidekit.topics import ROOT

DATA_FILE = ROOT / "data" / "extensions.toml"
VERSIONS_FILE = ROOT / "data" / "pypi-versions.json"
MAP_FILE = ROOT / "includes" / "extensions-map.md"
RELEASES_FILE = ROOT / "includes" / "extension-releases.md"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"


def extensions() -> list[dict[str, Any]]:
    return tomllib.loads(DATA_FILE.read_text())["extension"]


def packages() -> list[str]:
    """Every PyPI name the map mentions, Flask extensions and replacements alike."""
    names = {e["pypi"] for e in extensions()}
    names |= {p for e in extensions() for p in e["replacement_pypi"]}
    return sorted(names)


def fetch_latest(name: str) -> dict[str, str]:
    """Newest release of a package and its upload date, from PyPI's JSON API."""
    with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=30) as response:  # noqa: S310 - fixed https URL
        data = json.load(response)
    version = data["info"]["version"]
    files = data["releases"].get(version) or [{}]
    uploaded = min((f.get("upload_time_iso_8601", "") for f in files), default="")
    return {"version": version, "released": uploaded[:10]}


def add_missing() -> list[str]:
    """Ask PyPI only about the packages the record lacks (new rows); returns their names."""
    record = json.loads(VERSIONS_FILE.read_text())
    missing = [name for name in packages() if name not in record["packages"]]
    for name in missing:  # asked later than the others: keeps its own date
        record["packages"][name] = fetch_latest(name) | {"checked": dt.date.today().isoformat()}
    VERSIONS_FILE.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return missing


def refresh() -> Path:
    """Ask PyPI for every package's newest release and record it with today's date."""
    record = {
        "checked": dt.date.today().isoformat(),
        "packages": {name: fetch_latest(name) for name in packages()},
    }
    VERSIONS_FILE.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return VERSIONS_FILE


def _checked_on(record: dict[str, Any], names: list[str]) -> str:
    """The date(s) PyPI was asked about these packages: the record's, or a later own one."""
    dates = sorted({record["packages"][n].get("checked", record["checked"]) for n in names})
    return " and ".join(dates)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    record = json.loads(VERSIONS_FILE.read_text())
    known = record["packages"]

    def pkg(name: str) -> str:
        info = known[name]
        link = f"[`{name}`](https://pypi.org/project/{name}/)"
        return f"{link} {info['version']} ({info['released'][:7]})"

    lines = [
        "<!-- Generated from data/extensions.toml and data/pypi-versions.json by "
        "`nox -s generate`. Do not edit. -->",
        "",
        "| Flask extension | In FastAPI | Packages (latest release) | Topic |",
        "|---|---|---|---|",
    ]
    for ext in extensions():
        replacement = _cell(ext["replacement"]) + "<br>" + _cell(ext["note"])
        packages_cell = "<br>".join(pkg(p) for p in ext["replacement_pypi"]) or "built in"
        topic = f"[see topic]({ext['topic']})" if ext["topic"] else "—"
        lines.append(f"| {pkg(ext['pypi'])} | {replacement} | {packages_cell} | {topic} |")
    lines += ["", f"Latest releases as reported by PyPI on {_checked_on(record, packages())}."]
    return "\n".join(lines) + "\n"


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def render_releases() -> str:
    """One section per extension: its latest release and its replacements', from PyPI, and
    the versions the tests ran against (the installed ones)."""
    record = json.loads(VERSIONS_FILE.read_text())
    known = record["packages"]

    def pkg(name: str) -> str:
        info = known[name]
        text = f"[`{name}`](https://pypi.org/project/{name}/): latest release {info['version']}"
        text += f" ({info['released'][:7]})"
        tested = _installed(name)
        return text + (f", tested here with {tested}" if tested else "")

    out = [
        "<!-- Generated from data/extensions.toml, data/pypi-versions.json and the installed "
        "packages by `nox -s generate`. Do not edit. -->"
    ]
    for ext in extensions():
        out += ["", f"<!-- --8<-- [start:{ext['pypi']}] -->", ""]
        out.append(f"| {ext['name']} | replaced by |")
        out.append("|---|---|")
        replacements = [pkg(p) for p in ext["replacement_pypi"]] or ["built into FastAPI"]
        out.append(f"| {pkg(ext['pypi'])} | {'<br>'.join(replacements)} |")
        names = [ext["pypi"], *ext["replacement_pypi"]]
        out += ["", f"Latest releases as reported by PyPI on {_checked_on(record, names)}."]
        out += ["<!-- --8<-- [end:" + ext["pypi"] + "] -->"]
    return "\n".join(out) + "\n"


def generate(check: bool = False) -> list[Path]:
    return fragments.sync(MAP_FILE, render(), check) + fragments.sync(
        RELEASES_FILE, render_releases(), check
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--missing"]:  # `nox -s refresh-versions -- --missing`
        print(f"asked PyPI about: {', '.join(add_missing()) or 'nothing'}")
    else:
        print(f"wrote {refresh().relative_to(ROOT)}")
