"""An API documented by FastAPI. Run it with: fastapi dev fastapi_app.py

Open /docs (Swagger UI), /redoc (ReDoc) or /openapi.json (the schema both read).
"""

import json
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI(
    title="Inventory API",
    version="1.0.0",
    description="Items in stock.",  # Markdown, shown at the top of /docs
    openapi_tags=[{"name": "items", "description": "Operations on items."}],
)


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


class Item(BaseModel):
    # No NaN or Infinity (JSON cannot carry them back); a length limit also makes
    # Pydantic refuse a lone surrogate ("\ud800"), which UTF-8 cannot encode.
    # `examples` lands in the model's JSON Schema; Swagger UI pre-fills requests with it.
    model_config = ConfigDict(
        allow_inf_nan=False,
        str_max_length=10_000,
        json_schema_extra={"examples": [{"name": "Hammer", "price": 9.5}]},
    )

    name: str = Field(description="Display name")
    price: float = Field(gt=0, description="Unit price in euros")


ITEMS = {1: Item(name="Hammer", price=9.5)}


@app.get("/items/{item_id}", tags=["items"], summary="Read one item")
def read_item(item_id: int) -> Item:
    """Return the item with this id, or 404."""  # the docstring becomes the description
    if item_id not in ITEMS:
        raise HTTPException(status_code=404)
    return ITEMS[item_id]


@app.post("/items", tags=["items"], summary="Create an item", status_code=201)
def create_item(item: Item) -> Item:
    """Add an item to the inventory."""
    ITEMS[len(ITEMS) + 1] = item
    return item
