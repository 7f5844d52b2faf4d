"""Flask-Caching: cached views keyed by the query string, memoized functions, invalidation.

Run it with: flask --app flask_app run
"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_caching import Cache

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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
