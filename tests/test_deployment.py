"""deployment: proxy headers, the gunicorn settings files and the Dockerfiles' commands.

Proxy tests send requests "from" a chosen peer address (WSGI `REMOTE_ADDR`, ASGI
`client`). The gunicorn files are loaded by gunicorn's own option parser; each
Dockerfile's CMD runs through the real CLI with the Dockerfile's ENV, with only the final
"serve forever" call replaced (tests/cli_harness.py). No Docker engine, no socket.
"""

from __future__ import annotations

import importlib
import itertools
import json
import re
import shlex
import sys
import warnings
from typing import Any

import httpx2
import pytest
import uvicorn
from fastapi import Request
from fastapi.testclient import TestClient
from gunicorn.app.wsgiapp import WSGIApplication

from guidekit.harness import load_app
from guidekit.topics import SNIPPETS
from tests.cli_harness import SNIPPET_MODULES, gunicorn, isolated_process, serve, served

HERE = SNIPPETS / "deployment"
PROXY = "127.0.0.1"  # the reverse proxy, on the same host: trusted by both apps' defaults
STRANGER = "198.51.100.7"  # any other peer
VISITOR = "203.0.113.9"  # the real client, as the proxy reports it
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": VISITOR}
CPUS = 8
ANY = "0.0.0.0"  # noqa: S104 - in a container the server listens on every interface


@pytest.fixture(autouse=True)
def clean_process_state(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Settings come from the environment, and the servers import modules by name."""
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: CPUS)
    with isolated_process(
        monkeypatch,
        HERE,
        unset=("WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "BIND", "FASTAPI_ENV"),
        modules=(*SNIPPET_MODULES, "__config__"),  # gunicorn imports a -c file as __config__
    ):
        yield


def request_from(framework: str, app: Any, peer: str, headers: dict[str, str]) -> dict:
    """GET /whoami as if the TCP connection came from `peer`."""
    if framework == "flask":
        transport = httpx2.WSGITransport(app=app, remote_addr=peer)
        with httpx2.Client(transport=transport, base_url="http://testserver") as client:
            r = client.get("/whoami", headers=headers)
    else:
        with TestClient(app, client=(peer, 50000)) as client:
            r = client.get("/whoami", headers=headers)
    assert r.status_code == 200
    return r.json()


def test_health_check(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"status": "ok"}


def test_unknown_route_is_404(client):
    assert client.get("/health").status_code == 404


def test_direct_request_sees_the_peer(app, framework):
    assert request_from(framework, app, STRANGER, {}) == {"scheme": "http", "client": STRANGER}


def test_headers_from_the_trusted_proxy_give_scheme_and_client(app, framework):
    assert request_from(framework, app, PROXY, FORWARDED) == {"scheme": "https", "client": VISITOR}


def test_a_spoofed_first_hop_is_ignored(app, framework):
    """The client sent its own X-Forwarded-For; the proxy appended the real address."""
    headers = {**FORWARDED, "X-Forwarded-For": f"10.6.6.6, {VISITOR}"}
    assert request_from(framework, app, PROXY, headers)["client"] == VISITOR


def test_headers_from_an_untrusted_peer(app, framework):
    """ProxyFix trusts one hop from anyone; uvicorn's middleware checks the peer's address."""
    seen = request_from(framework, app, STRANGER, FORWARDED)
    assert (
        seen
        == {
            "flask": {"scheme": "https", "client": VISITOR},
            "fastapi": {"scheme": "http", "client": STRANGER},
        }[framework]
    )


def test_trusted_proxies_come_from_the_environment(framework, monkeypatch):
    """FORWARDED_ALLOW_IPS is what uvicorn and gunicorn read; ProxyFix has no such list."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", STRANGER)
    fresh = load_app("deployment", framework)  # the variable is read at import
    assert request_from(framework, fresh, STRANGER, FORWARDED)["scheme"] == "https"
    assert (
        request_from(framework, fresh, PROXY, FORWARDED)["scheme"]
        == {
            "flask": "https",  # ProxyFix ignores the variable: still one hop from anyone
            "fastapi": "http",  # 127.0.0.1 is no longer trusted
        }[framework]
    )


def settings_file(framework: str, monkeypatch: pytest.MonkeyPatch) -> WSGIApplication:
    """`gunicorn -c gunicorn_<framework>.conf.py`, as gunicorn parses it."""
    return gunicorn(["gunicorn", "-c", f"gunicorn_{framework}.conf.py"], monkeypatch, chdir=HERE)


def test_gunicorn_settings_file(framework, monkeypatch):
    server = settings_file(framework, monkeypatch)
    cfg = server.cfg
    assert cfg.bind == ["0.0.0.0:8000"]
    assert cfg.timeout == 30
    assert cfg.workers == {"flask": 2 * CPUS + 1, "fastapi": CPUS}[framework]
    if framework == "flask":
        assert cfg.threads == 4
        assert cfg.worker_class.__module__ == "gunicorn.workers.gthread"  # not "sync"
    else:
        assert cfg.worker_class_str == "uvicorn_worker.UvicornWorker"
        assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"]
    loaded = server.load()
    assert loaded is sys.modules[f"{framework}_app"].app


def test_gunicorn_settings_follow_the_environment(framework, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("BIND", "127.0.0.1:9000")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")
    cfg = settings_file(framework, monkeypatch).cfg
    assert (cfg.workers, cfg.bind) == (3, ["127.0.0.1:9000"])
    if framework == "fastapi":  # passed on to uvicorn by the worker
        assert cfg.forwarded_allow_ips == ["10.0.0.2"]


def test_which_gunicorn_worker_runs_an_asgi_app(framework, monkeypatch):
    """uvicorn 0.54 still ships uvicorn.workers, deprecated in favour of `uvicorn-worker`;
    gunicorn (since 24) also has a native worker, `-k asgi`."""
    cfg = settings_file(framework, monkeypatch).cfg
    if framework == "flask":
        assert cfg.worker_class_str == "gthread"  # a WSGI worker; sync + threads > 1
    else:
        monkeypatch.delitem(sys.modules, "uvicorn.workers", raising=False)
        with pytest.warns(DeprecationWarning, match="use `uvicorn-worker` package instead"):
            importlib.import_module("uvicorn.workers")
        cfg.set("worker_class", "asgi")
        assert cfg.worker_class.__name__ == "ASGIWorker"


def dockerfile(framework: str) -> dict[str, Any]:
    """The parts of a Dockerfile the tests check: COPY sources, ENV values, CMD argv."""
    text = (HERE / f"{framework}.Dockerfile").read_text()
    copies = [line.split()[:-1] for line in re.findall(r"^COPY (.+)$", text, re.M)]
    env = dict(
        pair.split("=", 1)
        for line in re.findall(r"^ENV (.+)$", text, re.M)
        for pair in shlex.split(line)
    )
    [cmd] = re.findall(r"^CMD (\[.+\])$", text, re.M)
    return {"copied": list(itertools.chain(*copies)), "env": env, "cmd": json.loads(cmd)}


def test_dockerfile_copies_files_that_exist(framework):
    files = dockerfile(framework)["copied"]
    assert f"{framework}_app.py" in files
    assert all((HERE / name).is_file() for name in files)


def test_dockerfile_command_starts_the_app(framework, monkeypatch):
    recipe = dockerfile(framework)
    for name, value in recipe["env"].items():
        monkeypatch.setenv(name, value)
    argv = recipe["cmd"]
    if framework == "flask":
        cfg = gunicorn(argv, monkeypatch, chdir=HERE).cfg
        assert (cfg.bind, cfg.workers, cfg.threads) == (["0.0.0.0:8000"], 2, 4)
        return
    seen, _ = serve(argv, monkeypatch)
    assert (seen["app"], seen["host"], seen["port"]) == ("fastapi_app:app", ANY, 8000)
    assert seen["proxy_headers"] is True
    assert seen["workers"] is None  # so uvicorn reads WEB_CONCURRENCY...
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = uvicorn.Config(**seen)
    assert config.workers == 2
    assert config.forwarded_allow_ips == "127.0.0.1"  # ...and FORWARDED_ALLOW_IPS


def test_a_path_prefix_is_script_name_in_flask_and_root_path_in_fastapi(
    framework, app, monkeypatch
):
    """Served under /api: WSGI carries the prefix as SCRIPT_NAME, so Flask routes the rest
    and puts the prefix back into the URLs it builds. ASGI carries it as `root_path`, which
    uvicorn takes from `--root-path` only: a SCRIPT_NAME in the environment changes nothing."""
    if framework == "flask":
        from flask import url_for
        from werkzeug.test import Client

        app.add_url_rule("/link", "link", lambda: {"healthz": url_for("healthz")})
        client = Client(app)
        under_api = "http://localhost/api/"  # SCRIPT_NAME=/api, PATH_INFO=/healthz
        r = client.get("/healthz", base_url=under_api)
        assert (r.status_code, r.json) == (200, {"status": "ok"})
        assert client.get("/link", base_url=under_api).json == {"healthz": "/api/healthz"}
        assert client.get("/api/healthz").status_code == 404  # the prefix, not announced
        return

    @app.get("/link")
    def link(request: Request):
        return {"healthz": request.url_for("healthz").path}

    monkeypatch.setenv("SCRIPT_NAME", "/api")
    assert uvicorn.Config(app).root_path == ""  # ignored: give --root-path /api instead
    assert uvicorn.Config(app, root_path="/api").root_path == "/api"
    with TestClient(app, root_path="/api") as client:
        r = client.get("/api/healthz")
        assert (r.status_code, r.json()) == (200, {"status": "ok"})
        assert client.get("/api/link").json() == {"healthz": "/api/healthz"}
    with TestClient(app) as client:
        assert client.get("/api/healthz").status_code == 404  # the prefix, not announced


def _get(port: int, path: str) -> tuple[int, Any]:
    r = httpx2.get(f"http://127.0.0.1:{port}{path}", timeout=5)
    return r.status_code, r.json()


@pytest.mark.only("fastapi", reason="uvicorn's handling of --root-path")
def test_uvicorns_root_path_expects_the_proxy_to_strip_the_prefix(app):
    """A real uvicorn given `--root-path /api` puts the prefix in front of the path it
    receives: the proxy must strip it. A full path, as gunicorn's SCRIPT_NAME setup took
    it, is then a 404 (uvicorn routes /api/api/healthz). `FastAPI(root_path="/api")` sets
    the prefix in the app, which routes both the full and the stripped path."""
    with served("fastapi", app, root_path="/api") as port:
        assert _get(port, "/healthz") == (200, {"status": "ok"})  # stripped by the proxy
        assert _get(port, "/api/healthz") == (404, {"detail": "Not Found"})
    app.root_path = "/api"  # what FastAPI(root_path="/api") sets
    with served("fastapi", app) as port:
        assert _get(port, "/api/healthz") == (200, {"status": "ok"})
        assert _get(port, "/healthz") == (200, {"status": "ok"})
