"""JSON responses in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from typing import Annotated
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel, PlainSerializer

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


# --8<-- [start:http-dates]
def http_date(value: datetime) -> str:
    """Flask's format, `Wed, 21 Oct 2015 07:28:00 GMT`: in GMT, naive taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(UTC), usegmt=True)


HTTPDate = Annotated[datetime, PlainSerializer(http_date, return_type=str)]


class LegacyOrder(Order):
    placed_at: HTTPDate  # for clients that still parse Flask's dates


@app.get("/orders/http-dates")
def list_orders_with_http_dates() -> list[LegacyOrder]:
    return [LegacyOrder(**ORDER)]


# --8<-- [end:http-dates]
