"""Class-based views in Flask: MethodView classes, registered once per resource.

Run it with: flask --app flask_app run
"""

from functools import wraps
from typing import Any

import orjson
from flask import Flask, abort, make_response, request
from flask.json.provider import DefaultJSONProvider
from flask.views import MethodView

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)

USERS = {1: {"id": 1, "name": "Ada"}}
STORIES = {1: {"id": 1, "name": "Notes on the Analytical Engine"}}


def no_store(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


def read_name():
    data = request.get_json(silent=True)  # None for a missing or malformed body
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        abort(make_response({"error": "name must be a string of 1 to 100 characters"}, 400))
    return name


class ItemAPI(MethodView):
    # One method per HTTP verb: only GET, PUT and DELETE are routed (PATCH is a 405).
    init_every_request = False  # one instance serves every request: no request state on self
    decorators = (no_store,)  # applied to the view function as_view() builds

    def __init__(self, store):
        self.store = store

    def _get_item(self, item_id):
        if item_id not in self.store:
            abort(404)
        return self.store[item_id]

    def get(self, item_id):
        return self._get_item(item_id)

    def put(self, item_id):
        item = self._get_item(item_id)
        item["name"] = read_name()
        return item

    def delete(self, item_id):
        del self.store[self._get_item(item_id)["id"]]
        return "", 204


class GroupAPI(MethodView):
    init_every_request = False
    decorators = (no_store,)

    def __init__(self, store):
        self.store = store

    def get(self):
        return {"items": list(self.store.values())}

    def post(self):
        item = {"id": max(self.store, default=0) + 1, "name": read_name()}
        self.store[item["id"]] = item
        return item, 201


def register_api(app, store, name):
    # The same classes serve each resource; as_view() passes `store` to __init__.
    app.add_url_rule(f"/{name}/<int:item_id>", view_func=ItemAPI.as_view(f"{name}-item", store))
    app.add_url_rule(f"/{name}", view_func=GroupAPI.as_view(f"{name}-group", store))


register_api(app, USERS, "users")
register_api(app, STORIES, "stories")
