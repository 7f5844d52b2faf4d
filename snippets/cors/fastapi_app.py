"""CORS with Starlette's CORSMiddleware. Run it with: fastapi dev fastapi_app.py"""

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware  # Starlette's, re-exported
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict

app = FastAPI()
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)
logger = logging.getLogger(__name__)


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


# Added before CORSMiddleware, so it runs inside it: an unhandled exception becomes a
# response CORSMiddleware still sees. Left to Starlette, the 500 comes from
# ServerErrorMiddleware, outside every middleware (and outside an Exception handler too),
# without CORS headers: the calling page cannot read it.
@app.middleware("http")
async def server_error_inside_cors(request: Request, call_next):
    try:
        return await call_next(request)
    except Exception:
        logger.exception("unhandled error in %s %s", request.method, request.url.path)
        return PlainTextResponse("Internal Server Error", status_code=500)


app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],  # the default is none at all
    allow_methods=["GET", "POST"],  # the default is GET only
    allow_headers=["Content-Type", "Authorization"],  # the default: only CORS-safelisted ones
    allow_credentials=True,  # cookies and Authorization from the browser
    max_age=600,  # the default
)


class ItemIn(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str


@app.get("/items")
def list_items():
    return [{"id": 1, "name": "hammer"}]


@app.post("/items", status_code=201)
def create_item(item: ItemIn):
    return {"id": 2, "name": item.name}


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")
