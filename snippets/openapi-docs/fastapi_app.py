"""An API documented by FastAPI. Run it with: fastapi dev fastapi_app.py

Open /docs (Swagger UI), /redoc (ReDoc) or /openapi.json (the schema both read).
"""

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI(
    title="Inventory API",
    version="1.0.0",
    description="Items in stock.",  # Markdown, shown at the top of /docs
    openapi_tags=[{"name": "items", "description": "Operations on items."}],
)


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


class Item(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
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
