"""Work after the response in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


OUTBOX: list[dict[str, str]] = []  # stands in for an email service (the tests read it)


# --8<-- [start:task]
def send_welcome_email(email: str, name: str) -> None:
    """Slow work the client should not wait for."""
    OUTBOX.append({"to": email, "subject": f"Welcome, {name}!"})


# --8<-- [end:task]


class Signup(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
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
