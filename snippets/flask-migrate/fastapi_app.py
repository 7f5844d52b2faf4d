"""Flask-Migrate's job in FastAPI: Alembic directly, over the same migrations folder.

Run it with: alembic -c migrations/alembic.ini upgrade head && fastapi dev fastapi_app.py
once migrations/env.py is replaced by alembic_env.py and alembic.ini has
`script_location = %(here)s`. Needs DATABASE_URL in the environment (it may hold a
password, so it has no default).
"""

import os
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

database_url = os.environ.get("DATABASE_URL")
if not database_url:
    raise RuntimeError("set the DATABASE_URL environment variable: it has no default")

engine = create_engine(database_url)
MIGRATIONS = Path(__file__).parent / "migrations"  # the folder `flask db init` made


class Base(DeclarativeBase):  # migrations/env.py imports Base.metadata for autogenerate
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))


app = FastAPI()


@app.get("/health/migrations")
def migrations_health():
    # Refuse traffic until `alembic upgrade head` has run: a deploy that skipped it answers 503.
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return JSONResponse({"current": current, "head": head}, 200 if current == head else 503)
