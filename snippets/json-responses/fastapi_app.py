"""JSON responses in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

# Keys deliberately not in alphabetical order.
ORDER = {
    "id": UUID("12345678-1234-5678-1234-567812345678"),
    "customer": "Zoë",
    "total": Decimal("9.90"),
    "placed_at": datetime(2015, 10, 21, 7, 28, tzinfo=UTC),
}


class Order(BaseModel):
    id: UUID
    customer: str
    total: Decimal
    placed_at: datetime


@app.get("/order")
def read_order():
    # A plain dict goes through jsonable_encoder: keys in insertion order, UTF-8,
    # datetimes in ISO 8601, and a Decimal becomes a float (9.9, not "9.90").
    return ORDER


@app.get("/orders")
def list_orders() -> list[Order]:
    # With a return type, Pydantic serialises: a Decimal stays exact as a string and a
    # UTC datetime ends in "Z".
    return [Order(**ORDER)]
