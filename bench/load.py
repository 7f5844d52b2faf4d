"""The load test: each app under its production server on 127.0.0.1, driven by wrk.

Each variant runs under its production server (gunicorn, uvicorn), one worker process on
both sides, and wrk drives it: a warm-up run that is thrown away, then several timed runs
whose median, min and max are kept. Everything is bounded in time: every wrk run has a
duration and a subprocess timeout, servers must answer within a deadline and are stopped
in `finally`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import BENCH, ENV, report
from guidekit.topics import ROOT, SNIPPETS

HOST = "127.0.0.1"  # the only address this benchmark ever sends traffic to
WORKERS = 1  # server processes, the same on both sides
THREADS = 40  # gthread threads: the size of AnyIO's thread pool for FastAPI `def` endpoints
WRK_THREADS = 1  # wrk shares the machine's cores with the server: one thread is enough
CPU_CONCURRENCY = 32  # connections for the CPU-bound workloads
IO_CONCURRENCY = (1, 16, 64, 256)
IO_WAIT_MS = 50  # what bench/apps/io-wait's handlers wait


@dataclass(frozen=True)
class Settings:
    mode: str
    duration_s: int  # one timed wrk run
    warmup_s: int  # one discarded wrk run before the timed ones (0: none)
    repeats: int
    timeout_s: int  # wrk's per-request timeout


FULL = Settings(mode="full", duration_s=3, warmup_s=1, repeats=3, timeout_s=10)
QUICK = Settings(mode="quick", duration_s=1, warmup_s=0, repeats=1, timeout_s=10)


@dataclass(frozen=True)
class Variant:
    """One app under one server, e.g. Flask on gunicorn's gthread worker."""

    framework: str  # "flask" or "fastapi"
    server: str  # a key of `server_command`
    path: str  # the URL path the load goes to
    label: str = ""  # how the table and chart name it; defaults to the server

    @property
    def name(self) -> str:
        return self.label or report.SERVER_LABELS[self.server]


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    app_dir: Path
    variants: tuple[Variant, ...]
    concurrency: tuple[int, ...] = (CPU_CONCURRENCY,)
    method: str = "GET"
    body: str = ""
    seed: tuple[str, str] | None = None  # (path, JSON body) POSTed once after start-up


ITEM = '{"name": "Widget", "price": 9.5}'


def cpu_variants(path: str) -> tuple[Variant, ...]:
    """The same route under both Flask workers, uvicorn, and gunicorn with uvicorn workers."""
    return tuple(
        Variant(framework, server, path)
        for framework, server in [
            ("flask", "gunicorn-sync"),
            ("flask", "gunicorn-gthread"),
            ("fastapi", "uvicorn"),
            ("fastapi", "gunicorn-uvicorn"),
        ]
    )


WORKLOADS = (
    Workload("hello", "Hello JSON", SNIPPETS / "hello-world", cpu_variants("/info")),
    Workload(
        "json-body",
        "Validated JSON body",
        SNIPPETS / "json-body",
        cpu_variants("/items"),
        method="POST",
        body=ITEM,
    ),
    Workload(
        "database",
        "SQLite read",
        SNIPPETS / "databases",
        cpu_variants("/items/1"),
        seed=("/items", ITEM),
    ),
    Workload(
        "io-wait",
        "50 ms I/O wait",
        BENCH / "apps" / "io-wait",
        (
            Variant("flask", "gunicorn-sync", "/wait"),
            Variant("flask", "gunicorn-gthread", "/wait"),
            Variant("fastapi", "uvicorn", "/wait-async", "uvicorn, async def"),
            Variant("fastapi", "uvicorn", "/wait-sync", "uvicorn, def"),
        ),
        concurrency=IO_CONCURRENCY,
    ),
)


def server_command(server: str, framework: str, app_dir: Path, port: int) -> list[str]:
    """The production command line for one server, bound to 127.0.0.1:`port`."""
    app = f"{framework}_app:app"
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    gunicorn += ["--bind", f"{HOST}:{port}", "--chdir", str(app_dir), "--log-level", "warning"]
    if server == "gunicorn-sync":
        return [*gunicorn, "--worker-class", "sync", app]
    if server == "gunicorn-gthread":
        return [*gunicorn, "--worker-class", "gthread", "--threads", str(THREADS), app]
    if server == "gunicorn-uvicorn":
        return [*gunicorn, "--worker-class", "uvicorn_worker.UvicornWorker", app]
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", app, "--app-dir", str(app_dir),
            "--host", HOST, "--port", str(port), "--workers", str(WORKERS),
            "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _request(url: str, body: str = "") -> int:
    """One HTTP request; the status code (any answer means the server is up)."""
    data = body.encode() if body else None
    headers = {"Content-Type": "application/json"} if body else {}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (http://127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """One variant's server process: started in its own process group, always stopped.

    A gunicorn sync worker keeps serving requests whose client has already gone: after a
    run at 256 connections, its listen queue holds seconds of dead work that would be
    charged to the next run. `settle()` therefore restarts a server that does not answer
    promptly, so that every run starts from an idle server.
    """

    def __init__(self, workload: Workload, variant: Variant, log_dir: Path) -> None:
        self.workload, self.variant = workload, variant
        name = re.sub(r"\W+", "-", f"{workload.key} {variant.framework} {variant.name}")
        self.log = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.base = ""
        self.restarts = 0

    @property
    def url(self) -> str:
        return self.base + self.variant.path

    def launch(self) -> None:
        """Start the process; `wait_ready()` then waits for it (several start in parallel)."""
        port = free_port()
        self.base = f"http://{HOST}:{port}"
        command = server_command(
            self.variant.server, self.variant.framework, self.workload.app_dir, port
        )
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                command, stdout=out, stderr=out, env=ENV, start_new_session=True
            )

    def shown_command(self) -> str:
        """The server's command line as a reader would type it in the repository's root."""
        argv = server_command(self.variant.server, self.variant.framework, self.workload.app_dir, 0)
        words = ["python" if a == sys.executable else a for a in argv]
        text = " ".join(words).replace(str(ROOT) + "/", "")
        return text.replace(f"{HOST}:0", f"{HOST}:PORT").replace("--port 0", "--port PORT")

    def wait_ready(self, deadline_s: float = 30) -> None:
        """Wait until the server answers, then seed its data if the workload needs any."""
        assert self.proc is not None, "launch() first"  # noqa: S101
        end = time.monotonic() + deadline_s
        while not self._answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}): see {self.log}")
            if time.monotonic() > end:
                raise RuntimeError(f"server did not answer in {deadline_s}s: see {self.log}")
            time.sleep(0.1)
        if self.workload.seed:
            path, body = self.workload.seed
            status = _request(self.base + path, body)
            if status != 201:
                raise RuntimeError(f"seeding {self.base + path} answered {status}")

    def _answers(self) -> bool:
        try:
            _request(self.url)
        except OSError:
            return False
        return True

    def settle(self) -> None:
        """Make sure the server is idle: restart it if a request does not come back in 2 s."""
        if not self._answers():
            self.stop()
            self.restarts += 1
            self.launch()
            self.wait_ready()

    def stop(self) -> None:
        """SIGINT to the process group (gunicorn's workers too), SIGKILL if it lingers.

        SIGINT is gunicorn's quick shutdown (SIGTERM would wait up to 30 s for a backlog of
        dead requests) and uvicorn's Ctrl-C.
        """
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


_WRK_JSON = re.compile(r"^BENCH_JSON (\{.*\})$", re.MULTILINE)


def wrk(url: str, connections: int, seconds: int, settings: Settings, workload: Workload) -> dict:
    """One wrk run; throughput, latency percentiles and error counts from its Lua summary."""
    command = [
        "wrk", "-t", str(min(WRK_THREADS, connections)), "-c", str(connections),
        "-d", f"{seconds}s", "--timeout", f"{settings.timeout_s}s",
        "-s", str(BENCH / "wrk.lua"), url,
    ]  # fmt: skip
    env = {**ENV, "BENCH_METHOD": workload.method, "BENCH_BODY": workload.body}
    out = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=seconds + 30, check=True
    ).stdout
    match = _WRK_JSON.search(out)
    if not match:
        raise RuntimeError(f"no summary in wrk's output:\n{out}")
    raw = json.loads(match.group(1))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds_run, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(raw["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(raw["latency_us"]["max"] / 1000, 2),
        "errors": raw["errors"],
    }


def summarise(runs: list[dict]) -> dict:
    """Median with min and max across repeats; error counts added up."""
    rps = [r["rps"] for r in runs]
    errors = sum(sum(r["errors"].values()) for r in runs)
    return {
        "rps_median": round(statistics.median(rps), 1),
        "rps_min": min(rps),
        "rps_max": max(rps),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "errors": errors,
    }


def measure(workload: Workload, settings: Settings, log_dir: Path) -> list[dict]:
    """All variants of a workload, interleaved: run 1 of each, then run 2 of each, ...

    Interleaving spreads any drift in the machine's background load over every variant
    alike, so the ratios computed within the run stay fair.
    """
    servers = [Server(workload, variant, log_dir) for variant in workload.variants]
    rows = []
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            server.launch()
        for server in servers:
            server.wait_ready()
        for connections in workload.concurrency:
            runs: list[list[dict]] = [[] for _ in servers]
            for server in servers if settings.warmup_s else []:
                server.settle()
                wrk(server.url, connections, settings.warmup_s, settings, workload)
            for _ in range(settings.repeats):
                for server, kept in zip(servers, runs, strict=True):
                    server.settle()
                    kept.append(
                        wrk(server.url, connections, settings.duration_s, settings, workload)
                    )
            for server, kept in zip(servers, runs, strict=True):
                variant = server.variant
                row = {
                    "workload": workload.key,
                    "title": workload.title,
                    "framework": variant.framework,
                    "server": variant.server,
                    "variant": variant.name,
                    "method": workload.method,
                    "path": variant.path,
                    "command": server.shown_command(),
                    "concurrency": connections,
                    "summary": summarise(kept),
                    "runs": kept,
                }
                print(
                    f"  {workload.key:9} {variant.framework:7} {variant.name:24} "
                    f"c={connections:<4} {row['summary']['rps_median']:>9.1f} req/s  "
                    f"p99 {row['summary']['p99_ms']:.1f} ms  errors {row['summary']['errors']}",
                    flush=True,
                )
                rows.append(row)
    restarts = sum(server.restarts for server in servers)
    if restarts:
        print(f"  ({workload.key}: {restarts} restart(s) to clear a backlog of dead requests)")
    return rows


def recorded_settings(settings: Settings) -> dict:
    """What the results file records about how the load was applied (the report reads it)."""
    return asdict(settings) | {
        "workers": WORKERS,
        "gthread_threads": THREADS,
        "wrk_threads": WRK_THREADS,
        "io_wait_ms": IO_WAIT_MS,
        "host": HOST,
    }
