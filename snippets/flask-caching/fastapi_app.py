"""Flask-Caching's job in FastAPI: cashews' cache decorator and explicit invalidation.

Run it with: fastapi dev fastapi_app.py
"""

from typing import Annotated

from cashews import Cache
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


cache = Cache()  # an instance per app, rather than cashews' global `cache`
# mem://: one process's memory. With several workers, use "redis://..." (cashews[redis]).
cache.setup("mem://", size=10_000)

PRICES = {1: 250, 2: 990}
COMPUTED = {"search": 0, "price": 0}  # how often the slow work ran: a hit leaves it alone


@app.get("/search")
@cache(ttl="60s", key="search:{q}")  # keyed on the declared parameters, not the raw query
async def search(q: str = ""):
    COMPUTED["search"] += 1
    return {"q": q, "computed": COMPUTED["search"]}


@cache(ttl="60s", key="price:{item_id}")  # one entry per argument value, like memoize
async def price_of(item_id: int) -> dict:
    COMPUTED["price"] += 1
    return {"item_id": item_id, "cents": PRICES[item_id], "computed": COMPUTED["price"]}


class PriceIn(BaseModel):
    cents: Annotated[int, Field(strict=True, ge=0, le=10**9)]  # strict: no true, no "300"


@app.get("/items/{item_id}/price")
async def get_price(item_id: int):
    if item_id not in PRICES:
        return JSONResponse({"error": "unknown item"}, 404)
    return await price_of(item_id)


@app.put("/items/{item_id}/price")
async def set_price(item_id: int, price: PriceIn):
    PRICES[item_id] = price.cents
    await cache.delete(f"price:{item_id}")  # delete_memoized(price_of, item_id)
    return await price_of(item_id)
