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
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext

from flask2fastapi.exitcodes import Exit
from flask2fastapi.port.analysis import ModuleInfo
from flask2fastapi.port.app import AppRule
from flask2fastapi.port.base import (
    DOCS_URL,
    TODO_LINE,
    PortOptions,
    PortRule,
    knowledge,
    remember_source,
)
from flask2fastapi.port.config import ConfigRule
from flask2fastapi.port.errors import AbortRule, ErrorHandlerRule
from flask2fastapi.port.extensions import AppContextRule, ExtensionsRule, GlobalsRule
from flask2fastapi.port.files import SendFileRule
from flask2fastapi.port.hooks import HooksRule
from flask2fastapi.port.imports import Shelter, clashes, settle_imports
from flask2fastapi.port.json_body import JsonHelperRule
from flask2fastapi.port.login import PLAN as LOGIN_PLAN
from flask2fastapi.port.login import TEMPLATE_SUFFIXES, LoginRule, plan_tree
from flask2fastapi.port.requests import (
    RequestArgsRule,
    RequestFilesRule,
    RequestFormRule,
    RequestJsonRule,
    RequestObjectRule,
)
from flask2fastapi.port.requests import TREE_IMPORTS, tree_imports
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
            module = module.visit(rule_class(context, info.owners, options))
    names = clashes(original, context)
    if names:  # an import would rebind a name the module uses otherwise: port again, apart
        shelter = Shelter(names)
        module = shelter.start(original)
        context = CodemodContext()
        context.scratch["source"] = code
        for rule_class in ORDER:
            if rule_class.id in rules and rule_class.applies(code, options):
                module = module.visit(rule_class(context, info.owners, options))
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
    imports = TREE_IMPORTS.set(None)
    try:
        return _port_tree(src, output, rules, keep_flask_answers, force)
    finally:
        TREE_IMPORTS.reset(imports)
        DOCS_URL.reset(token)
        LOGIN_PLAN.reset(login)
        DB_SHARED.reset(shared)


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
    parsed: dict[Path, tuple[str, cst.Module | None, str | None]] = {}
    others: list[Path] = []
    for path in _walk(src, out_resolved):
        if path.suffix != ".py":
            others.append(path)
            continue
        try:
            text = path.read_text(encoding="utf-8")
            parsed[path] = (text, cst.parse_module(text), None)
            remember_source(parsed[path][1], text)  # LibCST round-trips: `.code` is `text`
        except (cst.ParserSyntaxError, UnicodeDecodeError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            parsed[path] = (path.read_bytes().decode("utf-8", "replace"), None, message)
    # Flask-Login spans modules (manager, init_app, views): planned once for the tree.
    package = base.name + "." if (base / "__init__.py").is_file() and src.is_dir() else ""
    names = {p: package + ".".join(p.relative_to(base).with_suffix("").parts) for p in parsed}
    modules = {
        names[p].removesuffix(".__init__") if src.is_dir() else None: m
        for p, (_, m, _) in parsed.items() if m is not None
    }  # fmt: skip
    templates = (p.read_text("utf-8", "replace") for p in others if p.suffix in TEMPLATE_SUFFIXES)
    LOGIN_PLAN.set(plan_tree(modules, templates))
    DB_SHARED.set(shared_db(modules))
    TREE_IMPORTS.set(tree_imports(modules))  # helpers other modules import: see requests.py
    infos = {p: ModuleInfo(m) for p, (_, m, _) in parsed.items() if m is not None}
    if not any(i.flask_apps or i.fastapi_apps or i.has_blueprints for i in infos.values()):
        raise PortError(f"{src}: no Flask app (no `Flask(...)` or `Blueprint(...)` call) found")
    blockers = {b: page for i in infos.values() for b, page in i.blockers.items()}
    report.blockers = sorted(blockers)
    options = PortOptions(not blockers, tuple(sorted(blockers.items())), keep_flask_answers)
    jobs = [(text, rules, options, infos[path], module)
            for path, (text, module, _) in parsed.items() if module is not None]  # fmt: skip
    ported = iter(_port_all(jobs))
    for path, (text, module, problem) in parsed.items():
        rel = path.relative_to(base).as_posix()
        if module is None:
            report.files.append(FileResult(rel, text, text, problem=f"syntax error: {problem}"))
            continue
        after, counts = next(ported)
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
#: the parsed modules are shared, not copied); below it, a worker's start costs more
#: than it saves. The output is the same either way, in the same order.
PARALLEL_FROM = 24
#: The jobs of the run in progress, read by the forked workers (inherited, not pickled).
_JOBS: list[tuple[str, tuple[str, ...], PortOptions, ModuleInfo, cst.Module]] = []


_JOBS_DOCS_URL: list[str | None] = [None]
#: The tree-wide plans the rules read (Flask-Login's, the shared `db`), as at the fork.
_JOBS_PLANS: list[object] = [None, None]


def _port_job(index: int) -> tuple[str, Counter[str]]:
    # The run's --docs-url and tree plans, whatever context the worker runs in.
    DOCS_URL.set(_JOBS_DOCS_URL[0])
    LOGIN_PLAN.set(_JOBS_PLANS[0])
    DB_SHARED.set(_JOBS_PLANS[1])
    return port_source(*_JOBS[index])


def _port_all(
    jobs: list[tuple[str, tuple[str, ...], PortOptions, ModuleInfo, cst.Module]],
) -> list[tuple[str, Counter[str]]]:
    """`port_source` on each job, in order: in parallel for a large tree on a machine with
    more than one CPU where processes can be forked (Linux), else one after the other."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if (
        len(jobs) < PARALLEL_FROM
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [port_source(*job) for job in jobs]
    # The guide's knowledge is loaded once, before the fork, not once per worker; if it
    # cannot be, the TODOs that need it fail in the workers as they would in one process.
    with contextlib.suppress(Exception):
        knowledge()
    _JOBS[:] = jobs
    _JOBS_DOCS_URL[0] = DOCS_URL.get()
    _JOBS_PLANS[:] = [LOGIN_PLAN.get(), DB_SHARED.get()]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            return list(pool.map(_port_job, range(len(jobs)), chunksize=chunk))
    finally:
        _JOBS.clear()


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
