"""Work after the response in FastAPI. Run it with: fastapi dev fastapi_app.py"""

import json
from typing import Any

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

app = FastAPI()


def printable(value: Any) -> Any:
    """`value`, or its repr when JSON cannot carry it (NaN, lone surrogates, raw bytes)."""
    try:
        json.dumps(jsonable_encoder(value), allow_nan=False, ensure_ascii=False).encode()
    except (ValueError, UnicodeError):
        return repr(value)
    return value


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's own 422 echoes each rejected input and answers 500 when JSON cannot
    # carry one; this one is the same answer with such inputs written as their repr.
    errors = [{**e, "input": printable(e["input"])} if "input" in e else e for e in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


OUTBOX: list[dict[str, str]] = []  # stands in for an email service (the tests read it)


# --8<-- [start:task]
def send_welcome_email(email: str, name: str) -> None:
    """Slow work the client should not wait for."""
    OUTBOX.append({"to": email, "subject": f"Welcome, {name}!"})


# --8<-- [end:task]


class Signup(BaseModel):
    # No NaN or Infinity (JSON cannot carry them back); a length limit also makes
    # Pydantic refuse a lone surrogate ("\ud800"), which UTF-8 cannot encode.
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    email: str
    name: str


# --8<-- [start:route]
@app.post("/signup", status_code=202)
def signup(data: Signup, background_tasks: BackgroundTasks):
    # Runs after the response has been sent; a `def` task runs in the thread pool,
    # an `async def` task on the event loop.
    background_tasks.add_task(send_welcome_email, data.email, data.name)
    return {"status": "queued", "email": data.email}


# --8<-- [end:route]
