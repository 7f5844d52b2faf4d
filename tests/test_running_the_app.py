"""running-the-app: what the dev and production commands load and how they configure the server.

No server is started: each command line runs through the real CLI (Flask's `flask`,
`fastapi`, `uvicorn`, gunicorn's config parser) with only the final "serve forever" call
replaced by a recorder (tests/cli_harness.py). The tests then drive the app object the CLI
loaded.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import flask.cli
import pytest
from uvicorn.importer import import_from_string

from guidekit.harness import client_for
from guidekit.topics import SNIPPETS
from tests.cli_harness import gunicorn, invoke, isolated_process, serve
from tests.expect import has

HERE = SNIPPETS / "running-the-app"
ANY = "0.0.0.0"  # noqa: S104 - production servers listen on every interface (containers)

# The command lines the page shows, run from the snippet folder.
DEV = {
    "flask": ["flask", "--app", "flask_app", "run", "--debug"],
    "fastapi": ["fastapi", "dev", "fastapi_app.py"],
}
DEV_UVICORN = ["uvicorn", "fastapi_app:app", "--reload"]
PROD = {
    "flask": [
        "gunicorn", "--workers", "4", "--threads", "2", "--bind", "0.0.0.0:8000", "flask_app:app"
    ],
    "fastapi": ["fastapi", "run", "--workers", "4", "fastapi_app.py"],
}  # fmt: skip
PROD_UVICORN = ["uvicorn", "fastapi_app:app", "--host", ANY, "--workers", "4"]
# What makes a plain `uvicorn` command line the same server as a `fastapi` one.
SERVER_OPTIONS = ("import_string", "host", "port", "reload", "workers")


@pytest.fixture(autouse=True)
def clean_process_state(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The CLIs write os.environ, sys.path and sys.modules; start clean and undo it all."""
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")  # no .env from a parent folder
    with isolated_process(
        monkeypatch, HERE, unset=("FLASK_DEBUG", "FLASK_RUN_FROM_CLI", "FASTAPI_ENV")
    ):
        yield


def run_cli(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run one command line; return the loaded app and the server settings it asked for."""
    if argv[0] == "gunicorn":
        server = gunicorn(argv, monkeypatch, chdir=HERE)
        return {
            "app": server.load(),
            "bind": server.cfg.bind,
            "workers": server.cfg.workers,
            "threads": server.cfg.threads,
            "worker_class": server.cfg.worker_class,
        }
    seen, output = serve(argv, monkeypatch)
    if argv[0] != "flask":  # uvicorn was given "module:attribute": import it as uvicorn would
        import_string = seen["app"]
        sys.path.insert(0, seen.get("app_dir", ""))  # what uvicorn.run does first
        seen.update(app=import_from_string(import_string), import_string=import_string)
    return {**seen, "output": output}


def server_options(run: dict[str, Any]) -> dict[str, Any]:
    """The SERVER_OPTIONS a command line asked uvicorn for."""
    return {option: run[option] for option in SERVER_OPTIONS}


def mode_of(framework: str, app: Any) -> str:
    """What the loaded app says about itself over HTTP."""
    with client_for(framework, app) as client:
        r = client.get("/")
    assert r.status_code == 200
    return r.json()["mode"]


def test_default_mode_is_production(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"mode": "production"}


def test_unknown_route_is_404(client):
    assert client.get("/nope").status_code == 404


@pytest.mark.change("fastapi-dev-env")
def test_dev_command_loads_the_app_with_reload_on_localhost(framework, monkeypatch):
    run = run_cli(DEV[framework], monkeypatch)
    assert run["app"] is sys.modules[f"{framework}_app"].app
    assert run["host"] == "127.0.0.1"
    assert run["port"] == {"flask": 5000, "fastapi": 8000}[framework]
    assert run[{"flask": "use_reloader", "fastapi": "reload"}[framework]] is True
    # Only Flask's --debug turns on the app's debug mode (and the in-browser debugger);
    # `fastapi dev` sets FASTAPI_ENV, which this snippet maps to FastAPI(debug=True).
    if framework == "fastapi" and not has("fastapi-dev-env"):  # older fastapi-cli
        assert mode_of(framework, run["app"]) == "production"
        assert "FASTAPI_ENV" not in os.environ
        return
    assert mode_of(framework, run["app"]) == "development"
    assert (
        os.environ[{"flask": "FLASK_DEBUG", "fastapi": "FASTAPI_ENV"}[framework]]
        == {
            "flask": "1",
            "fastapi": "development",
        }[framework]
    )
    if framework == "flask":
        assert run["use_debugger"] is True
        assert run["threaded"] is True  # the dev server is not one-request-at-a-time
    else:
        assert run["import_string"] == "fastapi_app:app"
        assert run["workers"] is None


def test_uvicorn_reload_is_what_fastapi_dev_runs(framework, monkeypatch):
    """`fastapi dev` is uvicorn with reload; Flask's counterpart is its own dev server."""
    dev = run_cli(DEV[framework], monkeypatch)
    if framework == "fastapi":
        plain = run_cli(DEV_UVICORN, monkeypatch)
        assert server_options(plain) == server_options(dev)
        assert plain["app"] is dev["app"]
    else:
        assert "Debug mode: on" in dev["output"]


def test_production_command_runs_several_workers_on_all_interfaces(framework, monkeypatch):
    run = run_cli(PROD[framework], monkeypatch)
    assert run["app"] is sys.modules[f"{framework}_app"].app
    assert mode_of(framework, run["app"]) == "production"
    assert run["workers"] == 4
    if framework == "flask":
        assert run["bind"] == ["0.0.0.0:8000"]
        without_bind = [a for a in PROD["flask"] if a not in ("--bind", "0.0.0.0:8000")]
        assert run_cli(without_bind, monkeypatch)["bind"] == ["127.0.0.1:8000"]
        assert run["threads"] == 2
        # gunicorn switches its sync worker to the threaded one when --threads > 1
        assert run["worker_class"].__module__ == "gunicorn.workers.gthread"
    else:
        assert (run["host"], run["port"], run["reload"]) == (ANY, 8000, False)
        assert "FASTAPI_ENV" not in os.environ  # only `fastapi dev` sets it


def test_uvicorn_workers_is_what_fastapi_run_runs(framework, monkeypatch):
    prod = run_cli(PROD[framework], monkeypatch)
    if framework == "fastapi":
        plain = run_cli(PROD_UVICORN, monkeypatch)
        assert server_options(plain) == server_options(prod)
    else:  # Flask has no production server of its own: `flask run` is for development only
        assert "development server" in flask.cli.run_command.help


def test_unknown_module_fails_to_start(framework, monkeypatch):
    argv = {
        "flask": ["flask", "--app", "missing_app", "run"],
        "fastapi": ["fastapi", "dev", "missing_app.py"],
    }[framework]
    result = invoke(argv)
    assert result.exit_code == {"flask": 2, "fastapi": 1}[framework]
    message = {"flask": "Could not import 'missing_app'", "fastapi": "Path does not exist"}
    assert message[framework] in result.output


@pytest.mark.only("fastapi", reason="Flask's app.run(debug=True) takes the app object")
def test_uvicorn_run_needs_an_import_string_to_reload(framework, snippet, caplog):
    """The port of `app.run(debug=True)`, `uvicorn.run(app, reload=True)`, does not start:
    Uvicorn logs that it needs "module:attribute" and exits (status 3, its start-up
    failure) before binding a port. With the import string it would serve (not started
    here). `log_config=None` leaves the test session's logging as it is."""
    import uvicorn

    with pytest.raises(SystemExit) as stopped:
        uvicorn.run(snippet.app, reload=True, log_config=None)
    assert stopped.value.code == 3
    assert "import string" in caplog.text
