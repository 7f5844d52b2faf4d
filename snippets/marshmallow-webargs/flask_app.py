"""marshmallow, flask-marshmallow and webargs: schemas that load and dump, @use_args.

Run it with: flask --app flask_app run
"""

from flask import Flask
from flask_marshmallow import Marshmallow
from marshmallow import EXCLUDE, RAISE, ValidationError, fields, validate, validates
from webargs.flaskparser import FlaskParser, abort

app = Flask(__name__)
ma = Marshmallow(app)


class Parser(FlaskParser):
    def load_json(self, req, schema):
        try:  # webargs parses with json.loads, which a deeply nested body sends past the stack
            return super().load_json(req, schema)
        except RecursionError:  # not a JSONDecodeError: webargs would answer 500 ("Hostile input")
            abort(400, messages={"json": ["Invalid JSON body."]})


use_args = Parser().use_args


class UserSchema(ma.Schema):
    id = fields.Integer(dump_only=True)  # dumped, never loaded: sending it is an unknown field
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    email = fields.Email(required=True)
    age = fields.Integer(validate=validate.Range(min=0, max=150))
    url = ma.URLFor("get_user", values={"user_id": "<id>"}, dump_only=True)

    class Meta:
        unknown = RAISE  # marshmallow's default, said out loud: unknown keys are errors

    @validates("name")
    def not_reserved(self, value: str, **kwargs) -> None:
        if value.lower() == "admin":
            raise ValidationError("This name is reserved.")


class SearchSchema(ma.Schema):
    q = fields.String(load_default="")
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))

    class Meta:
        unknown = EXCLUDE  # a query string often carries other parameters (utm_*, ...)


user_schema = UserSchema()
USERS = {1: {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 36}}


@app.errorhandler(400)  # webargs: malformed JSON
@app.errorhandler(422)  # webargs: invalid arguments. Without a handler, Flask answers HTML.
def validation_error(error):
    messages = getattr(error, "data", {}).get("messages", {"_schema": [error.description]})
    return {"errors": messages}, error.code


@app.get("/users")
@use_args(SearchSchema(), location="query")
def search_users(args: dict):
    found = [u for u in USERS.values() if args["q"].lower() in u["name"].lower()]
    return {"users": user_schema.dump(found[: args["limit"]], many=True)}


@app.get("/users/<int:user_id>")
def get_user(user_id: int):
    if user_id not in USERS:
        return {"errors": {"user_id": ["Unknown user."]}}, 404
    return user_schema.dump(USERS[user_id])


@app.post("/users")
@use_args(UserSchema(), location="json")
def create_user(user: dict):
    user_id = max(USERS) + 1
    USERS[user_id] = {"id": user_id, "age": None} | user
    return user_schema.dump(USERS[user_id]), 201


@app.patch("/users/<int:user_id>")
@use_args(UserSchema(partial=True), location="json")  # required fields may be left out
def update_user(changes: dict, user_id: int):
    if user_id not in USERS:
        return {"errors": {"user_id": ["Unknown user."]}}, 404
    USERS[user_id] |= changes  # only the keys the client sent
    return user_schema.dump(USERS[user_id])
