"""The Flask API index: every public Flask/Werkzeug name an app may use, and the topic covering it.

Three sources, one result:

- **The names** are read from the installed packages (`names()`), never typed, so a Flask
  release that adds API shows up as a failing meta-test in `nox -s latest`.
- **Pages declare what they explain** in front matter, key `flask_api` (read through
  `guidekit.pages.topic_pages`, the loader the cheat sheet and the search keywords use too):

  ```yaml
  flask_api:
    - flask.Request.accept_mimetypes           # the page as a whole covers it
    - name: flask.Blueprint.before_app_request # or a section of it (the heading's id)
      anchor: app-wide-hooks-from-a-blueprint
  ```

- **Names that need no counterpart** are listed in `data/flask-api.toml`, each group with a
  one-line reason. A page declaring a name overrides the data file.

`python -m guidekit` renders `includes/flask-api-index.md` (included by
`docs/your-app/flask-api-index.md`); `problems()` is what the meta-tests assert is empty.
"""

from __future__ import annotations

import importlib
import inspect
import posixpath
import re
import tomllib
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
from mkdocs.utils.meta import get_data

from guidekit import fragments
from guidekit.pages import TopicPage, snippets_config, topic_pages
from guidekit.topics import DOCS, ROOT

DATA_FILE = ROOT / "data" / "flask-api.toml"
INDEX_FILE = ROOT / "includes" / "flask-api-index.md"
#: Links in the fragment are relative to the page that includes it.
_INCLUDED_FROM = "your-app"
#: Declared names outside the introspected set that are allowed: the extensions' own API
#: (`flask_*`, and the libraries on the extensions map that are not named so).
EXTENSION_PREFIX = re.compile(r"(flask_[a-z0-9_]+|marshmallow|webargs|apiflask)\.")

#: Submodules whose own public names are indexed as `<module>.<name>`.
MODULES = (
    "flask.cli",
    "flask.json",
    "flask.views",
    "werkzeug.exceptions",
    "werkzeug.security",
    "werkzeug.utils",
    "werkzeug.http",
)
#: Single names indexed as they are.
SINGLE_NAMES = ("werkzeug.middleware.proxy_fix.ProxyFix",)


def _public(names: typing.Iterable[str]) -> set[str]:
    return {n for n in names if not n.startswith("_")}


def _defined_here(module: types.ModuleType, name: str) -> bool:
    """True for what `module` itself defines: not submodules, re-exports, imported builtins
    (`time`, `sha1`), context proxies (`current_app`: indexed as `flask.Flask`), TypeVars."""
    from werkzeug.local import LocalProxy

    obj = getattr(module, name)
    if isinstance(obj, (types.ModuleType, typing.TypeVar, LocalProxy)) or name == "annotations":
        return False
    if inspect.isbuiltin(obj):
        return False
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return obj.__module__ == module.__name__
    return True  # constants (HTTP_STATUS_CODES, default_exceptions, ...)


def _flask_namespace() -> set[str]:
    """`flask.<name>`: `flask.__all__` when Flask defines it, else what `import flask` exposes.

    Flask 3.1 has no `__all__`; its `__init__` imports exactly its public API, so the public
    non-module names of the package are that API.
    """
    import flask

    exported = getattr(flask, "__all__", None)
    if exported is None:
        exported = [
            n
            for n in _public(dir(flask))
            if not isinstance(getattr(flask, n), types.ModuleType) and n != "annotations"
        ]
    return {f"flask.{n}" for n in exported}


def _class_members() -> set[str]:
    """Public attributes of Flask, Blueprint, Request and Response: class and instance level."""
    import flask

    app = flask.Flask("flaskapi_introspection")
    blueprint = flask.Blueprint("flaskapi_introspection", "flaskapi_introspection")
    with app.test_request_context("/"):
        request = flask.request._get_current_object()  # the real Request object
    instances = {
        "flask.Flask": app,
        "flask.Blueprint": blueprint,
        "flask.Request": request,
        "flask.Response": flask.Response(),
    }
    out = set()
    for prefix, obj in instances.items():
        out |= {f"{prefix}.{n}" for n in _public(dir(type(obj))) | _public(vars(obj))}
    return out


def _proxy_members() -> set[str]:
    """`flask.session.<attr>` and `flask.g.<attr>`: the types behind the proxies.

    `current_app` and `request` proxy `Flask` and `Request`, indexed under those names.
    """
    import flask
    from flask.sessions import SecureCookieSessionInterface

    app = flask.Flask("flaskapi_introspection")
    app.secret_key = "introspection-only"  # noqa: S105 - never signs anything
    with app.test_request_context("/"):
        session_type = type(SecureCookieSessionInterface().open_session(app, flask.request))
        g_type = type(flask.g._get_current_object())
    return {f"flask.session.{n}" for n in _public(dir(session_type))} | {
        f"flask.g.{n}" for n in _public(dir(g_type))
    }


def _module_members() -> set[str]:
    out = set()
    for name in MODULES:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None) or _public(dir(module))
        out |= {f"{name}.{n}" for n in exported if _defined_here(module, n)}
    return out


def _config_keys() -> set[str]:
    import flask

    return {f"config.{key}" for key in flask.Flask.default_config}


@cache
def names() -> tuple[str, ...]:
    """Every indexed name, sorted: `flask.redirect`, `flask.Request.get_json`, `config.DEBUG`."""
    found = _flask_namespace() | _class_members() | _proxy_members() | _module_members()
    found |= _config_keys() | set(SINGLE_NAMES)
    return tuple(sorted(found, key=sort_key))


def sort_key(name: str) -> tuple[str, str, str]:
    """Case-insensitive within a namespace; `Request` before `request`, whatever the set order."""
    namespace, _, leaf = name.rpartition(".")
    return (namespace, leaf.lower(), leaf)


def namespace(name: str) -> str:
    """The group a name is listed under on the index page: `flask.Request`, `config`, ..."""
    return name.rpartition(".")[0]


@dataclass(frozen=True)
class Entry:
    """Where the guide answers for one name: a page (and section) or a reason for none."""

    name: str
    page: str | None = None  # relative to docs/, e.g. "requests/json-body.md"
    title: str | None = None
    anchor: str | None = None
    reason: str | None = None
    see: str | None = None  # with a reason: the nearest page, relative to docs/


def no_counterpart(path: Path = DATA_FILE) -> dict[str, Entry]:
    """`{name: Entry(name, reason=..., see=...)}` from data/flask-api.toml.

    Raises ValueError for a name listed twice, a group without a reason or a `see` page
    that does not exist.
    """
    data = tomllib.loads(path.read_text())
    out: dict[str, Entry] = {}
    for group in data.get("group", []):
        reason, see = group.get("reason", "").strip(), group.get("see")
        if not reason:
            raise ValueError(f"{path.name}: a group has no reason: {group.get('names')}")
        if see is not None and not (DOCS / see).is_file():
            raise ValueError(f"{path.name}: see = {see!r} is not a page under docs/")
        for name in group["names"]:
            if name in out:
                raise ValueError(f"{path.name}: {name} is listed twice")
            out[name] = Entry(name, reason=reason, see=see)
    return out


def declarations(pages: list[TopicPage] | None = None) -> dict[str, list[Entry]]:
    """`{name: [Entry, ...]}` for every name some page declares (several pages may)."""
    out: dict[str, list[Entry]] = {}
    for page in topic_pages() if pages is None else pages:
        for name, anchor in page.flask_api:
            out.setdefault(name, []).append(
                Entry(name, page=page.path, title=page.title, anchor=anchor)
            )
    return out


def entries(
    pages: list[TopicPage] | None = None, data_file: Path = DATA_FILE
) -> dict[str, list[Entry]]:
    """Every indexed name with its entries: the pages declaring it, else the data file's reason
    (an empty list when neither has it). `pages` and `data_file` default to the real ones."""
    declared = declarations(pages)
    reasons = no_counterpart(data_file)
    return {
        name: declared.get(name) or ([reasons[name]] if name in reasons else []) for name in names()
    }


@cache
def heading_ids(page: str) -> frozenset[str]:
    """The ids of a page's headings as the build renders them (includes expanded)."""
    html = markdown.markdown(
        get_data((DOCS / page).read_text())[0],  # the Markdown without its front matter
        extensions=[
            "toc",
            "attr_list",
            "md_in_html",
            "admonition",
            "pymdownx.snippets",
            "pymdownx.superfences",
            "pymdownx.tabbed",
        ],
        extension_configs={"pymdownx.snippets": {**snippets_config(), "auto_append": []}},
    )
    return frozenset(re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', html))


def problems(pages: list[TopicPage] | None = None, data_file: Path = DATA_FILE) -> list[str]:
    """Every way the index is incomplete or wrong, as messages (empty when all is well).

    `pages` and `data_file` default to the real ones; tests pass altered copies.
    """
    known = set(names())
    declared = declarations(pages)
    reasons = no_counterpart(data_file)
    out = [
        f"{name}: no page declares it and {data_file.name} has no reason"
        for name, found in entries(pages, data_file).items()
        if not found
    ]
    out += [
        f"{name}: declared on a page, so delete it from {data_file.name}"
        for name in reasons
        if name in declared
    ]
    for name, found in declared.items():
        if name not in known and not EXTENSION_PREFIX.match(name):
            pages = ", ".join(e.page for e in found if e.page)
            out.append(f"{name} (declared on {pages}): not a Flask/Werkzeug name (typo?)")
        for entry in found:
            if entry.anchor and entry.page and entry.anchor not in heading_ids(entry.page):
                out.append(f"{name}: {entry.page} has no heading #{entry.anchor}")
    out += [
        f"{name} ({data_file.name}): not a Flask/Werkzeug name any more (typo or removed?)"
        for name in reasons
        if name not in known
    ]
    return out


INDEX_PAGE = "your-app/flask-api-index.md"
#: Last parts that are not keywords: they qualify other names in what readers type
#: (`request.args`, `config.DEBUG`, `flask.Flask.route`), so as strong matches they would pull
#: every such query to one page. Their pages are found by title and text.
_NOT_KEYWORDS = frozenset(
    {
        "Flask",
        "Blueprint",
        "Request",
        "request",
        "Response",
        "session",
        "g",
        "Config",
        "config",
        "current_app",
    }
)


def section_id(group: str) -> str:
    """The heading id of a namespace on the index page: `flask.Request` → `flask-request`."""
    return group.replace(".", "-").lower()


def keyword(name: str) -> str | None:
    """The search keyword of a name: its last part (`flask.Request.get_json` → `get_json`,
    `config.MAX_CONTENT_LENGTH` → `MAX_CONTENT_LENGTH`), or None for the few last parts that
    qualify other names (`request`, `g`, `Flask`, ...) and for extensions' names.

    Extensions' names are no keywords: every query word matches as a prefix, so as strong
    matches `flask_login.LoginManager.request_loader`, `flask_jwt_extended.get_jwt` or
    `marshmallow.Schema.load` pulled `request.method`, `BadRequest`, `g.get`, `flask.json.load`
    and every query starting with `flask` to the extension's page (measured in
    tests/site/test_search_quality.py). Extension pages are found by their title and text.

    The search separator splits a typed `request.get_json` or `@app.errorhandler(404)` into
    words, so the last part is what must match strongly; measured in
    tests/site/test_search_quality.py, qualified keywords (`request.get_json`) ranked worse.
    """
    if EXTENSION_PREFIX.match(name):
        return None
    leaf = name.rpartition(".")[2]
    return None if leaf in _NOT_KEYWORDS else leaf


#: How an app's code spells the owner of an attribute (`request.get_json`, `app.errorhandler`).
CODE_OWNER = {
    "flask.Flask": "app",
    "flask.Blueprint": "bp",
    "flask.Request": "request",
    "flask.Response": "response",
    "flask.session": "session",
    "flask.g": "g",
}


def as_code(name: str) -> str:
    """A name as an app's code spells it: `request.get_json`, `app.errorhandler`, `redirect`."""
    group, _, leaf = name.rpartition(".")
    return f"{CODE_OWNER[group]}.{leaf}" if group in CODE_OWNER else leaf


def _mirrors_declared_app_name(name: str, all_entries: dict[str, list[Entry]]) -> bool:
    """True for `flask.Blueprint.<x>` when a page declares `flask.Flask.<x>`: both would be the
    keyword `<x>`, and `@app.errorhandler(404)` or `before_request` mean the app's method
    first. The blueprint's page is still found by its title (`flask.Blueprint.errorhandler`)."""
    group, _, leaf = name.rpartition(".")
    app_name = f"flask.Flask.{leaf}"
    return group == "flask.Blueprint" and any(e.page for e in all_entries.get(app_name, []))


def search_keywords() -> dict[tuple[str, str | None], list[str]]:
    """`{(page, anchor or None): [keyword, ...]}` for the search index.

    Declared names go to their page (or section); names with no counterpart topic go to
    their own heading on the index page, which explains why.
    """
    out: dict[tuple[str, str | None], list[str]] = {}
    all_entries = entries()
    for name, found in all_entries.items():
        if _mirrors_declared_app_name(name, all_entries):
            continue
        for entry in found:
            key = (entry.page, entry.anchor) if entry.page else (INDEX_PAGE, name_id(name))
            word = keyword(name)
            if word and word not in out.setdefault(key, []):
                out[key].append(word)
    return {key: words for key, words in out.items() if words}


def _link(page: str, title: str, anchor: str | None = None) -> str:
    target = posixpath.relpath(page, _INCLUDED_FROM)
    if anchor:
        target += f"#{anchor}"
    return f"[{title}]({target})"


def _cell(entry: Entry, titles: dict[str, str]) -> str:
    if entry.page:
        return "Topic: " + _link(entry.page, entry.title or entry.page, entry.anchor) + "."
    text = "No counterpart topic: " + (entry.reason or "")
    if entry.see:
        text += f" Nearest topic: {_link(entry.see, titles.get(entry.see, entry.see))}."
    return text


def name_id(name: str) -> str:
    """The heading id of a name on the index page: the name itself, dots kept."""
    return name


def render() -> str:
    """The index as Markdown: a section per namespace, a heading per name (so search links
    straight to it), then the topic it links to or the reason no topic is needed."""
    groups: dict[str, list[str]] = {}
    for name in names():
        groups.setdefault(namespace(name), []).append(name)
    order = ["flask", "flask.Flask", "flask.Blueprint", "flask.Request", "flask.Response"]
    order += ["flask.session", "flask.g", "flask.cli", "flask.json", "flask.views", "config"]
    order += sorted(set(groups) - set(order))
    lines = [
        "<!-- Generated by `nox -s generate` from the installed packages, the pages' "
        "`flask_api` front matter and data/flask-api.toml. Do not edit. -->",
        "",
    ]
    all_entries = entries()
    titles = {page.path: page.title for page in topic_pages()}
    for group in order:
        if group not in groups:
            continue
        lines += [f"## `{group}` {{ #{section_id(group)} }}", ""]
        for name in groups[group]:
            lines += [f"### `{name}` {{ #{name_id(name)} }}", ""]
            lines += [" ".join(_cell(e, titles) for e in all_entries[name]), ""]
    return "\n".join(lines)


def generate(check: bool = False) -> list[Path]:
    return fragments.sync(INDEX_FILE, render(), check)
