"""Flask-Migrate: Alembic migrations driven by `flask db`.

Run it with: flask --app flask_app db upgrade && flask --app flask_app run
Needs DATABASE_URL in the environment (it may hold a password, so it has no default).
"""

import os

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String

database_url = os.environ.get("DATABASE_URL")
if not database_url:
    raise RuntimeError("set the DATABASE_URL environment variable: it has no default")

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = database_url
db = SQLAlchemy(app)
MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")
migrate = Migrate(app, db, directory=MIGRATIONS)  # adds `flask db ...`


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(String(254), unique=True, nullable=False)
    name = db.Column(String(100), nullable=False)


@app.get("/health/migrations")
def migrations_health():
    # Refuse traffic until `flask db upgrade` has run: a deploy that skipped it answers 503.
    head = ScriptDirectory(MIGRATIONS).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    status = 200 if current == head else 503
    return {"current": current, "head": head}, status
