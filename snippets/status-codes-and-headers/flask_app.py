"""Status codes and response headers in Flask. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, make_response, request
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel, ValidationError

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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
