"""An API documented by FastAPI. Run it with: fastapi dev fastapi_app.py

Open /docs (Swagger UI), /redoc (ReDoc) or /openapi.json (the schema both read).
"""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI(
    title="Inventory API",
    version="1.0.0",
    description="Items in stock.",  # Markdown, shown at the top of /docs
    openapi_tags=[{"name": "items", "description": "Operations on items."}],
)


class Item(BaseModel):
    # `examples` lands in the model's JSON Schema; Swagger UI pre-fills requests with it.
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Hammer", "price": 9.5}]})

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
