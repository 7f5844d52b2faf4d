"""Models on Flask-SQLAlchemy, and the demo data."""

from __future__ import annotations

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import generate_password_hash

db = SQLAlchemy()


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    password_hash: Mapped[str]


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    price: Mapped[float]

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "price": self.price}


def seed(password: str) -> None:
    """One demo user and 25 items, once."""
    if db.session.get(User, 1) is None:
        db.session.add(User(username="ada", password_hash=generate_password_hash(password)))
        db.session.add_all(Item(name=f"Item {n}", price=n * 1.5) for n in range(1, 26))
        db.session.commit()
