"""Every route of every snippet app, on both frameworks, survives hostile input.

Not a topic module (its name matches no topic): it runs over all topics. Routes are read
from each app (`guidekit.hostile.routes`), never listed here, so a new topic is covered as
soon as it exists. Each app gets a battery of hostile requests (see `guidekit.hostile`);
no answer may be a 500, a JSON body that is not JSON, an unbounded body, or a `Location`
naming a spoofed `Host`. A route that fails on purpose declares itself in its app:
`DELIBERATE_ERRORS = {"/boom"}`. What the apps carry to pass it (an orjson-backed JSON
provider in Flask, a 422 handler and model settings in FastAPI) is explained once, on
docs/requests/hostile-input.md.
"""

from __future__ import annotations

import ast
import os
import re

import pytest

from guidekit.exchanges import load_exchanges
from guidekit.harness import demo_environ, load_module
from guidekit.hostile import body_samples, check, hostile_probes, send_all
from guidekit.topics import FRAMEWORKS, snippet_path, topics

#: Apps this test still catches: known defects to fix (issue 12), each failing here as
#: expected. Strict: once an app is fixed the test passes, fails the run, and the entry
#: must go. Never add an entry to make a new topic pass. HOSTILE_SHOW_ALL=1 shows their failures.
NOT_YET_FIXED: dict[str, set[str]] = {}


#: Topics whose hostile run depends on a release (guidekit/floors.py): their parameter
#: carries `change(...)`, so `nox -s floors` explains its failure on the older set.
NEEDS: dict[str, tuple[str, ...]] = {
    "flask-admin": ("staticfiles-nul-byte",),  # starlette-admin serves its files with StaticFiles
    "flask-talisman": ("trusted-hosts",),  # else a spoofed Host reaches redirects
    "instance-and-resources": ("open-resource-encoding",),  # the Flask app passes encoding=
    "static-files": ("staticfiles-nul-byte",),
    "streaming": ("fastapi-sse",),  # the FastAPI app imports fastapi.sse
    "templates": ("staticfiles-nul-byte",),  # the app mounts StaticFiles too
}


def _with_changes(names: list[str]) -> list[object]:
    return [pytest.param(n, marks=[pytest.mark.change(c) for c in NEEDS.get(n, ())]) for n in names]


def test_this_module_is_not_a_topic_module():
    """conftest pairs test_<topic>.py with a topic; this module must never be taken for one."""
    assert __name__.rpartition(".")[2].removeprefix("test_").replace("_", "-") not in topics()


@pytest.mark.parametrize("topic", _with_changes(topics()))
def test_no_route_answers_hostile_input_with_a_500(topic, framework, request):
    if framework in NOT_YET_FIXED.get(topic, ()) and not os.environ.get("HOSTILE_SHOW_ALL"):
        request.applymarker(pytest.mark.xfail(strict=True, reason="issue 12: not fixed yet"))
    module = load_module(topic, framework)
    deliberate = set(getattr(module, "DELIBERATE_ERRORS", ()))
    # Valid bodies come from the FastAPI twin's models: the Flask app reads the same ones.
    twin = module if framework == "fastapi" else load_module(topic, "fastapi")
    samples = body_samples(twin.app)
    pairs = list(hostile_probes(framework, module.app, load_exchanges(topic), samples))
    answers = send_all(framework, module.app, [probe for _, probe in pairs])
    failures = []
    for (pattern, probe), answer in zip(pairs, answers, strict=True):
        if isinstance(answer, Exception):
            problem = f"raised {type(answer).__name__}: {answer}"[:200]
        else:
            problem = check(answer)
            if problem == "500" and pattern in deliberate:
                continue
        if problem:
            failures.append(f"{probe.method} {probe.url[:60]} [{pattern}] {probe.label}: {problem}")
    assert pairs
    summary = "\n".join(failures[:40])
    assert not failures, f"{len(failures)} of {len(pairs)} hostile requests failed:\n{summary}"


SECRET_NAME = re.compile(r"SECRET|TOKEN|KEY|PASSWORD|CREDENTIAL", re.I)
#: Calls that read an environment variable: the snippets' `secret()` (and flask-mail's
#: `required_env()`, the same body for settings that are not all secrets) and os's own.
SECRET_READERS = {"os.environ.get", "os.getenv", "secret", "required_env"}
#: Secrets an app may run without, by design, with why; still read with no default.
OPTIONAL_SECRETS = {
    # Unset or empty: only the current key verifies (test_the_decoding_key_is_chosen_per_token).
    "JWT_PREVIOUS_SECRET_KEY": "the previous key during a key rotation",
}


def _secret_reads(topic: str, framework: str) -> list[tuple[str, bool]]:
    """`(name, has_default)` for each secret-like environment variable the app reads."""
    tree = ast.parse(snippet_path(topic, framework).read_text())
    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.args[0].value
            func = ast.unparse(node.func)
            if func in SECRET_READERS and SECRET_NAME.search(str(name)):
                reads.append((name, len(node.args) > 1 or bool(node.keywords)))
    return reads


def _secret_literals(topic: str, framework: str) -> list[str]:
    """Names of secret-like variables, attributes or fields given a literal in the code."""
    found = []
    for node in ast.walk(ast.parse(snippet_path(topic, framework).read_text())):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "SecretStr":
                value = value.args[0] if value.args else value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                names = [ast.unparse(t) for t in targets]
                found += [n for n in names if SECRET_NAME.search(n)]
    return found


@pytest.mark.parametrize("topic", topics())
def test_no_secret_has_a_default(topic, framework):
    """Fail closed: a default written in a snippet would sign for anyone who reads it."""
    assert [name for name, has_default in _secret_reads(topic, framework) if has_default] == []
    assert _secret_literals(topic, framework) == []


@pytest.mark.parametrize(
    "topic", [t for t in topics() if any(_secret_reads(t, f) for f in FRAMEWORKS)]
)
def test_a_missing_secret_stops_the_app(topic, framework, monkeypatch):
    """Missing or empty (`NAME=` in a compose file whose variable is unset): no start."""
    for name, _ in _secret_reads(topic, framework):
        if name in OPTIONAL_SECRETS:
            continue
        without = {k: v for k, v in demo_environ(topic).items() if k != name}
        with monkeypatch.context() as env:
            env.delenv(name, raising=False)
            with pytest.raises(RuntimeError, match=f"{name} is not set"):
                load_module(topic, framework, env=without)
            with pytest.raises(RuntimeError, match=f"{name} is not set"):
                load_module(topic, framework, env={**without, name: ""})
