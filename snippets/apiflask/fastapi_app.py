"""APIFlask's job in FastAPI: a router, Pydantic models, response_model, OpenAPI built in,
and handlers that keep APIFlask's {"detail", "message"} errors for the clients that parse them.

Run it with: fastapi dev fastapi_app.py   (Swagger UI at /docs, the document at /openapi.json)
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

app = FastAPI(title="Pets API", version="1.0")


class HTTPError(HTTPException):
    """APIFlask's HTTPError: a status, a message and a `detail` object for the body."""

    def __init__(self, status_code: int, message: str, detail: dict | None = None) -> None:
        super().__init__(status_code, message)
        self.body_detail = detail or {}


class ErrorOut(BaseModel):  # APIFlask's HTTPError schema, documented
    detail: dict[str, Any]
    message: str


@app.exception_handler(HTTPException)  # HTTPError, unknown routes, 405s, FastAPI's own 400s
async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    body = {"detail": getattr(exc, "body_detail", {}), "message": exc.detail}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


LOCATIONS = {"body": "json", "query": "query", "path": "path"}


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # APIFlask groups messages by location, then field: {"json": {"name": ["..."]}}.
    # Only the messages are kept, never the input (which JSON may not carry: NaN, "\ud800").
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return JSONResponse({"detail": {}, "message": "Bad Request"}, status_code=400)
    detail: dict[str, dict[str, list[str]]] = {}
    for e in exc.errors():
        where, *field = e["loc"]  # ("body", "name"); ("body",) when the body is no object
        messages = detail.setdefault(LOCATIONS[where], {})
        messages.setdefault(".".join(map(str, field)) or "_schema", []).append(e["msg"])
    return JSONResponse({"detail": detail, "message": "Validation error"}, status_code=422)


INVALID = {422: {"model": ErrorOut, "description": "Validation error"}}
NOT_FOUND = {404: {"model": ErrorOut, "description": "Not found"}}
router = APIRouter(prefix="/pets", tags=["Pets"], responses=INVALID)  # the APIBlueprint


class PetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # marshmallow refuses unknown fields by default

    name: str = Field(min_length=1, max_length=50)
    category: Literal["cat", "dog"]


class PetOut(BaseModel):
    id: int
    name: str
    category: str


class PetQuery(BaseModel):
    category: Literal["cat", "dog"] | None = None  # optional filter; unknown keys ignored


PETS = {
    1: {"id": 1, "name": "Kitty", "category": "cat"},
    2: {"id": 2, "name": "Rex", "category": "dog"},
}


def find(pet_id: int) -> dict:
    if pet_id not in PETS:
        raise HTTPError(404, "Pet not found", detail={"pet_id": pet_id})
    return PETS[pet_id]


@router.get("/", response_model=list[PetOut])
def list_pets(query: Annotated[PetQuery, Query()]):
    return [pet for pet in PETS.values() if query.category in (None, pet["category"])]


@router.post(
    "/",
    response_model=PetOut,
    status_code=201,
    summary="Create a pet",
    responses={409: {"model": ErrorOut, "description": "Name taken"}},
)
def create_pet(pet: PetIn):
    if any(stored["name"] == pet.name for stored in PETS.values()):
        raise HTTPError(409, "Name taken", detail={"name": pet.name})
    pet_id = max(PETS, default=0) + 1
    PETS[pet_id] = {"id": pet_id, **pet.model_dump()}
    return PETS[pet_id]


@router.get("/{pet_id}", response_model=PetOut, responses=NOT_FOUND)
def get_pet(pet_id: int):
    return find(pet_id)


@router.put("/{pet_id}", response_model=PetOut, responses=NOT_FOUND)
def put_pet(pet_id: int, pet: PetIn):
    find(pet_id)
    PETS[pet_id] = {"id": pet_id, **pet.model_dump()}
    return PETS[pet_id]


@router.delete("/{pet_id}", status_code=204, summary="Delete a pet", responses=NOT_FOUND)
def delete_pet(pet_id: int):
    find(pet_id)
    del PETS[pet_id]
    return Response(status_code=204)


app.include_router(router)  # app.register_blueprint(bp)
