"""Hostile JSON in FastAPI: a 422 that JSON can carry. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()
READINGS: dict[str, float] = {}


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which echoes each rejected input...
        return await request_validation_exception_handler(request, exc)
    except ValueError:  # ...and fails when JSON cannot carry one: NaN, "\ud800", raw bytes
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


class Reading(BaseModel):
    # Refuse NaN and Infinity, which JSON cannot carry back; with a length limit on
    # strings, Pydantic also refuses a lone surrogate, which UTF-8 cannot encode.
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    sensor: Annotated[str, Field(min_length=1, max_length=100)]
    value: float


@app.post("/readings", status_code=201)
def create_reading(reading: Reading) -> Reading:
    READINGS[reading.sensor] = reading.value
    return reading


@app.get("/readings/{sensor}")
def read_reading(sensor: str) -> Reading:
    if sensor not in READINGS:  # a NUL byte or invalid UTF-8 in the path is just a miss
        raise HTTPException(404, "no such sensor")
    return Reading(sensor=sensor, value=READINGS[sensor])
