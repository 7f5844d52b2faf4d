"""Walk SRC, run the rules on every Python file, write the port (or a diff) and a summary.

SRC is a package folder or one module; the port is a new tree (`--output DIR`): SRC is
never written. Files that are not Python are copied; a Python file that does not parse
is reported and copied unchanged while the rest is ported. Jinja templates are copied
through the `templates` rule (`flask2fastapi.port.templates.rewrite_template`).
"""

from __future__ import annotations

import contextlib
import difflib
import multiprocessing
import os
import shutil
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext

from flask2fastapi.exitcodes import Exit
from flask2fastapi.port.analysis import TREE, ModuleInfo, tree_blueprints
from flask2fastapi.port.app import AppRule
from flask2fastapi.port.base import (
    DOCS_URL,
    TODO_LINE,
    PortOptions,
    PortRule,
    knowledge,
    may_import_extension,
    remember_source,
    walk,
)
from flask2fastapi.port.config import TREE_SETTINGS, ConfigRule, config_tree
from flask2fastapi.port.errors import AbortRule, ErrorHandlerRule
from flask2fastapi.port.extensions import AppContextRule, ExtensionsRule, GlobalsRule
from flask2fastapi.port.files import SendFileRule
from flask2fastapi.port.hooks import HooksRule
from flask2fastapi.port.imports import Shelter, clashes, settle_imports
from flask2fastapi.port.json_body import JsonHelperRule
from flask2fastapi.port.leftovers import FlaskNamesRule
from flask2fastapi.port.login import PLAN as LOGIN_PLAN
from flask2fastapi.port.login import TEMPLATE_SUFFIXES, LoginRule, plan_tree
from flask2fastapi.port.requests import (
    TREE_IMPORTS,
    RequestArgsRule,
    RequestFilesRule,
    RequestFormRule,
    RequestJsonRule,
    RequestObjectRule,
    tree_imports,
)
from flask2fastapi.port.response_api import ResponseApiRule
from flask2fastapi.port.responses import RedirectRule, ResponsesRule, StreamContextRule
from flask2fastapi.port.routes import RoutesRule
from flask2fastapi.port.sqlalchemy import SHARED as DB_SHARED
from flask2fastapi.port.sqlalchemy import SqlAlchemyRule, shared_db
from flask2fastapi.port.templates import (
    StaticFilesRule,
    TemplatesRule,
    is_template,
    rewrite_template,
    route_params,
    template_todos,
)
from flask2fastapi.port.views import MethodViewRule
from flask2fastapi.source import SKIP_DIRS

#: Every rule, in the order it runs: routes first (they say which functions are views),
#: the app last (it still needs the Flask names the others read), then `app.config` (it
#: adds to the `FastAPI(...)` call the app rule wrote).
ORDER: tuple[type[PortRule], ...] = (
    MethodViewRule,
    RoutesRule,
    StreamContextRule,
    HooksRule,
    ErrorHandlerRule,  # before the request rules: handlers get `request` first
    RequestArgsRule,
    RequestFormRule,
    RequestFilesRule,
    JsonHelperRule,
    RequestJsonRule,
    TemplatesRule,
    StaticFilesRule,
    SendFileRule,
    RedirectRule,
    ResponseApiRule,  # before `responses`: it owns Flask's Response(...) and its object
    ResponsesRule,
    RequestObjectRule,
    AbortRule,
    GlobalsRule,
    LoginRule,
    ExtensionsRule,
    AppContextRule,
    AppRule,
    SqlAlchemyRule,  # after `app`: it hands `FastAPI()` the recipe's lifespan
    ConfigRule,
    FlaskNamesRule,  # last: a Flask name no rule converted gets a TODO
)
RULE_IDS = tuple(rule.id for rule in ORDER)


class PortError(Exception):
    """Nothing done: bad arguments, no Flask app in SRC, an output folder not empty."""


@dataclass(frozen=True)
class Todo:
    """A TODO the port left: where (`file:line` in the output), which rule, what to do."""

    file: str
    line: int
    rule: str
    text: str


@dataclass
class FileResult:
    path: str  # relative to SRC, POSIX
    before: str
    after: str
    conversions: Counter[str] = field(default_factory=Counter)
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class PortReport:
    """What one run did: per-file results, the copied files, the TODOs left."""

    src: str
    output: str | None
    rules: tuple[str, ...]
    files: list[FileResult] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[FileResult]:
        return [f for f in self.files if f.problem]

    def conversions(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.conversions)
        return total

    @property
    def exit_code(self) -> Exit:
        if self.problems:
            return Exit.INCOMPLETE
        return Exit.FINDINGS if self.todos else Exit.OK


def selected_rules(select: list[str] | None, ignore: list[str] | None) -> tuple[str, ...]:
    """The rule ids to run, in running order; `PortError` for an unknown id."""
    for given in (*(select or ()), *(ignore or ())):
        if given not in RULE_IDS:
            raise PortError(f"unknown rule {given!r}: choose from {', '.join(RULE_IDS)}")
    wanted = set(select or RULE_IDS) - set(ignore or ())
    return tuple(r for r in RULE_IDS if r in wanted)


def port_source(
    code: str,
    rules: tuple[str, ...] = RULE_IDS,
    options: PortOptions | None = None,
    info: ModuleInfo | None = None,
    module: cst.Module | None = None,
) -> tuple[str, Counter[str]]:
    """Port one module's source: the new source and each rule's conversion count.

    `module` is `code` already parsed (`port_tree` parses every file once, for the
    analysis); `code` is still what the rules' text pre-checks read. Raises
    `libcst.ParserSyntaxError` if the code does not parse."""
    if module is None:
        module = cst.parse_module(code)
    info = info or ModuleInfo(module)
    options = options or PortOptions(
        structure=not info.blockers, blockers=tuple(info.blockers.items())
    )
    # One context for every rule: the imports they add and drop are settled once, at the
    # end, instead of after each rule (each settling walks the whole module with scopes).
    original = module
    context = CodemodContext()
    context.scratch["source"] = code  # see PortRule.source_has
    for rule_class in ORDER:
        if rule_class.id in rules and rule_class.applies(code, options):
            module = walk(module, rule_class(context, info.owners, options))
    names = clashes(original, context)
    if names:  # an import would rebind a name the module uses otherwise: port again, apart
        shelter = Shelter(names)
        module = shelter.start(original)
        context = CodemodContext()
        context.scratch["source"] = code
        for rule_class in ORDER:
            if rule_class.id in rules and rule_class.applies(code, options):
                module = walk(module, rule_class(context, info.owners, options))
                module = shelter.after_rule(module, context)
        module = shelter.settle(module, original, context)
    module = settle_imports(module, context)
    counts: Counter[str] = Counter(context.scratch.get("conversions", Counter()))
    return module.code, counts


def _walk(src: Path, skip: Path | None) -> list[Path]:
    if src.is_file():
        return [src]
    found = []
    for folder, dirs, files in os.walk(src):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs
            if d not in SKIP_DIRS and not d.startswith(".")
            and (skip is None or (here / d).resolve() != skip)
        )  # fmt: skip
        found += [here / f for f in sorted(files)]
    return found


def port_tree(
    src: Path,
    output: Path | None,
    rules: tuple[str, ...] = RULE_IDS,
    keep_flask_answers: bool = False,
    force: bool = False,
    docs_url: str | None = None,
) -> PortReport:
    """Port every file under `src` and, unless `output` is None (a dry run), write the new
    tree there. `docs_url` is where the TODOs' links point (see
    `flask2fastapi.knowledge.docs_url`). A tree of `PARALLEL_FROM` modules or more is
    ported in forked worker processes, one per CPU (same report). Raises `PortError` when
    nothing can be done (see the exit-code table)."""
    token = DOCS_URL.set(docs_url)
    login = LOGIN_PLAN.set(None)  # set by `_port_tree` for this tree only
    shared = DB_SHARED.set(None)
    tree = TREE.set(None)  # set by `_port_tree` for a package
    imports = TREE_IMPORTS.set(None)
    settings = TREE_SETTINGS.set(None)  # set by `_port_tree` for a package's factory
    try:
        return _port_tree(src, output, rules, keep_flask_answers, force)
    finally:
        TREE_IMPORTS.reset(imports)
        TREE_SETTINGS.reset(settings)
        DOCS_URL.reset(token)
        LOGIN_PLAN.reset(login)
        DB_SHARED.reset(shared)
        TREE.reset(tree)


def _port_tree(
    src: Path, output: Path | None, rules: tuple[str, ...], keep_flask_answers: bool, force: bool
) -> PortReport:
    if not src.exists():
        raise PortError(f"{src}: no such file or folder")
    if src.is_file() and src.suffix != ".py":
        raise PortError(f"{src}: not a Python module or a package folder")
    out_resolved = output.resolve() if output is not None else None
    if output is not None:
        if out_resolved == src.resolve() or (
            src.resolve() in out_resolved.parents and src.is_file()
        ):
            raise PortError(f"{output}: the output must not be SRC itself")
        if output.exists() and (not output.is_dir() or any(output.iterdir())) and not force:
            raise PortError(f"{output}: exists and is not empty (use --force to write into it)")
    base = src if src.is_dir() else src.parent
    report = PortReport(str(src), str(output) if output else None, rules)
    texts: dict[Path, str] = {}
    problems: dict[Path, str] = {}  # path → why it was not ported (it is copied)
    others: list[Path] = []
    for path in _walk(src, out_resolved):
        if path.suffix != ".py":
            others.append(path)
            continue
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            texts[path] = path.read_bytes().decode("utf-8", "replace")
            problems[path] = _problem(exc)
    package = base.name + "." if (base / "__init__.py").is_file() and src.is_dir() else ""
    names = {
        p: None if not src.is_dir() else
        (package + ".".join(p.relative_to(base).with_suffix("").parts)).removesuffix(".__init__")
        for p in texts
    }  # fmt: skip
    paths = [p for p in texts if p not in problems]
    workers = _workers(len(paths))
    # The tree-wide plans (Flask-Login's, the shared `db`) read every module when the
    # tree uses either; else only those that may import an extension (the plans find
    # nothing in the others): the workers parse the others, in parallel.
    whole = workers < 2 or any(w in texts[p] for p in paths for w in _WHOLE_TREE_WORDS)
    read = paths if whole else [p for p in paths if may_import_extension(texts[p])]
    parsed: dict[Path, cst.Module] = {}
    for path in read:
        try:
            parsed[path] = _parse(texts[path])
        except cst.ParserSyntaxError as exc:
            problems[path] = _problem(exc)
    modules = {names[p]: m for p, m in parsed.items()}
    templates = (p.read_text("utf-8", "replace") for p in others if p.suffix in TEMPLATE_SUFFIXES)
    LOGIN_PLAN.set(plan_tree(modules, templates))
    if src.is_dir():  # a blueprint made in one module, its routes in another
        TREE.set(tree_blueprints({names[p]: texts[p] for p in paths}))  # type: ignore[misc]
    TREE_IMPORTS.set(tree_imports({names[p]: texts[p] for p in paths}))  # see requests.py
    if src.is_dir():  # an app factory's settings, read in other modules (see config.py)
        inits = {n for p, n in names.items() if n and p.name == "__init__.py"}
        factories = _factory_modules(parsed, texts, names, problems)
        TREE_SETTINGS.set(config_tree(factories, {n for n in names.values() if n}, inits))
    DB_SHARED.set(shared_db(modules))  # after the settings: its URL may be one of them
    todo = [p for p in paths if p not in problems]
    with _Workers([(texts[p], parsed.get(p)) for p in todo], workers) as run:
        summaries = run.analyse()
        for path, summary in zip(todo, summaries, strict=True):
            if isinstance(summary, str):
                problems[path] = summary
        found = [s for s in summaries if not isinstance(s, str)]
        if not any(apps or blueprints for apps, blueprints, _ in found):
            raise PortError(f"{src}: no Flask app (no `Flask(...)` or `Blueprint(...)` call) found")
        blockers = {b: page for _, _, mine in found for b, page in mine.items()}
        report.blockers = sorted(blockers)
        options = PortOptions(not blockers, tuple(sorted(blockers.items())), keep_flask_answers)
        ported = dict(zip(todo, run.port(rules, options), strict=True))
    for path, text in texts.items():
        rel = path.relative_to(base).as_posix()
        if path in problems:
            report.files.append(
                FileResult(rel, text, text, problem=f"syntax error: {problems[path]}")
            )
            continue
        after, counts = ported[path]
        report.files.append(FileResult(rel, text, after, counts))
        for number, line in enumerate(after.splitlines(), 1):
            for match in TODO_LINE.finditer(line):
                for piece in line[match.start() :].split("# TODO(flask2fastapi ")[1:]:
                    rule, _, rest = piece.partition("): ")
                    report.todos.append(Todo(rel, number, rule, rest.strip()))
                break
    if "templates" in rules and options.structure:  # copied Jinja templates: see templates.py
        pages = [p for p in others if is_template(p.relative_to(base).as_posix())]
        routes = route_params(f.after for f in report.files) if pages else {}
        for path in pages:
            rel = path.relative_to(base).as_posix()
            try:
                text = path.read_bytes().decode("utf-8")  # CRLF kept: Jinja's lexer skips it
            except UnicodeDecodeError:
                continue
            after, n, _ = rewrite_template(text, routes)
            others.remove(path)
            report.files.append(
                FileResult(rel, text, after, Counter({"templates": n} if n else {}))
            )
            report.todos += [Todo(rel, *found) for found in template_todos(after)]
    report.copied = [p.relative_to(base).as_posix() for p in others]
    _add_settings_module(report, names, base)
    if output is not None:
        for f in report.files:
            target = output / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.after, encoding="utf-8")
        for rel in report.copied:
            target = output / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(base / rel, target)
    return report


#: From this many modules on, a port runs in one worker process per CPU (forked, so that
#: what the parent parsed is shared, not copied); below it, a worker's start costs more
#: than it saves. The output is the same either way, in the same order.
PARALLEL_FROM = 24
#: Words of a module that make the tree-wide plans read every module of the tree: the
#: Flask-Login plan follows the manager's name across modules, and `shared_db` looks for
#: the modules that import a `SQLAlchemy()` object's `db`.
_WHOLE_TREE_WORDS = ("flask_login", "SQLAlchemy(")


def _problem(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _parse(text: str) -> cst.Module:
    module = cst.parse_module(text)
    remember_source(module, text)  # LibCST round-trips: `.code` is `text`
    return module


def _workers(modules: int) -> int:
    """How many processes port a tree of `modules` modules: one per CPU for a large tree
    where processes can be forked (Linux), else 1 (this process)."""
    workers = min(os.cpu_count() or 1, modules)
    if modules < PARALLEL_FROM or workers < 2:
        return 1
    return workers if "fork" in multiprocessing.get_all_start_methods() else 1


#: What the driver needs of a module's analysis: whether it makes an app, whether it
#: makes a blueprint, and what keeps the tree's app in Flask (see `ModuleInfo`).
Summary = tuple[bool, bool, dict[str, str]]


def _summary(info: ModuleInfo) -> Summary:
    return bool(info.flask_apps or info.fastapi_apps), info.has_blueprints, dict(info.blockers)


class _Modules:
    """Parse (unless done), analyse, then port a list of modules, keeping each parsed
    module and its `ModuleInfo` between the two steps."""

    def __init__(self, jobs: list[tuple[int, str, cst.Module | None]]) -> None:
        self.jobs = jobs
        self.ready: dict[int, tuple[str, cst.Module, ModuleInfo]] = {}

    def analyse(self) -> list[tuple[int, Summary | str]]:
        out: list[tuple[int, Summary | str]] = []
        for index, text, module in self.jobs:
            try:
                module = module if module is not None else _parse(text)
            except cst.ParserSyntaxError as exc:
                out.append((index, _problem(exc)))
                continue
            info = ModuleInfo(module)
            self.ready[index] = (text, module, info)
            out.append((index, _summary(info)))
        return out

    def port(self, rules: tuple[str, ...], options: PortOptions) -> list[tuple[int, object]]:
        return [
            (i, port_source(text, rules, options, info, module))
            for i, (text, module, info) in self.ready.items()
        ]


def _serve(conn, modules: _Modules, docs_url: str | None, plans: tuple) -> None:  # type: ignore[no-untyped-def]
    """A worker: analyse its modules, send the summaries, wait for the run's options, port
    them and send the results (or the exception, with its traceback as a note)."""
    DOCS_URL.set(docs_url)
    LOGIN_PLAN.set(plans[0])
    DB_SHARED.set(plans[1])
    TREE.set(plans[2])
    TREE_IMPORTS.set(plans[3])
    try:
        conn.send(("ok", modules.analyse()))
        asked = conn.recv()
        if asked is not None:
            conn.send(("ok", modules.port(*asked)))
    except BaseException as exc:  # handed to the parent, which raises it
        exc.add_note(traceback.format_exc())
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle
            conn.send(("error", RuntimeError(traceback.format_exc())))
    finally:
        conn.close()


class _Workers:
    """The two steps of a port (`analyse` every module, then `port` them with the options
    the summaries decide) over `jobs` (each a module's text and, if already parsed, its
    `Module`), in `count` forked processes that each keep their share of the modules
    (parsed once) between the steps, or in this process when `count` < 2. Results come
    in `jobs` order; an exception in a worker is raised here. A context manager: leaving
    it ends the workers."""

    def __init__(self, jobs: list[tuple[str, cst.Module | None]], count: int) -> None:
        self.size = len(jobs)
        numbered = [(i, text, module) for i, (text, module) in enumerate(jobs)]
        if count < 2:
            self.local: _Modules | None = _Modules(numbered)
            self.shares: list[_Modules] = []
            return
        self.local = None
        # The longest modules first, each to the least loaded worker: the shares finish
        # at about the same time.
        loads, shares = [0] * count, [[] for _ in range(count)]  # type: list[int], list[list]
        for job in sorted(numbered, key=lambda j: -len(j[1])):
            k = loads.index(min(loads))
            shares[k].append(job)
            loads[k] += len(job[1])
        self.shares = [_Modules(share) for share in shares if share]
        self.conns: list = []  # type: ignore[type-arg]
        self.procs: list = []  # type: ignore[type-arg]

    def __enter__(self) -> _Workers:
        if self.local is not None:
            return self
        # The guide's knowledge is loaded once, before the fork, not once per worker; if it
        # cannot be, the TODOs that need it fail in the workers as they would in one process.
        with contextlib.suppress(Exception):
            knowledge()
        fork = multiprocessing.get_context("fork")
        plans = (LOGIN_PLAN.get(), DB_SHARED.get(), TREE.get(), TREE_IMPORTS.get())
        for share in self.shares:
            here, there = fork.Pipe()
            proc = fork.Process(target=_serve, args=(there, share, DOCS_URL.get(), plans))
            proc.start()
            there.close()
            self.conns.append(here)
            self.procs.append(proc)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for conn in getattr(self, "conns", ()):
            with contextlib.suppress(OSError):
                conn.send(None)  # a worker still waiting for options: nothing to port
            conn.close()
        for proc in getattr(self, "procs", ()):
            proc.join(10)
            if proc.is_alive():  # pragma: no cover - a worker stuck in a rule
                proc.kill()
                proc.join()

    def _gather(self) -> list:  # type: ignore[type-arg]
        out: list = [None] * self.size  # type: ignore[type-arg]
        for conn in self.conns:
            try:
                kind, value = conn.recv()
            except EOFError:
                raise RuntimeError("a port worker ended without an answer") from None
            if kind == "error":
                raise value
            for index, result in value:
                out[index] = result
        return out

    def analyse(self) -> list[Summary | str]:
        """Each module's `Summary`, or why it does not parse."""
        if self.local is not None:
            return [result for _, result in self.local.analyse()]
        return self._gather()

    def port(self, rules: tuple[str, ...], options: PortOptions) -> list[tuple[str, Counter[str]]]:
        """Each analysed module's port (None for one that did not parse)."""
        if self.local is not None:
            out: list = [None] * self.size  # type: ignore[type-arg]
            for index, result in self.local.port(rules, options):
                out[index] = result
            return out
        for conn in self.conns:
            conn.send((rules, options))
        return self._gather()


def unified_diff(report: PortReport) -> str:
    """The changes of a run as one unified diff (`a/` SRC, `b/` the port)."""
    chunks = []
    for f in report.files:
        if f.changed:
            chunks += difflib.unified_diff(
                f.before.splitlines(keepends=True), f.after.splitlines(keepends=True),
                f"a/{f.path}", f"b/{f.path}",
            )  # fmt: skip
    return "".join(chunks)


def _factory_modules(
    parsed: dict[Path, cst.Module],
    texts: dict[Path, str],
    names: dict[Path, str | None],
    problems: dict[Path, str],
) -> dict[str | None, cst.Module]:
    """The modules that may hold an app factory's settings (`config_tree`), parsed once."""
    found: dict[str | None, cst.Module] = {}
    for path, text in texts.items():
        if path in problems or ".config" not in text or "Flask(" not in text:
            continue
        try:
            found[names[path]] = parsed[path] if path in parsed else _parse(text)
        except cst.ParserSyntaxError:
            continue  # reported when the workers parse it
    return found


def _add_settings_module(report: PortReport, names: dict[Path, str | None], base: Path) -> None:
    """The `config` rule's settings module (`config_tree`), when the factory's port
    imports it: a new file beside the factory's module."""
    tree = TREE_SETTINGS.get()
    home = next((p for p, n in names.items() if tree and n == tree.home), None)
    if tree is None or home is None:
        return
    rel = home.relative_to(base).as_posix()
    done = next((f for f in report.files if f.path == rel), None)
    if done is None or f"from {tree.module} import" not in done.after:
        return
    path = (home.parent / "settings.py").relative_to(base).as_posix()
    report.files.append(FileResult(path, "", tree.code, Counter({"config": 1})))
