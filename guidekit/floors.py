"""Version floors: behaviours that changed upstream, measured on older releases.

A test whose expectation depends on a release says so in one place:

    @pytest.mark.change("bearer-401")
    def test_x(client, framework):
        expected = 401 if has("bearer-401") else 403

`CHANGES` names each change: the package, what older releases do and what newer ones do,
and the page whose "since" note states it. Its first release is never typed: it is
measured, and both `has()` and the notes read it from `data/floors.json` (committed,
generated, never edited by hand), which two sessions write:

* `nox -s bisect [-- CHANGE ...]` (guidekit/bisect.py): for each change, the package's
  releases between the floor and the lock, each installed over the lock, the tests marked
  with the change run expecting the new behaviour, a binary search for the first release
  where they pass. Writes `bisect.<change>`: `first` (or `problem` when the search could not
  decide: not monotonic, not installable) and every probe with what the resolver installed.
* `nox -s floors`: the whole suite on an older release set (`FLOOR_SET` in noxfile.py), and
  `python -m guidekit.floors JUNIT` records what it measured: the versions installed, the
  tests that failed (with their `change` marks), and for each change the outcome of the
  tests marked with it. `python -m guidekit.floors JUNIT --merge` folds in a rerun of some
  modules in the same floor environment (`.nox/floors`), replacing only their outcomes.

`nox -s generate` turns that record into `includes/since/<change>.md`, the notes pages include.
"""

from __future__ import annotations

import functools
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version

from guidekit import fragments
from guidekit.topics import ROOT

#: The packages whose versions the record names.
PACKAGES = ("Flask", "Werkzeug", "FastAPI", "fastapi-cli", "Starlette", "Pydantic")
FLOORS_FILE = ROOT / "data" / "floors.json"
SINCE_DIR = ROOT / "includes" / "since"


@dataclass(frozen=True)
class Change:
    """A behaviour that a release of `package` introduced (its first release is measured).

    `before` / `after`: what older releases and this one on do (one clause each, Markdown).
    `pages`: the pages (under docs/) whose claims depend on it; each includes the since note
    `includes/since/<change>.md`. Empty for a change that only the guide's own tooling
    depends on, and then `reason` says which tooling and why.
    `feature`: an API that older releases do not have at all (the note says "needs").
    """

    package: str
    before: str
    after: str
    pages: tuple[str, ...] = ()
    feature: bool = False
    reason: str = ""


CHANGES = {
    # FastAPI
    "bearer-401": Change(
        "FastAPI",
        "`HTTPBearer` answers 403 with no `WWW-Authenticate` header",
        "`HTTPBearer` answers 401 with `WWW-Authenticate: Bearer`",
        ("security/authorization.md", "extensions/flask-httpauth.md"),
    ),
    "bearer-scopes-in-openapi": Change(
        "FastAPI",
        "an operation's `security` in OpenAPI lists no scopes for `HTTPBearer`",
        "an operation's `security` in OpenAPI names the scopes its `Security(scopes=...)` "
        "dependencies require, for `HTTPBearer` too",
        ("security/authorization.md",),
    ),
    "response-model-nan-as-null": Change(
        "FastAPI",
        "an answer through a response model that holds NaN is a 500 (`Out of range float "
        "values are not JSON compliant`)",
        "an answer through a response model writes NaN as `null`; a plain dict holding NaN "
        "is still a 500",
        ("requests/hostile-input.md",),
    ),
    "max-body-size": Change(
        "FastAPI",
        "`FastAPI(max_body_size=...)` is accepted and silently ignored: no limit at all",
        "`FastAPI(max_body_size=...)` answers 413 to a larger body",
        ("requests/file-uploads.md",),
    ),
    "fastapi-sse": Change(
        "FastAPI",
        "there is no `fastapi.sse` module",
        "`fastapi.sse` frames server-sent events: `EventSourceResponse`, `ServerSentEvent`",
        ("responses/streaming.md",),
        feature=True,
    ),
    "jsonl-streaming": Change(
        "FastAPI",
        "a route that yields sends no JSON Lines",
        "a route that yields, with no response class, streams JSON Lines (`application/jsonl`)",
        ("responses/streaming.md",),
        feature=True,
    ),
    "json-needs-content-type": Change(
        "FastAPI",
        "a body sent without `Content-Type` is parsed as JSON",
        "a body is parsed as JSON only when its `Content-Type` says JSON; without one the "
        "model receives the raw text (422)",
        ("requests/json-body.md", "extensions/flask-restful.md"),
    ),
    "form-empty-is-missing": Change(
        "FastAPI",
        "an empty form field (`item=`) reaches a `str` field as the empty string, "
        "required or optional",
        "an empty form field (`item=`) counts as absent: the default, or 422 when required",
        ("requests/form-data.md", "testing/testing.md"),
    ),
    # fastapi-cli
    "fastapi-dev-env": Change(
        "fastapi-cli",
        "`fastapi dev` does not set `FASTAPI_ENV`",
        "`fastapi dev` sets `FASTAPI_ENV=development`",
        ("start/running-the-app.md",),
    ),
    "fastapi-requires-python": Change(
        "FastAPI",
        "FastAPI's `Requires-Python` is lower than 3.11",
        "FastAPI's `Requires-Python` is `>=3.11`",
        ("start/hello-world.md",),
    ),
    # Starlette
    "session-vary-cookie": Change(
        "Starlette",
        "`SessionMiddleware` sends no `Vary: Cookie`",
        "`SessionMiddleware` adds `Vary: Cookie` to the answers of requests that use the session",
        ("security/sessions.md",),
    ),
    "session-saved-when-assigned": Change(
        "Starlette",
        "`SessionMiddleware` sends the cookie again with every answer while the session is "
        "not empty, so a value changed in place is saved too",
        "`SessionMiddleware` sends the cookie only when the session was assigned to: a value "
        "changed in place is not saved",
        ("security/sessions.md", "migrating/incremental-migration.md"),
    ),
    "cors-preflight-vary": Change(
        "Starlette",
        "`CORSMiddleware` answers a preflight with `Vary: Origin`",
        "`CORSMiddleware` answers a preflight with `Vary` naming `Origin` and the "
        "`Access-Control-Request-*` headers",
        ("security/cors.md",),
    ),
    "staticfiles-405-allow": Change(
        "Starlette",
        "`StaticFiles` answers 405 with no `Allow` header",
        "`StaticFiles` answers 405 with `Allow: GET, HEAD`",
        ("pages/static-files.md",),
    ),
    "staticfiles-nul-byte": Change(
        "Starlette",
        "a NUL byte in a `StaticFiles` path is a 500 (`ValueError: embedded null byte`)",
        "a NUL byte in a `StaticFiles` path is not a 500",
        ("pages/static-files.md", "extensions/flask-admin.md"),
    ),
    "templates-autoescape-by-extension": Change(
        "Starlette",
        "`Jinja2Templates` escapes every template, whatever its file name",
        "`Jinja2Templates` escapes by file extension (Jinja's `select_autoescape`)",
        ("pages/templates.md",),
    ),
    "templateresponse-request-first": Change(
        "Starlette",
        "`TemplateResponse(name, context)` (name first) is still accepted",
        "`TemplateResponse(name, context)` (name first) raises `TypeError`: the request "
        "comes first",
        ("pages/templates.md",),
    ),
    "gzip-skips-compressed-types": Change(
        "Starlette",
        "`GZipMiddleware` compresses every type, images included",
        "`GZipMiddleware` leaves already-compressed types (`image/png`...) alone",
        ("extensions/flask-compress.md",),
    ),
    "starlette-deprecation-warning": Change(
        "Starlette",
        "importing `starlette.middleware.wsgi` warns with a plain `DeprecationWarning`",
        "importing `starlette.middleware.wsgi` warns with `StarletteDeprecationWarning`",
        ("migrating/incremental-migration.md",),
        feature=True,
    ),
    "testclient-anyio-portal": Change(
        "Starlette",
        "`TestClient` imports `anyio.abc.BlockingPortal`, which today's anyio deprecates",
        "`TestClient` imports no deprecated anyio name",
        reason="the scaffold tests run a new topic's tests in a nested pytest, which turns "
        "every warning into an error",
    ),
    # Werkzeug
    "send-file-accept-ranges": Change(
        "Werkzeug",
        "`send_file` sends no `Accept-Ranges` header to a GET or HEAD without `Range`",
        # make_conditional, which sets it, runs for GET and HEAD with conditional=True only.
        "`send_file` sends `Accept-Ranges: bytes` to every GET and HEAD request"
        " (with `conditional=True`, its default)",
        ("responses/custom-responses.md", "pages/static-files.md"),
    ),
    "www-authenticate-no-trailing-space": Change(
        "Werkzeug",
        "`WWW-Authenticate` for a scheme with no parameters ends with a space (`Bearer `)",
        "`WWW-Authenticate` for a scheme with no parameters is the bare scheme (`Bearer`)",
        ("errors/errors-and-abort.md",),
    ),
    "form-memory-limit": Change(
        "Werkzeug",
        "a text field of a multipart form has no size limit",
        "a text field of a multipart form over 500 kB answers 413 (Flask's `MAX_FORM_MEMORY_SIZE`)",
        ("requests/form-data.md",),
    ),
    # Flask
    "session-untag-after-loads": Change(
        "Flask",
        "the session's tagged JSON is untagged by the `object_hook` passed to the provider's "
        "`loads`: a provider that ignores it (the orjson one) leaves tuples, bytes and dates "
        "tagged",
        "the session's tagged JSON is untagged after `loads`, whatever the JSON provider",
        ("requests/hostile-input.md",),
    ),
    "trusted-hosts": Change(
        "Flask",
        "the `TRUSTED_HOSTS` setting is not read: any `Host` is served",
        "`TRUSTED_HOSTS` answers 400 to a `Host` it does not list",
        ("routing/trailing-slashes-and-redirects.md", "extensions/flask-talisman.md"),
    ),
    "open-resource-encoding": Change(
        "Flask",
        "`Flask.open_resource` takes no `encoding`",
        "`Flask.open_resource(name, mode, encoding)` opens text with an encoding",
        ("structure/instance-and-resources.md",),
        feature=True,
    ),
    "flask-31-config-keys": Change(
        "Flask",
        "`Flask.default_config` has no `TRUSTED_HOSTS`, `SECRET_KEY_FALLBACKS`, "
        "`MAX_FORM_MEMORY_SIZE`, `MAX_FORM_PARTS`, `SESSION_COOKIE_PARTITIONED`, "
        "`PROVIDE_AUTOMATIC_OPTIONS`",
        "`Flask.default_config` has them",
        feature=True,
        reason="the Flask API index and the kit's knowledge check each declared `config.KEY` "
        "against the installed Flask's `default_config`",
    ),
    "session-in-varies-cookie": Change(
        "Flask",
        "`key in session` does not mark the session accessed: no `Vary: Cookie`",
        "`key in session` marks the session accessed: `Vary: Cookie`",
        reason="the kit's parity report compares `Vary` on an app whose Flask-Login checks "
        "`key in session`",
    ),
    "flask-requires-python": Change(
        "Flask",
        "Flask's `Requires-Python` is `>=3.8`",
        "Flask's `Requires-Python` is `>=3.9`",
        ("start/hello-world.md",),
    ),
}

#: has()'s answer forced for a change (conftest's `--change-expect`, used by the bisect).
_ASSUMED: dict[str, bool] = {}


def assume(change: str, present: bool) -> None:
    """Make `has(change)` answer `present` whatever is installed (the bisect's expectation)."""
    if change not in CHANGES:
        raise KeyError(f"{change!r} is not in CHANGES")
    _ASSUMED[change] = present


@functools.cache
def _record() -> dict:
    return json.loads(FLOORS_FILE.read_text()) if FLOORS_FILE.is_file() else {}


def first_release(change: str) -> str:
    """The measured first release of `change` (data/floors.json, written by `nox -s bisect`).

    Raises KeyError for a name not in `CHANGES`, LookupError when the bisect has not run
    for it or could not decide (its `problem` is in the message).
    """
    if change not in CHANGES:
        raise KeyError(f"{change!r} is not in CHANGES")
    measured = _record().get("bisect", {}).get(change)
    if not measured or not measured.get("first"):
        problem = (measured or {}).get("problem") or "not measured yet"
        raise LookupError(f"change {change!r}: {problem}; run `nox -s bisect -- {change}`")
    return measured["first"]


def has(change: str) -> bool:
    """Whether the installed package already has `change` (a key of `CHANGES`).

    Compares the installed release with the measured first one (`first_release`), unless
    the run forces the answer (`assume`).
    """
    if change in _ASSUMED:
        return _ASSUMED[change]
    item = CHANGES[change]
    return Version(version(item.package)) >= Version(first_release(change))


def record(junit: Path) -> dict:
    """What a floors run measured: installed versions, the failed tests with the changes
    each is marked with, and per change the outcome of its tests."""
    outcomes: dict[str, dict[str, str]] = {name: {} for name in CHANGES}
    failed: dict[str, list[str]] = {}
    for case in ET.parse(junit).iter("testcase"):  # noqa: S314 - our own pytest report
        test = f"{case.get('classname')}::{case.get('name')}"
        marks = sorted({p.get("value") for p in case.iter("property") if p.get("name") == "change"})
        outcome = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
            failed[test] = marks
        elif case.find("skipped") is not None:
            outcome = "skipped"
        for name in marks:
            if name in outcomes:
                outcomes[name][test] = outcome
    return {
        "versions": {name: version(name) for name in PACKAGES},
        "failed": dict(sorted(failed.items())),
        "changes": {
            name: {
                "package": item.package,
                "floor": version(item.package),
                "floor_has_it": _has_or_none(name),
                "tests": dict(sorted(outcomes[name].items())),
            }
            for name, item in CHANGES.items()
        },
    }


def _has_or_none(change: str) -> bool | None:
    try:
        return has(change)
    except LookupError:  # not measured: the record says so rather than guessing
        return None


def since_note(name: str, floors: dict) -> str:
    """The "since" note of one change, from the committed record (data/floors.json).

    States the measured first release (`nox -s bisect`) and, where the floor run exercised
    the change, what the floor did. A change the bisect could not decide says so.
    """
    item = CHANGES[name]
    lines = ["<!-- Generated by `nox -s generate` from data/floors.json. Do not edit. -->", ""]
    bisect = floors.get("bisect", {}).get(name) or {}
    first = bisect.get("first")
    if not first:
        problem = bisect.get("problem") or "not measured yet"
        text = f"**{item.package}:** {item.after}; older releases: {item.before}. "
        text += f"The first release with it could not be measured ({problem})."
        lines.append(f'!!! warning "Version"\n    {text}')
        return "\n".join(lines) + "\n"
    lead = "Needs" if item.feature else "Since"
    sign = " ≥" if item.feature else ""
    text = f"**{lead} {item.package}{sign} {first}:** {item.after}."
    text += f" Measured: the tests marked with it fail on {bisect.get('previous')} and pass"
    text += f" on {first}, other packages at the lock where it allows (`nox -s bisect`)."
    measured = floors.get("changes", {}).get(name)
    side = "[flask" if item.package in ("Flask", "Werkzeug") else "[fastapi"
    held = [  # the variants that exercise the change and pinned its old answer on the floor
        test
        for test, outcome in (measured or {}).get("tests", {}).items()
        if side in test and outcome == "passed"
    ]
    if measured and measured.get("floor_has_it") is False and held and not item.feature:
        tests = f"{len(held)} test" + "s" * (len(held) != 1)
        where = f"{tests} on {item.package} {measured['floor']}, `nox -s floors`"
        if set(held) & set(bisect.get("previous_before_failed", ())):  # not the last old answer
            where += f"; not on {bisect['previous']}, which answers otherwise"
        text += f" Older releases: {item.before} ({where})."
    lines.append(f'!!! info "Version"\n    {text}')
    return "\n".join(lines) + "\n"


def generate(check: bool = False) -> list[Path]:
    """Rewrite `includes/since/*.md` from data/floors.json. Returns the stale ones.

    Only changes that some page states have a note; a tooling-only change has none.
    """
    floors = json.loads(FLOORS_FILE.read_text()) if FLOORS_FILE.is_file() else {}
    stale = []
    for name in (name for name, item in CHANGES.items() if item.pages):
        stale += fragments.sync(SINCE_DIR / f"{name}.md", since_note(name, floors), check)
    return stale


def write(**parts: object) -> dict:
    """Update parts of data/floors.json (each session writes its own keys), keeping the rest."""
    data = json.loads(FLOORS_FILE.read_text()) if FLOORS_FILE.is_file() else {}
    data.update(parts)
    order = ("versions", "failed", "changes", "bisect")
    data = {key: data[key] for key in (*order, *sorted(set(data) - set(order))) if key in data}
    FLOORS_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    _record.cache_clear()
    return data


def merge(old: dict, new: dict, ran: set[str]) -> dict:
    """`old` with the outcomes of the tests in `ran` (a partial rerun, `new`) replacing theirs."""
    failed = {t: m for t, m in old.get("failed", {}).items() if t not in ran}
    changes = {}
    for name, item in new["changes"].items():
        kept = {t: o for t, o in old.get("changes", {}).get(name, {}).get("tests", {}).items()}
        tests = {t: o for t, o in kept.items() if t not in ran} | item["tests"]
        changes[name] = {**item, "tests": dict(sorted(tests.items()))}
    failed |= new["failed"]
    return {**new, "failed": dict(sorted(failed.items())), "changes": changes}


def main(argv: list[str]) -> int:
    """`python -m guidekit.floors JUNIT [--merge]`: record a floors run (`--merge`: a rerun of
    some tests on the same floor set, whose outcomes replace theirs in the record)."""
    junit, *option = argv
    data = record(Path(junit))
    if option == ["--merge"]:
        ran = {
            f"{case.get('classname')}::{case.get('name')}"
            for case in ET.parse(junit).iter("testcase")  # noqa: S314 - our own pytest report
        }
        old = json.loads(FLOORS_FILE.read_text())
        if old["versions"] != data["versions"]:
            raise SystemExit(f"--merge: not the floor set of the record: {data['versions']}")
        data = merge(old, data, ran)
    data = write(**data)
    print(f"wrote {FLOORS_FILE.relative_to(ROOT)}: {len(data['failed'])} tests failed on")
    print("  " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()))
    for test, marks in data["failed"].items():
        print(f"  FAILED {test}" + (f" (change: {', '.join(marks)})" if marks else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
