"""A JSON request body in FastAPI. Run it with: fastapi dev fastapi_app.py"""

import json
from typing import Any

from fastapi import FastAPI, Request
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


# The model is the schema: FastAPI parses the body, validates it against the model and
# answers 422 with every problem found before the function runs.
class Item(BaseModel):
    # No NaN or Infinity (JSON cannot carry them back); a length limit also makes
    # Pydantic refuse a lone surrogate ("\ud800"), which UTF-8 cannot encode.
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str
    price: float  # lax mode: "2" becomes 2.0 and true becomes 1.0; the Flask check refuses both


@app.post("/items", status_code=201)
def create_item(item: Item):
    # A parameter typed with a Pydantic model is read from the JSON body, which must
    # come with a JSON Content-Type (FastAPI >= 0.132, `strict_content_type`).
    # Unknown keys are ignored (Pydantic's default, `extra="ignore"`).
    return item
