"""Sharing setup between views in Flask: helper functions, g and an app factory.

Run it with: flask --app flask_app run
"""

import sqlite3
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, g, make_response, request

stats = {"connections": 0}  # how many Database objects were made (the tests read it)


@dataclass
class User:
    name: str
    admin: bool


class Database:
    """A stand-in for a real connection or session."""

    def __init__(self):
        stats["connections"] += 1
        self.users = {"alice-token": User("alice", True), "bob-token": User("bob", False)}
        self.items = [f"item-{n}" for n in range(1, 26)]

    def user_for_token(self, token: str | None) -> User | None:
        return self.users.get(token) if token else None


def error(status: int, detail: str, headers: dict | None = None):
    abort(make_response({"detail": detail}, status, headers or {}))


def get_db() -> Database:
    # Once per request, by hand: the first call stores the object on g.
    if "db" not in g:
        g.db = current_app.extensions["db_factory"]()
    return g.db


def get_current_user() -> User:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    user = get_db().user_for_token(token)
    if user is None:
        error(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
    return user


def require_admin() -> User:
    user = get_current_user()
    if not user.admin:
        error(403, "Admins only")
    return user


@dataclass
class Pagination:
    limit: int = 10
    offset: int = 0

    @classmethod
    def from_request(cls) -> "Pagination":
        # Parsed by hand: an invalid value silently becomes the default.
        return cls(
            limit=request.args.get("limit", 10, type=int),
            offset=request.args.get("offset", 0, type=int),
        )


# --8<-- [start:connection]
DATABASE = ":memory:"  # a file path in a real app


def get_conn() -> sqlite3.Connection:
    # Flask runs a whole request (view and teardown) on one thread: the default
    # check_same_thread=True never trips here.
    if "conn" not in g:
        g.conn = sqlite3.connect(DATABASE)
    return g.conn


def close_conn(exc: BaseException | None) -> None:  # registered with teardown_appcontext
    conn = g.pop("conn", None)
    if conn is not None:
        conn.close()


# --8<-- [end:connection]


bp = Blueprint("items", __name__)


@bp.get("/items")
def list_items():
    db, user, page = get_db(), get_current_user(), Pagination.from_request()
    return {"user": user.name, "items": db.items[page.offset : page.offset + page.limit]}


@bp.get("/admin/stats")
def admin_stats():
    user = require_admin()
    return {"admin": user.name, "item_count": len(get_db().items)}


@bp.get("/db/ping")  # a health check that touches the database
def db_ping():
    get_conn().execute("SELECT 1").fetchone()
    return {"database": "ok"}


def create_app(db_factory=Database) -> Flask:
    """The app factory: tests pass another db_factory instead of overriding a dependency."""
    app = Flask(__name__)
    app.extensions["db_factory"] = db_factory
    app.teardown_appcontext(close_conn)
    app.register_blueprint(bp)
    return app


app = create_app()
