"""Status codes and response headers in Flask. Run it with: flask --app flask_app run"""

import json
import math
from typing import Any

from flask import Flask, make_response, request
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel, ValidationError

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


ITEMS = {1: {"id": 1, "name": "apple"}}


# --8<-- [start:body]
class ItemIn(BaseModel):
    name: str


def item_in() -> ItemIn:
    """The JSON body, checked as FastAPI checks its `body: ItemIn` parameter."""
    return ItemIn.model_validate(request.get_json(silent=True))


@app.errorhandler(ValidationError)
def invalid_body(exc):
    return {"detail": exc.errors(include_url=False, include_context=False)}, 400


# --8<-- [end:body]


# --8<-- [start:create]
@app.post("/items")
def create_item():
    item = {"id": max(ITEMS, default=0) + 1, "name": item_in().name}
    ITEMS[item["id"]] = item
    # (body, status, headers): the tuple form sets all three at once.
    return item, 201, {"Location": f"/items/{item['id']}"}


# --8<-- [end:create]


# --8<-- [start:read]
@app.get("/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        return {"detail": "Item not found"}, 404
    return ITEMS[item_id], {"X-Cache": "miss"}  # (body, headers): status stays 200


# --8<-- [end:read]


# --8<-- [start:upsert]
@app.put("/items/<int:item_id>")
def put_item(item_id):
    created = item_id not in ITEMS
    ITEMS[item_id] = {"id": item_id, "name": item_in().name}
    response = make_response(ITEMS[item_id], 201 if created else 200)
    response.headers["X-Created"] = str(created).lower()
    return response


# --8<-- [end:upsert]


# --8<-- [start:delete]
@app.delete("/items/<int:item_id>")
def delete_item(item_id):
    if ITEMS.pop(item_id, None) is None:
        return {"detail": "Item not found"}, 404
    return "", 204


# --8<-- [end:delete]
