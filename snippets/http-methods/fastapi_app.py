"""HTTP methods in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI, HTTPException, Request
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


ITEMS = {1: {"id": 1, "name": "Hammer"}}


class ItemIn(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str


@app.get("/items")  # one function per method
def list_items():
    return {"items": list(ITEMS.values())}


@app.post("/items", status_code=201)
def create_item(body: ItemIn):  # no "name" is a 422, see the JSON body topic
    item = {"id": max(ITEMS, default=0) + 1, "name": body.name}
    ITEMS[item["id"]] = item
    return item


@app.get("/items/{item_id}")  # no class-based views: one decorated function per verb
def get_item(item_id: int):
    return find(item_id)


@app.put("/items/{item_id}")
def replace_item(item_id: int, body: ItemIn):
    item = find(item_id)
    item["name"] = body.name
    return item


@app.delete("/items/{item_id}", status_code=204)  # returning None sends no body
def delete_item(item_id: int):
    del ITEMS[find(item_id)["id"]]


def find(item_id: int) -> dict:
    if item_id not in ITEMS:
        raise HTTPException(status_code=404)
    return ITEMS[item_id]


@app.post("/webhook")  # OPTIONS gets a 405: nothing answers it unless you add it
def webhook():
    return {"received": True}


# HEAD only when you ask for it. Two decorators, two operations with their own operationId:
# api_route(methods=["GET", "HEAD"]) would give both the same one (a warning in /openapi.json).
@app.head("/ping")
@app.get("/ping")
def ping():
    return {"pong": True}
