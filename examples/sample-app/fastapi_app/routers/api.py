"""The JSON API: items with pagination, one item, creating one (signed in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fastapi_app.models import Item, User, get_db
from fastapi_app.routers.auth import current_user

router = APIRouter()
MAX_PAGE = 100_000
#: SQLite's largest integer: a larger id cannot exist, and would overflow the query.
MAX_ID = 2**63 - 1


class ApiError(Exception):
    """An error the API answers as `{"error": message}`, like the Flask blueprint's handler."""

    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def json_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, exc.status)


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    price: float = Field(ge=0, le=1e6, strict=True)


def api_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    if user is None:
        raise ApiError(401, "sign in first")
    return user


@router.get("/items")
def list_items(
    request: Request,
    db: Annotated[Session, Depends(get_db)],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int | None, Query(ge=1)] = None,
):
    per_page = min(per_page or request.app.state.items_per_page, 50)
    total = db.scalar(select(func.count()).select_from(Item))
    rows = db.scalars(select(Item).order_by(Item.id).offset((page - 1) * per_page).limit(per_page))
    return {
        "items": [item.to_dict() for item in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@router.get("/items/{item_id}")
def get_item(item_id: int, db: Annotated[Session, Depends(get_db)]):
    item = db.get(Item, item_id) if 0 < item_id <= MAX_ID else None
    if item is None:
        raise ApiError(404, "no such item")
    return item.to_dict()


@router.post("/items", status_code=201, dependencies=[Depends(api_user)])
def create_item(body: ItemIn, db: Annotated[Session, Depends(get_db)]):
    item = Item(name=body.name.strip(), price=body.price)
    db.add(item)
    db.commit()
    return item.to_dict()
