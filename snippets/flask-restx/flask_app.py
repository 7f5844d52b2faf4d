"""Flask-RESTX: a Namespace of Resources, models that validate and marshal, and Swagger.

Run it with: flask --app flask_app run   (Swagger UI at /docs, the document at /swagger.json)
"""

from typing import Any

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_restx import Api, Namespace, Resource, fields

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)
app.config["RESTX_ERROR_404_HELP"] = False  # else 404 messages suggest other URLs of the API
api = Api(app, title="Todo API", version="1.0", doc="/docs")

ns = Namespace("todos", description="Todo operations")
api.add_namespace(ns, path="/todos")

todo_in = ns.model(
    "TodoIn",
    {
        "task": fields.String(required=True, min_length=1, max_length=200),
        "done": fields.Boolean(default=False),
    },
)
todo = ns.model(
    "Todo", {"id": fields.Integer(readonly=True), "task": fields.String, "done": fields.Boolean}
)

TASKS = {1: {"id": 1, "task": "Write the guide", "done": False}}


def find(todo_id: int) -> dict:
    if todo_id not in TASKS:
        ns.abort(404, f"Todo {todo_id} doesn't exist")
    return TASKS[todo_id]


@ns.route("/")
class TodoList(Resource):
    @ns.marshal_list_with(todo)
    def get(self):
        return list(TASKS.values())

    @ns.response(400, "Validation error")  # validate=True answers it, but does not document it
    @ns.expect(todo_in, validate=True)  # checks the body against the model's JSON Schema
    @ns.marshal_with(todo, code=201)
    def post(self):
        # validate=True lets unknown keys through ("id" too): copy the known ones only.
        new_id = max(TASKS, default=0) + 1
        TASKS[new_id] = {
            "id": new_id,
            "task": ns.payload["task"],
            "done": ns.payload.get("done", False),
        }
        return TASKS[new_id], 201


@ns.route("/<int:todo_id>")
class Todo(Resource):
    @ns.response(404, "Todo not found")
    @ns.marshal_with(todo)
    def get(self, todo_id: int):
        return find(todo_id)

    @ns.response(400, "Validation error")
    @ns.response(404, "Todo not found")
    @ns.expect(todo_in, validate=True)
    @ns.marshal_with(todo)
    def put(self, todo_id: int):
        find(todo_id)
        TASKS[todo_id] = {
            "id": todo_id,
            "task": ns.payload["task"],
            "done": ns.payload.get("done", False),
        }
        return TASKS[todo_id]

    @ns.response(204, "Todo deleted")
    @ns.response(404, "Todo not found")
    def delete(self, todo_id: int):
        find(todo_id)
        del TASKS[todo_id]
        return "", 204
