"""Class-based views ported to FastAPI: one APIRouter per resource, built by a function.

Run it with: fastapi dev fastapi_app.py
"""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
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


USERS = {1: {"id": 1, "name": "Ada"}}
STORIES = {1: {"id": 1, "name": "Notes on the Analytical Engine"}}


def no_store(response: Response):
    # A router dependency instead of MethodView.decorators.
    response.headers["Cache-Control"] = "no-store"


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def refuse(allowed: set[str]):
    """An endpoint that answers 405 with every method of its URL in Allow."""

    def method_not_allowed():
        raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})

    return method_not_allowed


def resource_router(name: str, store: dict[int, dict]) -> APIRouter:
    """What register_api() and the two classes did: plain functions closing over `store`."""
    router = APIRouter(prefix=f"/{name}", tags=[name], dependencies=[Depends(no_store)])

    def get_item(item_id: int) -> dict:  # ItemAPI._get_item, as a dependency
        if item_id not in store:
            raise HTTPException(404)
        return store[item_id]

    Item = Annotated[dict, Depends(get_item)]

    @router.get("", name=f"{name}-group")
    def list_items():
        return {"items": list(store.values())}

    @router.post("", status_code=201)
    def create_item(body: ItemIn):
        item = {"id": max(store, default=0) + 1, "name": body.name}
        store[item["id"]] = item
        return item

    @router.get("/{item_id}", name=f"{name}-item")
    def read_item(item: Item):
        return item

    @router.put("/{item_id}")
    def replace_item(item: Item, body: ItemIn):
        item["name"] = body.name
        return item

    @router.delete("/{item_id}", status_code=204)
    def delete_item(item: Item):
        del store[item["id"]]

    # Starlette's 405 lists only the methods of the first route whose path matched
    # (Allow: GET). One more route per URL, declared last, takes every other method
    # and lists the URL's methods, as MethodView's 405 does.
    for path, allowed in (("", {"GET", "POST"}), ("/{item_id}", {"GET", "PUT", "DELETE"})):
        others = sorted(METHODS - allowed)
        router.add_api_route(path, refuse(allowed), methods=others, include_in_schema=False)
    return router


app.include_router(resource_router("users", USERS))
app.include_router(resource_router("stories", STORIES))
