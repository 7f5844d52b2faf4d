"""Flask-RESTX's job in FastAPI: a router per namespace, Pydantic models, OpenAPI built in.

Run it with: fastapi dev fastapi_app.py   (Swagger UI at /docs, the document at /openapi.json)
"""

import json
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI(title="Todo API", version="1.0")


def printable(value: Any) -> Any:
    """`value`, or its repr when JSON cannot carry it (NaN, lone surrogates, raw bytes)."""
    try:
        json.dumps(jsonable_encoder(value), allow_nan=False, ensure_ascii=False).encode()
    except (ValueError, UnicodeError):
        return repr(value)
    return value


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's own 422 echoes each rejected input and answers 500 when JSON cannot
    # carry one; this one is the same answer with such inputs written as their repr.
    errors = [{**e, "input": printable(e["input"])} if "input" in e else e for e in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


router = APIRouter(prefix="/todos", tags=["todos"])  # the Namespace


class TodoIn(BaseModel):  # ns.model("TodoIn", ...)
    # strict: like the JSON Schema Flask-RESTX validates with, no "true" for true, no 1 for "1"
    model_config = ConfigDict(strict=True)

    task: str = Field(min_length=1, max_length=200)
    done: bool = False


class Todo(BaseModel):  # ns.model("Todo", ...), used as response_model
    id: int
    task: str
    done: bool


TASKS = {1: {"id": 1, "task": "Write the guide", "done": False}}
NOT_FOUND = {404: {"description": "Todo not found"}}  # @ns.response(404, ...)


def find(todo_id: int) -> dict:
    if todo_id not in TASKS:
        raise HTTPException(404, f"Todo {todo_id} doesn't exist")
    return TASKS[todo_id]


@router.get("/", response_model=list[Todo])
def list_todos():
    return list(TASKS.values())


@router.post("/", response_model=Todo, status_code=201)
def create_todo(todo: TodoIn):  # unknown keys are dropped by the model
    new_id = max(TASKS, default=0) + 1
    TASKS[new_id] = {"id": new_id, **todo.model_dump()}
    return TASKS[new_id]


@router.get("/{todo_id}", response_model=Todo, responses=NOT_FOUND)
def get_todo(todo_id: int):
    return find(todo_id)


@router.put("/{todo_id}", response_model=Todo, responses=NOT_FOUND)
def put_todo(todo_id: int, todo: TodoIn):
    find(todo_id)
    TASKS[todo_id] = {"id": todo_id, **todo.model_dump()}
    return TASKS[todo_id]


@router.delete("/{todo_id}", status_code=204, responses=NOT_FOUND)
def delete_todo(todo_id: int):
    find(todo_id)
    del TASKS[todo_id]
    return Response(status_code=204)


app.include_router(router)  # api.add_namespace(ns, path="/todos")
