"""SQLAlchemy 2.0 with a session dependency and a real SQLite database.

Run it with: fastapi dev fastapi_app.py
"""

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, String, create_engine, make_url, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool


# --8<-- [start:models]
class Base(DeclarativeBase):
    pass


class Item(Base):  # plain SQLAlchemy: no extension object in between
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    price: Mapped[float]


# --8<-- [end:models]


# --8<-- [start:schemas]
class ItemIn(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str = Field(min_length=1, max_length=50)
    price: float = Field(ge=0)


class ItemOut(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    model_config = ConfigDict(from_attributes=True)  # read attributes of an ORM object

    id: int
    name: str
    price: float


# --8<-- [end:schemas]


# --8<-- [start:setup]
class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")

    database_url: str = "sqlite://"  # DEMO_DATABASE_URL; unset: a new in-memory database


@lru_cache
def get_settings() -> Settings:
    return Settings()


def make_engine(url: str) -> Engine:
    """An engine for `url` with the SQLite options Flask-SQLAlchemy would choose for it.

    In memory (`sqlite://`, `sqlite:///:memory:`): one connection (`StaticPool`) that every
    thread may use, or each request would see its own empty database. A file: SQLAlchemy's
    default pool, its connections shared between threads (`check_same_thread=False`, which
    SQLAlchemy 2 also sets by itself for a file). Any other database: no options. Raises
    `ValueError` for a relative SQLite path: Flask-SQLAlchemy opens it in the instance
    folder, `create_engine` in the working directory, so neither is a safe guess.
    """
    parsed = make_url(url)  # raises ArgumentError for a string that is no URL
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url)
    threads = {"check_same_thread": False}
    if parsed.database in (None, "", ":memory:"):
        return create_engine(url, connect_args=threads, poolclass=StaticPool)
    if not os.path.isabs(parsed.database):
        raise ValueError(f"write the SQLite path in full, not {parsed.database!r}")
    return create_engine(url, connect_args=threads)


# Made at import, after the settings: the session dependency below needs nothing else.
engine = make_engine(get_settings().database_url)
SessionLocal = sessionmaker(engine)


def get_session() -> Iterator[Session]:
    """One session per request: committed if the handler succeeds, else rolled back."""
    with SessionLocal() as session:
        try:
            yield session
        except Exception:
            session.rollback()
            raise
        session.commit()


SessionDep = Annotated[Session, Depends(get_session)]


# `def` endpoints and dependencies run on anyio's thread pool, 40 at a time by default, and
# each may hold a pooled connection. A server database's pool (create_engine's pool_size +
# max_overflow, 5 + 10 by default) must cover them, or fewer must run at once, as here.
THREADS = 15


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The limiter belongs to the running event loop: set it here, never at import.
    to_thread.current_default_thread_limiter().total_tokens = THREADS
    Base.metadata.create_all(engine)  # migrations are Alembic's job here too
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)

# --8<-- [end:setup]


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


# --8<-- [start:routes]
@app.post("/items", status_code=201, response_model=ItemOut)
def create_item(data: ItemIn, session: SessionDep):
    item = Item(**data.model_dump())
    session.add(item)
    try:
        session.flush()  # send the INSERT now, so a duplicate fails here and not later
    except IntegrityError:
        # Raising makes get_session roll back, so the next request starts clean.
        raise HTTPException(409, f"An item named {data.name!r} already exists") from None
    return item


@app.get("/items", response_model=list[ItemOut])
def list_items(session: SessionDep):
    return session.scalars(select(Item).order_by(Item.id)).all()


@app.get("/items/{item_id}", response_model=ItemOut)
def read_item(item_id: Annotated[int, Path(le=2**63 - 1)], session: SessionDep):
    # le: SQLite's integers have 64 bits, and a larger id raises OverflowError (a 500).
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(404, "Item not found")
    return item


# --8<-- [end:routes]
