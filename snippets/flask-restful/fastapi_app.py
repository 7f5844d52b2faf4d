"""Flask-RESTful's job in FastAPI: path operations, a Pydantic model in, a response_model out.

Run it with: fastapi dev fastapi_app.py
"""

from typing import Annotated

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StringConstraints
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()

TASKS = {1: {"id": 1, "task": "Write the guide", "done": False, "owner": "alice"}}


class TodoIn(BaseModel):  # reqparse's arguments; unknown keys are ignored, as by reqparse
    task: Annotated[str, StringConstraints(pattern=r"\S")]  # not blank
    done: bool = False


class TodoOut(BaseModel):  # marshal_with's fields: owner stays private
    id: int
    task: str
    done: bool
    uri: str


# --8<-- [start:error-shape]
@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Flask-RESTful's shape, for clients written against it: 400 {"message": {field: text}}.
    # FastAPI finds every bad field at once; reqparse reported only the first.
    message = {}
    for error in exc.errors():  # loc: ("body", "task"), ("path", "todo_id"), ("body",)...
        field = ".".join(map(str, error["loc"][1:])) or error["loc"][0]
        if error["type"] == "json_invalid":  # its loc holds a position, not a field
            field = "body"
        message.setdefault(field, error["msg"])
    return JSONResponse({"message": message}, status_code=400)


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    # abort(404, message=...) answered {"message": ...}; HTTPException answers {"detail": ...}.
    return JSONResponse({"message": exc.detail}, exc.status_code, headers=exc.headers)


# --8<-- [end:error-shape]


def find(todo_id: int) -> dict:
    if todo_id not in TASKS:
        raise HTTPException(404, f"Todo {todo_id} doesn't exist")
    return TASKS[todo_id]


def out(request: Request, todo: dict) -> TodoOut:
    return TodoOut(**todo, uri=request.app.url_path_for("get_todo", todo_id=todo["id"]))


@app.get("/todos/{todo_id}", response_model=TodoOut)
def get_todo(todo_id: int, request: Request):
    return out(request, find(todo_id))


@app.put("/todos/{todo_id}", response_model=TodoOut)
def put_todo(todo_id: int, todo: TodoIn, request: Request):
    owner = TASKS.get(todo_id, {}).get("owner", "alice")
    TASKS[todo_id] = {"id": todo_id, "task": todo.task, "done": todo.done, "owner": owner}
    return out(request, TASKS[todo_id])


@app.delete("/todos/{todo_id}", status_code=204)
def delete_todo(todo_id: int):
    find(todo_id)
    del TASKS[todo_id]
    return Response(status_code=204)
