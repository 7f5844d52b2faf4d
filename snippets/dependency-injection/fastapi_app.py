"""Dependency injection in FastAPI: Depends, sub-dependencies, classes and overrides.

Run it with: fastapi dev fastapi_app.py
"""

import sqlite3
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query

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


def get_db() -> Database:
    # Called once per request, however many dependencies ask for it (a real app would
    # `yield` a session and close it afterwards).
    return Database()


def get_current_user(
    db: Annotated[Database, Depends(get_db)],  # a sub-dependency
    authorization: Annotated[str, Header()] = "",
) -> User:
    user = db.user_for_token(authorization.removeprefix("Bearer "))
    if user is None:
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return user


def require_admin(user: Annotated[User, Depends(get_current_user)]) -> User:
    if not user.admin:
        raise HTTPException(403, "Admins only")
    return user


class Pagination:
    # A class is a dependency too: its __init__ parameters become query parameters.
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        self.limit = limit
        self.offset = offset


DB = Annotated[Database, Depends(get_db)]
CurrentUser = Annotated[User, Depends(get_current_user)]


# --8<-- [start:connection]
DATABASE = ":memory:"  # a file path in a real app


def get_conn():
    # A sync dependency and a sync endpoint run on threads of FastAPI's pool, rarely the
    # same one, and a default sqlite3 connection refuses any thread but its creator's (a
    # 500). check_same_thread=False is safe here: the connection is this request's alone,
    # used one step at a time, and closed after the response.
    conn = sqlite3.connect(DATABASE, check_same_thread=False)
    try:
        yield conn
    finally:
        conn.close()


# --8<-- [end:connection]


app = FastAPI()


@app.get("/items")
def list_items(db: DB, user: CurrentUser, page: Annotated[Pagination, Depends()]):
    return {"user": user.name, "items": db.items[page.offset : page.offset + page.limit]}


@app.get("/admin/stats")
def admin_stats(db: DB, user: Annotated[User, Depends(require_admin)]):
    return {"admin": user.name, "item_count": len(db.items)}


@app.get("/db/ping")  # a health check that touches the database
def db_ping(conn: Annotated[sqlite3.Connection, Depends(get_conn)]):
    conn.execute("SELECT 1").fetchone()
    return {"database": "ok"}
