"""Logging in Flask: app.logger, a request log, and a request id in every record.

Run it with: gunicorn flask_app:app (or flask --app flask_app run)
"""

import logging.config
import re
import uuid

from flask import Flask, g, has_request_context, request

VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id` attribute ("-" outside a request)."""

    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(logger_name):
    # Only the app's logger: gunicorn and uvicorn configure their own loggers and leave
    # the root logger alone, so records below WARNING would otherwise be dropped.
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,  # keep the server's loggers working
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "line"},
        },
        "loggers": {
            logger_name: {"level": "INFO", "handlers": ["stderr"], "filters": ["request_id"]},
        },
    })  # fmt: skip


app = Flask(__name__)
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)
# Before the first use of app.logger: Flask then sees a handler and adds none of its own.
configure_logging(app.name)
logger = app.logger  # logging.getLogger(app.name)


@app.before_request
def assign_request_id():
    # Reuse the caller's id if it looks like one (it goes into the logs as it is).
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex


@app.after_request
def log_request(response):
    # Runs for errors too (a 404, and the 500 of an unhandled exception).
    response.headers["X-Request-ID"] = g.request_id
    logger.info("%s %s %s", request.method, request.path, response.status_code)
    return response


@app.get("/hello")
def hello():
    logger.info("saying hello")
    return {"message": "hello", "request_id": g.request_id}


@app.get("/boom")
def boom():
    # Flask logs it with app.logger.error("Exception on /boom [GET]", exc_info=...).
    raise RuntimeError("a bug")
