"""Custom exception handlers in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)

ITEMS = {1: {"id": 1, "name": "Widget", "price": 9.5}}


class Item(BaseModel):
    # Refuse what JSON cannot carry back (see the hostile-input page): NaN accepted here
    # would make writing the 201 fail, a 500.
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str
    price: float


class ItemNotFound(Exception):
    def __init__(self, item_id: int):
        super().__init__(item_id)
        self.item_id = item_id


@app.exception_handler(ItemNotFound)
async def item_not_found(request: Request, exc: ItemNotFound):
    # A handler gets the request too, and must return a Response, not a (body, status) tuple.
    return JSONResponse(
        {"error": "Not Found", "message": f"Item {exc.item_id} does not exist"}, status_code=404
    )


# Starlette's HTTPException, not FastAPI's subclass: the router raises Starlette's for
# unknown routes and wrong methods, and this handler then covers both kinds.
@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    name = HTTPStatus(exc.status_code).phrase
    return JSONResponse({"error": name}, status_code=exc.status_code, headers=exc.headers)


@app.exception_handler(Exception)
async def server_error(request: Request, exc: Exception):
    # Runs in Starlette's outermost middleware; the exception is still re-raised
    # afterwards so that the server logs it.
    return JSONResponse({"error": "Internal Server Error"}, status_code=500)


@app.exception_handler(RequestValidationError)
async def validation_failed(request: Request, exc: RequestValidationError):
    # Rebuild the Flask API's 400 body from Pydantic's errors. loc is ("body", "price")
    # for a field, ("body",) or ("body", <offset>) when the body itself is unusable.
    fields = {}
    for error in exc.errors():
        names = [part for part in error["loc"][1:] if isinstance(part, str)]
        if not names:
            fields["body"] = "invalid"
        else:
            fields[".".join(names)] = "required" if error["type"] == "missing" else "invalid"
    return JSONResponse({"error": "invalid request", "fields": fields}, status_code=400)


@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id not in ITEMS:
        raise ItemNotFound(item_id)
    return ITEMS[item_id]


@app.post("/items", status_code=201)
def create_item(item: Item):
    return item


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
