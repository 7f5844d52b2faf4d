"""Status codes and response headers in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()

ITEMS = {1: {"id": 1, "name": "apple"}}


# --8<-- [start:body]
class ItemIn(BaseModel):
    name: str


# --8<-- [end:body]


# --8<-- [start:create]
@app.post("/items", status_code=status.HTTP_201_CREATED)  # the usual status: on the route
def create_item(body: ItemIn, response: Response):
    item = {"id": max(ITEMS, default=0) + 1, "name": body.name}
    ITEMS[item["id"]] = item
    response.headers["Location"] = f"/items/{item['id']}"  # merged into the reply
    return item


# --8<-- [end:create]


# --8<-- [start:read]
@app.get("/items/{item_id}")
def read_item(item_id: int, response: Response):
    if item_id not in ITEMS:
        # Returning a Response skips serialisation and the status on the route.
        return JSONResponse({"detail": "Item not found"}, status_code=404)
    response.headers["X-Cache"] = "miss"
    return ITEMS[item_id]


# --8<-- [end:read]


# --8<-- [start:upsert]
@app.put("/items/{item_id}")
def put_item(item_id: int, body: ItemIn, response: Response):
    created = item_id not in ITEMS
    ITEMS[item_id] = {"id": item_id, "name": body.name}
    response.status_code = 201 if created else 200  # decided at run time
    response.headers["X-Created"] = str(created).lower()
    return ITEMS[item_id]


# --8<-- [end:upsert]


# --8<-- [start:delete]
@app.delete("/items/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_item(item_id: int):
    if ITEMS.pop(item_id, None) is None:
        return JSONResponse({"detail": "Item not found"}, status_code=404)
    return None  # with 204, FastAPI sends no body at all


# --8<-- [end:delete]
