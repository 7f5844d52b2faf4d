"""Flask-SQLAlchemy with a real SQLite database. Run it with: flask --app flask_app run"""

import os
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_sqlalchemy import SQLAlchemy
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


# --8<-- [start:models]
class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):  # the extension's base class: the table is bound to `db`
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    price: Mapped[float]


# --8<-- [end:models]


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    price: float = Field(ge=0)


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # read attributes of an ORM object

    id: int
    name: str
    price: float


# --8<-- [start:setup]
app = Flask(__name__)

# Unset, in-memory SQLite: Flask-SQLAlchemy shares one connection for it, so every request
# sees the same data.
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DEMO_DATABASE_URL", "sqlite://")
db.init_app(app)
with app.app_context():
    db.create_all()  # migrations are Alembic's job (Flask-Migrate wraps it)
# --8<-- [end:setup]


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


# --8<-- [start:routes]
@app.post("/items")
def create_item():
    try:
        data = ItemIn.model_validate(request.get_json(silent=True))
    except ValidationError as error:
        return {"detail": error.errors(include_url=False)}, 400
    item = Item(**data.model_dump())
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the session is usable again for the next request
        return {"detail": f"An item named {data.name!r} already exists"}, 409
    return ItemOut.model_validate(item).model_dump(), 201


@app.get("/items")
def list_items():
    items = db.session.scalars(select(Item).order_by(Item.id))
    return [ItemOut.model_validate(item).model_dump() for item in items]


# max: SQLite's integers have 64 bits, and a larger id raises OverflowError (a 500).
@app.get("/items/<int(max=9223372036854775807):item_id>")
def read_item(item_id: int):
    item = db.session.get(Item, item_id)
    if item is None:
        return {"detail": "Item not found"}, 404
    return ItemOut.model_validate(item).model_dump()


# --8<-- [end:routes]
