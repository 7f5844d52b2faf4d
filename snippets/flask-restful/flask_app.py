"""Flask-RESTful: an Api of Resource classes, reqparse for input, marshal_with for output.

Run it with: flask --app flask_app run
"""

from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_restful import Api, Resource, abort, fields, inputs, marshal_with, reqparse

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)
api = Api(app)

TASKS = {1: {"id": 1, "task": "Write the guide", "done": False, "owner": "alice"}}

# marshal_with keeps these keys only (owner stays private) and fills missing ones with None.
todo_fields = {
    "id": fields.Integer,
    "task": fields.String,
    "done": fields.Boolean,
    "uri": fields.Url("todo", absolute=False),  # built from the object's todo_id
}


def text(value: object) -> str:
    # Not type=str: str() turns 123, ["a"] and {} into text instead of refusing them.
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


parser = reqparse.RequestParser()  # stops at the first bad argument (bundle_errors=False)
parser.add_argument("task", type=text, required=True, nullable=False, location="json")
# Not type=bool: bool("false") is True. inputs.boolean reads true/false, 1/0 and JSON booleans.
parser.add_argument("done", type=inputs.boolean, default=False, location="json")


def find(todo_id: int) -> dict:
    if todo_id not in TASKS:
        abort(404, message=f"Todo {todo_id} doesn't exist")  # answers {"message": ...}
    return TASKS[todo_id]


class Todo(Resource):
    @marshal_with(todo_fields)
    def get(self, todo_id: int):
        return find(todo_id) | {"todo_id": todo_id}

    @marshal_with(todo_fields)
    def put(self, todo_id: int):
        if not isinstance(request.get_json(), dict):  # reqparse breaks (500) on 1 or "a task"
            abort(400, message={"body": "must be a JSON object"})
        args = parser.parse_args()  # 400 {"message": {"task": "..."}} on a bad argument
        owner = TASKS.get(todo_id, {}).get("owner", "alice")
        TASKS[todo_id] = {"id": todo_id, "task": args["task"], "done": args["done"], "owner": owner}
        return TASKS[todo_id] | {"todo_id": todo_id}

    def delete(self, todo_id: int):
        find(todo_id)
        del TASKS[todo_id]
        return "", 204


api.add_resource(Todo, "/todos/<int:todo_id>", endpoint="todo")
