"""The JSON API: items with pagination, one item, creating one (signed in)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from flask_app.models import Item, db

api = Blueprint("api", __name__)
MAX_PAGE = 100_000
#: SQLite's largest integer: a larger id cannot exist, and would overflow the query.
MAX_ID = 2**63 - 1


@api.errorhandler(HTTPException)
def json_error(error: HTTPException):
    """Errors raised inside the API answer JSON, as the API's clients expect."""
    return jsonify(error=error.description), error.code


@api.get("/items")
def list_items():
    page = request.args.get("page", 1, type=int)
    per_page = min(request.args.get("per_page", current_app.config["ITEMS_PER_PAGE"], type=int), 50)
    if not 1 <= page <= MAX_PAGE or per_page < 1:
        abort(400, description=f"page must be from 1 to {MAX_PAGE}, per_page positive")
    found = db.paginate(
        db.select(Item).order_by(Item.id), page=page, per_page=per_page, error_out=False
    )
    return {
        "items": [item.to_dict() for item in found.items],
        "page": page,
        "per_page": per_page,
        "total": found.total,
    }


@api.get("/items/<int:item_id>")
def get_item(item_id: int):
    item = db.session.get(Item, item_id) if item_id <= MAX_ID else None
    if item is None:
        abort(404, description="no such item")
    return item.to_dict()


@api.post("/items")
def create_item():
    if not current_user.is_authenticated:
        abort(401, description="sign in first")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    name, price = data.get("name"), data.get("price")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        abort(400, description="name must be a non-empty string of at most 100 characters")
    if isinstance(price, bool) or not isinstance(price, int | float) or not 0 <= price <= 1e6:
        abort(400, description="price must be a number from 0 to 1000000")
    item = Item(name=name.strip(), price=float(price))
    db.session.add(item)
    db.session.commit()
    return item.to_dict(), 201
