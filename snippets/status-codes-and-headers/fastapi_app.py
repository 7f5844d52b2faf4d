"""Status codes and response headers in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


ITEMS = {1: {"id": 1, "name": "apple"}}


# --8<-- [start:body]
class ItemIn(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

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
