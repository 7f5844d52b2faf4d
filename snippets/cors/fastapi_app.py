"""CORS with Starlette's CORSMiddleware. Run it with: fastapi dev fastapi_app.py"""

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware  # Starlette's, re-exported
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


app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],  # the default is none at all
    allow_methods=["GET", "POST"],  # the default is GET only
    allow_headers=["Content-Type", "Authorization"],  # the default: only CORS-safelisted ones
    allow_credentials=True,  # cookies and Authorization from the browser
    max_age=600,  # the default
)


class ItemIn(BaseModel):
    # No NaN or Infinity (JSON cannot carry them back); a length limit also makes
    # Pydantic refuse a lone surrogate ("\ud800"), which UTF-8 cannot encode.
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str


@app.get("/items")
def list_items():
    return [{"id": 1, "name": "hammer"}]


@app.post("/items", status_code=201)
def create_item(item: ItemIn):
    return {"id": 2, "name": item.name}
