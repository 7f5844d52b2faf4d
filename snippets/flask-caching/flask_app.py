"""Flask-Caching: cached views keyed by the query string, memoized functions, invalidation.

Run it with: flask --app flask_app run
"""

import json
import math
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_caching import Cache

app = Flask(__name__)


def finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # NaN, Infinity, 1e999
        raise ValueError(f"{text} is not a finite number")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """get_json() answers 400, not 500 or invalid JSON, to NaN, 1e999 and deep nesting."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:  # json.loads accepts NaN and Infinity, and a deep body exhausts the stack
            return json.loads(s, parse_constant=finite, parse_float=finite, **kwargs)
        except RecursionError:  # not a ValueError, so get_json() would answer 500
            raise ValueError("JSON nested too deeply") from None


app.json = StrictJSONProvider(app)
# SimpleCache: one process's memory. With several workers, use RedisCache (CACHE_REDIS_URL).
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300})

PRICES = {1: 250, 2: 990}
COMPUTED = {"search": 0, "price": 0}  # how often the slow work ran: a hit leaves it alone


@app.get("/search")
@cache.cached(timeout=60, query_string=True)  # one entry per distinct query string
def search():
    COMPUTED["search"] += 1
    return {"q": request.args.get("q", ""), "computed": COMPUTED["search"]}


@cache.memoize(timeout=60)  # one entry per argument value
def price_of(item_id: int) -> dict:
    COMPUTED["price"] += 1
    return {"item_id": item_id, "cents": PRICES[item_id], "computed": COMPUTED["price"]}


@app.get("/items/<int:item_id>/price")
def get_price(item_id: int):
    if item_id not in PRICES:
        return {"error": "unknown item"}, 404
    return price_of(item_id)


@app.put("/items/<int:item_id>/price")
def set_price(item_id: int):
    data = request.get_json(silent=True)
    cents = data.get("cents") if isinstance(data, dict) else None
    if type(cents) is not int or not 0 <= cents <= 10**9:  # not bool, not float, not huge
        return {"error": "cents must be an integer from 0 to 1000000000"}, 400
    PRICES[item_id] = cents
    cache.delete_memoized(price_of, item_id)  # this item only; the others stay cached
    return price_of(item_id)
