"""Flask-RESTX's job in FastAPI: a router per namespace, Pydantic models, OpenAPI built in.

Run it with: fastapi dev fastapi_app.py   (Swagger UI at /docs, the document at /openapi.json)
"""

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI(title="Todo API", version="1.0")


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
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
