"""Query parameters in Flask. Run it with: flask --app flask_app run"""

from typing import Literal

from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

app = Flask(__name__)


@app.route("/items")
def list_items():
    # type=int falls back to the default when the value does not convert: ?page=x → 1
    page = request.args.get("page", 1, type=int)
    size = request.args.get("size", 10, type=int)
    tags = request.args.getlist("tag")  # ?tag=a&tag=b → ["a", "b"]
    # Every constraint is code you write, with an error body you choose.
    if page < 1:
        return {"error": "page must be at least 1"}, 400
    if not 1 <= size <= 100:
        return {"error": "size must be between 1 and 100"}, 400
    return {"page": page, "size": size, "tags": tags}


@app.route("/search")
def search():
    q = request.args["q"]  # missing → KeyError → 400 Bad Request (an HTML page)
    if len(q) > 20:
        return {"error": "q must be at most 20 characters"}, 400
    return {"q": q}


# --8<-- [start:model]
class Filters(BaseModel):
    status: list[Literal["open", "closed"]] = []  # ?status=open&status=closed
    limit: int = Field(10, ge=1, le=100)


@app.route("/tickets")
def list_tickets():
    query = request.args.to_dict()  # the first value of each key
    query["status"] = request.args.getlist("status")  # the list field: every value
    try:
        filters = Filters.model_validate(query)
    except ValidationError as exc:
        return {"detail": exc.errors(include_url=False, include_context=False)}, 400
    return filters.model_dump()


# --8<-- [end:model]
