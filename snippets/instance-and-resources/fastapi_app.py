"""An instance folder and package resources in FastAPI. Run it with: fastapi dev fastapi_app.py

NOTES_INSTANCE_PATH (an absolute path) moves the instance folder; by default it is
`instance/` next to this file. An optional `config.env` in it overrides the defaults.
"""

import os
import sqlite3
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

HERE = Path(__file__).parent


def instance_path() -> Path:
    # FastAPI has no instance folder: pick the path explicitly, and refuse a relative
    # one as Flask does (it would depend on the working directory).
    path = Path(os.environ.get("NOTES_INSTANCE_PATH") or HERE / "instance")
    if not path.is_absolute():
        raise ValueError(f"NOTES_INSTANCE_PATH must be absolute, got {str(path)!r}")
    return path


INSTANCE = instance_path()


class Settings(BaseSettings):
    # Values, not code: NOTES_* variables, then instance/config.env if it exists.
    model_config = SettingsConfigDict(env_prefix="NOTES_", env_file=INSTANCE / "config.env")

    site_name: str = "Notes"
    database: Path = INSTANCE / "notes.sqlite"


settings = Settings()


# Resources shipped with the code, found next to this module. In a package, use
# importlib.resources.files("yourpackage") / "schema.sql" (it works from a wheel too).
SCHEMA = HERE / "schema.sql"


def connect():
    return closing(sqlite3.connect(settings.database))


def init_db():
    INSTANCE.mkdir(parents=True, exist_ok=True)
    with connect() as db:
        db.executescript(SCHEMA.read_text("utf-8"))


@asynccontextmanager
async def lifespan(app: FastAPI):
    await run_in_threadpool(init_db)  # start-up work, off the event loop (file I/O)
    yield


app = FastAPI(lifespan=lifespan)


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)


def get_settings() -> Settings:
    return settings


@app.get("/about")
def about(settings: Annotated[Settings, Depends(get_settings)]):
    return {"site_name": settings.site_name}


@app.get("/notes")
def list_notes():
    with connect() as db:
        rows = db.execute("SELECT id, text FROM note ORDER BY id").fetchall()
    return {"notes": [{"id": id_, "text": text} for id_, text in rows]}


@app.post("/notes", status_code=201)
def add_note(note: NoteIn):
    with connect() as db, db:  # the inner `db` commits the transaction
        note_id = db.execute("INSERT INTO note (text) VALUES (?)", (note.text,)).lastrowid
    return {"id": note_id, "text": note.text}
