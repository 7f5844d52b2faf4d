"""The instance folder and package resources in Flask. Run it with: flask --app flask_app run

NOTES_INSTANCE_PATH (an absolute path) moves the instance folder; by default it is
`instance/` next to this file. An optional `config.py` in it overrides the defaults.
"""

import os
import sqlite3
from contextlib import closing
from typing import Any

import orjson
from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider

# instance_relative_config: from_pyfile() and friends look in the instance folder.
# instance_path=None keeps Flask's default; a given path must be absolute (ValueError).
app = Flask(
    __name__,
    instance_path=os.environ.get("NOTES_INSTANCE_PATH"),
    instance_relative_config=True,
)
app.config.from_mapping(
    SITE_NAME="Notes",
    DATABASE=os.path.join(app.instance_path, "notes.sqlite"),
)
# Executes instance/config.py if it exists (silent: no error when it does not).
app.config.from_pyfile("config.py", silent=True)
os.makedirs(app.instance_path, exist_ok=True)  # Flask does not create the folder


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


def connect():
    return closing(sqlite3.connect(current_app.config["DATABASE"]))


def init_db():
    # open_resource() opens a file relative to the app's root_path (this folder),
    # for reading only.
    with connect() as db, current_app.open_resource("schema.sql", "r", "utf-8") as f:
        db.executescript(f.read())


with app.app_context():
    init_db()


@app.get("/about")
def about():
    return {"site_name": current_app.config["SITE_NAME"]}


@app.get("/notes")
def list_notes():
    with connect() as db:
        rows = db.execute("SELECT id, text FROM note ORDER BY id").fetchall()
    return {"notes": [{"id": id_, "text": text} for id_, text in rows]}


@app.post("/notes")
def add_note():
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not 1 <= len(text) <= 500:
        return {"error": "text must be a string of 1 to 500 characters"}, 400
    with connect() as db, db:  # the inner `db` commits the transaction
        note_id = db.execute("INSERT INTO note (text) VALUES (?)", (text,)).lastrowid
    return {"id": note_id, "text": text}, 201
