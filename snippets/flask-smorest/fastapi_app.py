"""flask-smorest's job in FastAPI: a router, Pydantic models, response_model, OpenAPI built in,
and handlers that keep flask-smorest's error shape for the clients that parse it.

Run it with: fastapi dev fastapi_app.py   (Swagger UI at /docs, the document at /openapi.json)
"""

import json
from http import HTTPStatus
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI(title="Books API", version="1.0")


class Error(BaseModel):  # flask-smorest's ErrorSchema
    code: int
    status: str
    message: str | None = None
    errors: dict[str, Any] | None = None


def error(code: int, message: str | None = None, errors: dict | None = None) -> JSONResponse:
    """{"code", "status", "message"?, "errors"?}: flask-smorest's body for every error."""
    body: dict[str, Any] = {"code": code, "status": HTTPStatus(code).phrase}
    if message is not None:
        body["message"] = message
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=code)


@app.exception_handler(StarletteHTTPException)  # HTTPException, unknown routes, 405s
async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    phrase = HTTPStatus(exc.status_code).phrase
    response = error(exc.status_code, exc.detail if exc.detail != phrase else None)
    response.headers.update(exc.headers or {})  # Allow on a 405
    return response


LOCATIONS = {"body": "json", "query": "query", "path": "path"}


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # webargs groups messages by location, then field: {"json": {"title": ["..."]}}.
    # Only the messages are kept, never the input (which JSON may not carry: NaN, "\ud800").
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return error(400, errors={"json": ["Invalid JSON body."]})  # webargs' own answer
    errors: dict[str, dict[str, list[str]]] = {}
    for e in exc.errors():
        where, *field = e["loc"]  # ("body", "title"); ("body",) when the body is no object
        messages = errors.setdefault(LOCATIONS[where], {})
        messages.setdefault(".".join(map(str, field)) or "_schema", []).append(e["msg"])
    return error(422, errors=errors)


# "default" documents the error shape for every operation (FastAPI then adds no 422 of its own)
router = APIRouter(
    prefix="/books", tags=["books"], responses={"default": {"model": Error, "description": "Error"}}
)
INVALID = {422: {"model": Error, "description": "Unprocessable Entity"}}  # @blp.arguments
NOT_FOUND = {404: {"description": "Book not found"}}  # @blp.alt_response(404, ...)


class BookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # marshmallow refuses unknown fields by default

    title: str = Field(min_length=1, max_length=200)
    year: int | None = Field(None, ge=0, le=2100)


class BookOut(BookIn):
    id: int


class BookQuery(BaseModel):  # the query schema and @blp.paginate's two parameters
    sort: Literal["id", "title", "year"] = "id"
    page: int = Field(1, ge=1)
    page_size: int = Field(2, ge=1, le=100)


BOOKS = {
    1: {"id": 1, "title": "Dune", "year": 1965},
    2: {"id": 2, "title": "Emma", "year": 1815},
    3: {"id": 3, "title": "Ubik", "year": 1969},
}


def find(book_id: int) -> dict:
    if book_id not in BOOKS:
        raise HTTPException(404, f"Book {book_id} not found")
    return BOOKS[book_id]


def pagination(page: int, page_size: int, total: int) -> dict[str, int]:
    """The X-Pagination header flask-smorest writes (Blueprint._make_pagination_metadata)."""
    if total == 0:
        return {"total": 0, "total_pages": 0}
    last = (total - 1) // page_size + 1
    meta = {"total": total, "total_pages": last, "first_page": 1, "last_page": last}
    if page <= last:
        meta["page"] = page
        if page > 1:
            meta["previous_page"] = page - 1
        if page < last:
            meta["next_page"] = page + 1
    return meta


@router.get("/", response_model=list[BookOut], responses=INVALID)
def list_books(query: Annotated[BookQuery, Query()], response: Response):
    books = sorted(BOOKS.values(), key=lambda book: book[query.sort])
    start = (query.page - 1) * query.page_size
    meta = pagination(query.page, query.page_size, len(books))
    response.headers["X-Pagination"] = json.dumps(meta)
    return books[start : start + query.page_size]


@router.post("/", response_model=BookOut, status_code=201, responses=INVALID)
def create_book(book: BookIn):
    book_id = max(BOOKS, default=0) + 1
    BOOKS[book_id] = {"id": book_id, **book.model_dump()}
    return BOOKS[book_id]


@router.get("/{book_id}", response_model=BookOut, responses=NOT_FOUND)
def get_book(book_id: int):
    return find(book_id)


@router.put("/{book_id}", response_model=BookOut, responses=NOT_FOUND | INVALID)
def put_book(book_id: int, book: BookIn):
    find(book_id)
    BOOKS[book_id] = {"id": book_id, **book.model_dump()}
    return BOOKS[book_id]


@router.delete("/{book_id}", status_code=204, responses=NOT_FOUND)
def delete_book(book_id: int):
    find(book_id)
    del BOOKS[book_id]
    return Response(status_code=204)


app.include_router(router)
