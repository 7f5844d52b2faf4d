"""logging: app.logger vs a module logger, a request log, a request id carried through
every record (before_request + g vs middleware + ContextVar, and a logging.Filter), and
what gunicorn and uvicorn configure by default. Records are pinned with `caplog`."""

import json
import logging
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from guidekit.topics import snippet_path
from tests.expect import assert_not_found

HEX_ID = r"[0-9a-f]{32}"


@pytest.fixture
def records(caplog, snippet):
    """The app logger's records of one test, as (level, message, request_id)."""
    caplog.set_level(logging.INFO, logger=snippet.logger.name)

    def get():
        return [
            (r.levelname, r.getMessage(), r.request_id)
            for r in caplog.records
            if r.name == snippet.logger.name
        ]

    return get


def test_a_request_gets_an_id_in_its_header_body_and_every_record(client, records):
    r = client.get("/hello")
    assert r.status_code == 200
    request_id = r.headers["x-request-id"]
    assert r.json() == {"message": "hello", "request_id": request_id}
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert records() == [
        ("INFO", "saying hello", request_id),
        ("INFO", "GET /hello 200", request_id),
    ]


def test_the_callers_id_is_kept(client, records):
    r = client.get("/hello", headers={"X-Request-ID": "req-42.a_B"})
    assert r.headers["x-request-id"] == "req-42.a_B"
    assert {rid for _, _, rid in records()} == {"req-42.a_B"}


@pytest.mark.parametrize(
    "hostile",
    ["", " ", "a b", "x" * 65, "id\tinjected", "'; DROP", "%0aFAKE LOG LINE", "../../etc"],
)
def test_a_hostile_id_is_replaced(client, records, hostile):
    # The id goes into every log line: only a short, plain token is reused.
    r = client.get("/hello", headers={"X-Request-ID": hostile})
    assert r.status_code == 200
    request_id = r.headers["x-request-id"]
    assert request_id != hostile
    assert len(request_id) == 32
    assert {rid for _, _, rid in records()} == {request_id}


def test_errors_are_logged_with_the_id(client, framework, records):
    assert_not_found(r := client.get("/nope"), framework)
    assert records() == [("INFO", "GET /nope 404", r.headers["x-request-id"])]


def test_an_unhandled_exception_is_logged_once_with_the_id(client, records, caplog):
    r = client.get("/boom")
    assert r.status_code == 500
    request_id = r.headers["x-request-id"]
    assert records() == [
        ("ERROR", "Exception on /boom [GET]", request_id),
        ("INFO", "GET /boom 500", request_id),
    ]
    (error,) = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert error.exc_info[0] is RuntimeError  # the traceback is in the record


def test_records_outside_a_request_say_so(snippet, records):
    snippet.logger.info("starting")
    assert records() == [("INFO", "starting", "-")]


def test_concurrent_requests_keep_their_own_ids(client, snippet, records):
    """Eight requests inside the view at once (a barrier in the logging path): each
    record still carries its own request's id, in a thread pool as in Flask's threads."""
    parties = 8
    barrier = threading.Barrier(parties, timeout=30)

    def wait_for_the_others(record):
        if record.getMessage() == "saying hello":
            barrier.wait()
        return True

    snippet.logger.addFilter(wait_for_the_others)
    ids = [f"req-{n}" for n in range(parties)]
    try:
        with ThreadPoolExecutor(parties) as pool:
            bodies = list(
                pool.map(lambda i: client.get("/hello", headers={"X-Request-ID": i}).json(), ids)
            )
    finally:
        snippet.logger.removeFilter(wait_for_the_others)
    assert [body["request_id"] for body in bodies] == ids
    hello = sorted(rid for _, message, rid in records() if message == "saying hello")
    assert hello == sorted(ids)


def run_python(code: str) -> dict:
    """Run `code` in a fresh interpreter (no pytest logging set-up) and read its JSON."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


PRELUDE = """
import json, logging
def names(name):
    return [type(h).__name__ for h in logging.getLogger(name).handlers]
"""
REPORT = """
root, app = logging.getLogger(), logging.getLogger("myapp")
print(json.dumps({
    "root_handlers": names(""), "root_level": logging.getLevelName(root.level),
    "app_info_enabled": app.isEnabledFor(logging.INFO), **extra,
}))
"""


@pytest.mark.only("flask", reason="gunicorn is the Flask app's server")
def test_what_gunicorn_configures_by_default(framework):
    setup = """
from gunicorn.config import Config
from gunicorn.glogging import Logger
cfg = Config()
Logger(cfg)
error = logging.getLogger("gunicorn.error")
extra = {"accesslog": cfg.accesslog, "errorlog": cfg.errorlog,
         "error_level": logging.getLevelName(error.level),
         "error_handlers": names("gunicorn.error"), "access_handlers": names("gunicorn.access")}
"""
    assert run_python(PRELUDE + setup + REPORT) == {
        "accesslog": None,  # no access log unless --access-logfile is given
        "errorlog": "-",  # its error log goes to stderr
        "error_level": "INFO",
        "error_handlers": ["StreamHandler"],
        "access_handlers": [],
        "root_handlers": [],  # the root logger is left alone...
        "root_level": "WARNING",
        "app_info_enabled": False,  # ...so an app's INFO records are dropped
    }


@pytest.mark.only("fastapi", reason="uvicorn is the FastAPI app's server")
def test_what_uvicorn_configures_by_default(framework):
    setup = """
import uvicorn
config = uvicorn.Config("fastapi_app:app")  # its __init__ configures logging
error = logging.getLogger("uvicorn.error")
extra = {"access_log": config.access_log, "access_handlers": names("uvicorn.access"),
         "error_level": logging.getLevelName(error.getEffectiveLevel()),
         "error_handlers": names("uvicorn")}  # uvicorn.error propagates to it
"""
    assert run_python(PRELUDE + setup + REPORT) == {
        "access_log": True,  # an access log by default, on stdout
        "access_handlers": ["StreamHandler"],
        "error_level": "INFO",
        "error_handlers": ["StreamHandler"],
        "root_handlers": [],  # the root logger is left alone...
        "root_level": "WARNING",
        "app_info_enabled": False,  # ...so an app's INFO records are dropped
    }


@pytest.mark.parametrize("disable_existing", [False, True])
def test_the_apps_config_keeps_the_servers_loggers(framework, disable_existing):
    """configure_logging() runs after the server set up its loggers (at import). With
    dictConfig's default, disable_existing_loggers=True, the server's loggers go silent."""
    server_logger = {"flask": "gunicorn.error", "fastapi": "uvicorn.access"}[framework]
    set_up_server = {
        "flask": "from gunicorn.config import Config\n"
        "from gunicorn.glogging import Logger\nLogger(Config())\n",
        "fastapi": "import uvicorn\nuvicorn.Config('fastapi_app:app')\n",
    }[framework]
    path = snippet_path("logging", framework)
    report = run_python(
        set_up_server + "import importlib.util, json, logging, pathlib\n"
        f"source = pathlib.Path({str(path)!r}).read_text().replace(\n"
        f"    'loggers\": False', 'loggers\": {disable_existing}')\n"
        "module = type(logging)('myapp')\n"
        f"module.__file__ = {str(path)!r}\n"
        "exec(compile(source, module.__file__, 'exec'), module.__dict__)\n"
        f"server = logging.getLogger({server_logger!r})\n"
        "print(json.dumps({'server_disabled': server.disabled,\n"
        "    'app_info_enabled': module.logger.isEnabledFor(logging.INFO)}))\n"
    )
    assert report == {"server_disabled": disable_existing, "app_info_enabled": True}


@pytest.mark.only("flask", reason="app.logger is Flask's")
def test_flasks_own_logger_without_configuration(framework):
    report = run_python(
        "import json, logging\n"
        "from flask import Flask\n"
        "from flask.logging import default_handler\n"
        "app = Flask('myapp')\n"
        "print(json.dumps({'name': app.logger.name,\n"
        "    'default_handler': app.logger.handlers == [default_handler],\n"
        "    'level': logging.getLevelName(app.logger.getEffectiveLevel())}))\n"
    )
    # Flask adds a handler, but no level: INFO records are dropped until you set one.
    assert report == {"name": "myapp", "default_handler": True, "level": "WARNING"}


@pytest.mark.only("flask", reason="app.logger is Flask's")
def test_configuring_first_stops_flask_adding_its_handler(framework, snippet):
    from flask.logging import default_handler

    assert snippet.logger is snippet.app.logger
    assert default_handler not in snippet.app.logger.handlers
    assert [type(h).__name__ for h in snippet.app.logger.handlers] == ["StreamHandler"]


def test_the_handler_writes_one_line_per_record_with_the_id(client, snippet, caplog):
    caplog.set_level(logging.INFO, logger=snippet.logger.name)
    assert client.get("/hello", headers={"X-Request-ID": "abc"}).status_code == 200
    (handler,) = snippet.logger.handlers
    assert type(handler) is logging.StreamHandler  # stderr
    name = snippet.logger.name
    lines = [handler.format(r) for r in caplog.records if r.name == name]
    assert [line.split(" ", 2)[2] for line in lines] == [  # after the date and time
        f"INFO [abc] {name}: saying hello",
        f"INFO [abc] {name}: GET /hello 200",
    ]
