"""The proof of `flask2fastapi port`: the guide's own apps, ported and compared.

`python -m guidekit.portproof` (`nox -s port_proof`) ports every
`snippets/<topic>/flask_app.py` with the kit's `port`, imports the port under its own
module name (with the topic's `env.toml` values), and runs `parity` between the Flask app
and its port over the topic's `exchanges.toml`. It also ports the sample shop's Flask
package and compares the generated port with the hand-written one over the sample's
requests, in a subprocess (both packages are named `flask_app`).

The result is `includes/your-app/port-proof.md`, included by `docs/your-app/port.md`. It
records the hash of its inputs (the port rules, the kit's rules and parity, every topic's
Flask app, exchanges and env, the sample), so the staleness test compares hashes instead of
rerunning the proof inside every docs build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask2fastapi import parity
from flask2fastapi.apps import framework_of, load_module_from_path
from flask2fastapi.port import PortError, port_tree
from flask2fastapi.port.driver import RULE_IDS
from flask2fastapi.port.templates import (
    is_template,
    rewrite_template,
    route_params,
    template_todos,
)
from flask2fastapi.rules import RULES

from guidekit import fragments
from guidekit.harness import demo_environ, environ, load_app
from guidekit.topics import ROOT, SNIPPETS, topics

PROOF_FILE = ROOT / "includes" / "your-app" / "port-proof.md"
#: The before/after the port page shows: one topic's Flask app and its generated port.
EXAMPLE_TOPIC = "query-parameters"
EXAMPLE_FILE = ROOT / "includes" / "your-app" / "port-example.txt"
SAMPLE = ROOT / "examples" / "sample-app"
#: The sections whose topics must reach the bar (issue 21): share of exchanges that are
#: the same or a known difference.
PROVED_SECTIONS = ("routing", "requests", "responses", "errors")
BAR = 0.8
HASH_LINE = re.compile(r"<!-- inputs: (?P<hash>[0-9a-f]{64}) -->")


def inputs() -> list[Path]:
    """Every file the proof reads, in a stable order."""
    kit = ROOT / "kit" / "flask2fastapi"
    files = sorted((kit / "port").glob("*.py"))
    files += [kit / "rules.py", kit / "parity.py", kit / "traffic.py", Path(__file__)]
    for topic in topics():
        for name in ("flask_app.py", "exchanges.toml", "env.toml"):
            if (SNIPPETS / topic / name).is_file():
                files.append(SNIPPETS / topic / name)
        files += sorted(
            p for p in (SNIPPETS / topic).rglob("*")
            if p.is_file() and is_template(p.relative_to(SNIPPETS / topic).as_posix())
        )  # fmt: skip
    files += sorted(p for p in SAMPLE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in inputs():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def section_of(topic: str) -> str:
    found = sorted((ROOT / "docs").glob(f"*/{topic}.md"))
    return found[0].parent.name if found else "-"


@dataclass
class TopicProof:
    topic: str
    section: str
    conversions: Counter[str] = field(default_factory=Counter)
    todos: Counter[str] = field(default_factory=Counter)
    compiles: bool = False
    framework: str | None = None  # of the port's `app`: "fastapi", or "flask" if blocked
    error: str | None = None
    exchanges: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def good(self) -> int:
        """Exchanges that are the same, or a known (rule-explained) difference."""
        if self.framework != "fastapi":
            return 0  # an app left in Flask proves nothing about the rules
        return (
            self.counts.get("same", 0)
            + self.counts.get("known", 0)
            + self.counts.get("accepted", 0)
        )


def prove_topic(topic: str, scratch: Path) -> TopicProof:
    proof = TopicProof(topic, section_of(topic))
    folder = SNIPPETS / topic
    out = scratch / topic
    try:
        report = port_tree(folder / "flask_app.py", out)
    except PortError as exc:  # exit 2: e.g. an APIFlask app, no `Flask(...)` call
        proof.error = f"exit 2: {exc}".replace(str(ROOT) + "/", "")
        return proof
    proof.conversions = report.conversions()
    proof.todos = Counter(t.rule for t in report.todos)
    ported = out / "flask_app.py"
    # Templates, static files, SQL the app reads next to its module (not the other variant).
    for extra in folder.iterdir():
        if extra.name in ("flask_app.py", "fastapi_app.py", "__pycache__"):
            continue
        if extra.is_dir():
            shutil.copytree(extra, out / extra.name, dirs_exist_ok=True)
        else:
            shutil.copy2(extra, out / extra.name)
    # The Jinja templates among them, rewritten as `port` rewrites a tree's templates
    # (not for an app the port keeps in Flask: Flask renders them).
    for page in sorted(p for p in out.rglob("*") if p.is_file() and not report.blockers):
        if is_template(page.relative_to(out).as_posix()):
            routes = route_params([ported.read_text(encoding="utf-8")])
            text, n, _ = rewrite_template(page.read_text(encoding="utf-8"), routes)
            page.write_text(text, encoding="utf-8")
            proof.conversions.update({"templates": n} if n else {})
            proof.todos.update(rule for _, rule, _ in template_todos(text))
    try:
        compile(ported.read_text(encoding="utf-8"), str(ported), "exec")
        proof.compiles = True
        with (
            tempfile.TemporaryDirectory() as uploads,
            environ({**demo_environ(topic), "UPLOAD_DIR": uploads}),
        ):
            module = load_module_from_path(ported, f"port_{topic.replace('-', '_')}")
            port_app = module.app
            proof.framework = framework_of(port_app)
            flask_app = load_app(topic, "flask")
            exchanges_file = folder / "exchanges.toml"
            if exchanges_file.is_file():
                from flask2fastapi.traffic import load_toml

                items = load_toml(exchanges_file)
                proof.exchanges = len(items)
                if proof.framework == "fastapi":
                    result = parity.run(flask_app, port_app, items)
                    proof.counts = result.counts()
    except Exception as exc:  # a port that does not import is a result, not a crash
        proof.error = f"{type(exc).__name__}: {exc}"[:120]
    return proof


SAMPLE_SCRIPT = r"""
import inspect, json, sys
from pathlib import Path
from flask2fastapi import parity
from flask2fastapi.apps import framework_of, import_app
from flask2fastapi.traffic import load_requests
sample, port, todos = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
generated = import_app("flask_app:create_app", [port])
written = import_app("fastapi_app:create_app", [sample])
items = load_requests(Path(sample) / "requests.toml")
out = {"framework": framework_of(generated), "exchanges": len(items)}
config = parity.Config.load(Path(sample) / "parity.toml")


def spans():
    # The port's routes, by the Flask endpoint the `routes` rule keeps as their `name=`:
    # (module under the package, lines from the first decorator to the end).
    import ast

    found = {}
    for path in sorted((Path(port) / "flask_app").rglob("*.py")):
        rel = path.relative_to(Path(port) / "flask_app").as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list:
                names = [
                    k.value.value for d in node.decorator_list if isinstance(d, ast.Call)
                    for k in d.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)
                ]
                start = min(d.lineno for d in node.decorator_list)
                found[names[0] if names else node.name] = (rel, range(start, node.end_lineno + 1))
    return found


def todo_marked(flask, result, routes):
    # The port's route for this request carries a TODO in its function, or at its module's
    # level (outside every route: an error handler left unregistered, the templates folder).
    method, _, rule = (result.route or "").partition(" ")
    endpoint = next(
        (r.endpoint for r in flask.url_map.iter_rules() if r.rule == rule and method in r.methods),
        None,
    )
    if endpoint not in routes:
        return False
    rel, span = routes[endpoint]
    others = [s for f, s in routes.values() if f == rel]
    return any(
        line in span or not any(line in s for s in others)
        for f, line in todos if f == rel
    )


if out["framework"] == "fastapi":
    routes = spans()
    # The port and the sample are both the package `flask_app`: import the sample anew.
    for name in [n for n in sys.modules if n == "flask_app" or n.startswith("flask_app.")]:
        del sys.modules[name]
    flask = import_app("flask_app:create_app", [sample])
    out["counts"] = parity.run(flask, written, items, config).counts()
    report = parity.run(flask, generated, items, config)
    counts = {**report.counts(), "TODO-marked": 0}
    for r in report.results:
        if r.outcome == "unexpected" and todo_marked(flask, r, routes):
            counts["unexpected"] -= 1
            counts["TODO-marked"] += 1
    out["flask_counts"] = counts
else:
    out["counts"] = parity.run(generated, written, items, config).counts()
print(json.dumps(out))
"""


def prove_sample(scratch: Path) -> dict:
    """Port the sample's Flask package; compare the port with the hand-written FastAPI one."""
    out = scratch / "sample"
    report = port_tree(SAMPLE / "flask_app", out / "flask_app")
    env = {"SECRET_KEY": "proof-only", "DEMO_PASSWORD": "demo-password", "INSECURE_COOKIES": "1"}
    run = subprocess.run(
        [sys.executable, "-c", SAMPLE_SCRIPT, str(SAMPLE), str(out),
         json.dumps([(t.file, t.line) for t in report.todos])],
        capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, **env},
    )  # fmt: skip
    data = {
        "conversions": sum(report.conversions().values()),
        "todos": len(report.todos),
        "blockers": report.blockers,
        "by_rule": dict(Counter(t.rule for t in report.todos).most_common()),
    }
    if run.returncode != 0:
        data["error"] = (run.stderr.strip().splitlines() or ["?"])[-1][:160]
    else:
        data.update(json.loads(run.stdout.strip().splitlines()[-1]))
    return data


def render(proofs: list[TopicProof], sample: dict, digest: str) -> str:
    lines = [
        "<!-- Generated by `nox -s port_proof` (guidekit/portproof.py). Do not edit. -->",
        f"<!-- inputs: {digest} -->",
        "",
        "| Section | Topic | Conversions | TODOs | Port | Exchanges | Same or known |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for p in sorted(proofs, key=lambda p: (p.section, p.topic)):
        port = p.framework or ("does not import" if p.compiles else "not ported (exit 2)")
        if p.framework == "flask":
            port = "kept in Flask (TODO)"
        share = f"{p.good}/{p.exchanges}" if p.exchanges else "no exchanges"
        lines.append(
            f"| {p.section} | {p.topic} | {sum(p.conversions.values())} | "
            f"{sum(p.todos.values())} | {port} | {p.exchanges or '-'} | {share} |"
        )
    lines += ["", "| Section | Topics | Ported to FastAPI | Exchanges | Same or known |",
              "|---|---:|---:|---:|---:|"]  # fmt: skip
    for section in PROVED_SECTIONS:
        mine = [p for p in proofs if p.section == section]
        total = sum(p.exchanges for p in mine)
        good = sum(p.good for p in mine)
        share = f"{good}/{total} ({good / total:.0%})" if total else "-"
        fastapi = sum(p.framework == "fastapi" for p in mine)
        lines.append(f"| {section} | {len(mine)} | {fastapi} | {total} | {share} |")
    conversions: Counter[str] = Counter()
    todos: Counter[str] = Counter()
    for p in proofs:
        conversions.update(p.conversions)
        todos.update(p.todos)
    lines += ["", "| Rule | Conversions | TODOs | What it does |", "|---|---:|---:|---|"]
    for rule in RULE_IDS:
        lines.append(f"| `{rule}` | {conversions[rule]} | {todos[rule]} | {RULES[rule].summary} |")
    lines += ["", "**The sample shop**: " + _sample_text(sample), ""]
    return "\n".join(lines)


def _sample_text(sample: dict) -> str:
    rules = ", ".join(f"`{rule}` {n}" for rule, n in sample.get("by_rule", {}).items())
    text = f"{sample['conversions']} conversions, {sample['todos']} TODOs ({rules}). "
    if sample.get("error"):
        return text + f"The port does not import: `{sample['error']}`."
    if sample.get("framework") == "flask":
        blockers = ", ".join(f"`{b}`" for b in sample["blockers"])
        counts = sample.get("counts", {})
        return text + (
            f"The app stays a Flask app until {blockers} are ported by hand (TODO at "
            f"`Flask(...)`); the generated port imports, and `parity` against the hand-written "
            f"FastAPI port over its {sample['exchanges']} requests gives "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + "."
        )
    counts = sample.get("counts", {})
    against_flask = sample.get("flask_counts", {})
    return text + (
        f"The port is a {sample.get('framework')} app; over its {sample.get('exchanges')} "
        "requests, `parity` against the Flask sample gives "
        + ", ".join(f"{n} {k}" for k, n in against_flask.items())
        + " (TODO-marked: the route's function or its module's level carries a TODO); "
        "the hand-written FastAPI port against the same Flask sample gives "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + "."
    )


def generate(check: bool = False) -> list[Path]:
    """Rerun the proof (unless `check`: then only compare the inputs' hash)."""
    digest = inputs_hash()
    if check:
        found = HASH_LINE.search(PROOF_FILE.read_text()) if PROOF_FILE.is_file() else None
        stale = [] if found and found["hash"] == digest else [PROOF_FILE]
        return stale + fragments.sync(EXAMPLE_FILE, example(), check=True)
    with tempfile.TemporaryDirectory() as scratch:
        proofs = []
        for topic in topics():
            if (SNIPPETS / topic / "flask_app.py").is_file():
                proofs.append(prove_topic(topic, Path(scratch)))
                print(f"{topic}: {proofs[-1].good}/{proofs[-1].exchanges} {proofs[-1].error or ''}",
                      file=sys.stderr)  # fmt: skip
        sample = prove_sample(Path(scratch))
    written = fragments.sync(PROOF_FILE, render(proofs, sample, digest))
    return written + fragments.sync(EXAMPLE_FILE, example())


def example() -> str:
    """The port of `EXAMPLE_TOPIC`'s Flask app, as `flask2fastapi port` writes it."""
    from flask2fastapi.port import port_source

    return port_source((SNIPPETS / EXAMPLE_TOPIC / "flask_app.py").read_text())[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guidekit.portproof", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare the inputs' hash")
    args = parser.parse_args(argv)
    stale = generate(args.check)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    if args.check and stale:
        print("Regenerate with: nox -s port_proof", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
