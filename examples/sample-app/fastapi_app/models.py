"""The same tables with SQLAlchemy 2 directly, and a session per request."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.security import generate_password_hash


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    # Hashes made by the Flask app stay valid: werkzeug.security checks them here too.
    password_hash: Mapped[str]


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    price: Mapped[float]

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "price": self.price}


def seed(session: Session, password: str) -> None:
    """One demo user and 25 items, once."""
    if session.scalar(select(User).limit(1)) is None:
        session.add(User(username="ada", password_hash=generate_password_hash(password)))
        session.add_all(Item(name=f"Item {n}", price=n * 1.5) for n in range(1, 26))
        session.commit()


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session
