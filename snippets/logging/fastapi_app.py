"""Logging in FastAPI: a module logger, a request log, and a request id in every record.

Run it with: uvicorn fastapi_app:app (or fastapi run fastapi_app.py)
"""

import logging.config
import re
import uuid
from contextvars import ContextVar

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# A ContextVar follows the request into sync endpoints: Starlette copies the context
# into the thread pool.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id` attribute ("-" outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
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


app = FastAPI()
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)
configure_logging(__name__)
logger = logging.getLogger(__name__)  # FastAPI has no app.logger


@app.middleware("http")
async def request_id_and_log(request: Request, call_next):
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    token = request_id_var.set(request_id)
    try:
        try:
            response = await call_next(request)
        except Exception:
            # Logged here, while the id is set, as Flask logs it; answering here also
            # keeps the server from logging the traceback a second time, without the id.
            logger.exception("Exception on %s [%s]", request.url.path, request.method)
            response = PlainTextResponse("Internal Server Error", status_code=500)
        response.headers["X-Request-ID"] = request_id
        logger.info("%s %s %s", request.method, request.url.path, response.status_code)
        return response
    finally:
        request_id_var.reset(token)


@app.get("/hello")
def hello():
    logger.info("saying hello")
    return {"message": "hello", "request_id": request_id_var.get()}


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
