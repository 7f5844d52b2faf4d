"""The sample shop ported to FastAPI: the same routes, data and answers where it matters.

Blueprints became routers, Flask-SQLAlchemy became SQLAlchemy with a session per request,
Flask-Login became a session cookie (Starlette's `SessionMiddleware`) read by a dependency.
Run it: `SECRET_KEY=... DEMO_PASSWORD=... fastapi run fastapi_app/main.py`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool
from starlette.middleware.sessions import SessionMiddleware

from fastapi_app.models import Base, seed
from fastapi_app.routers import api, auth


def create_app() -> FastAPI:
    for name in ("SECRET_KEY", "DEMO_PASSWORD"):
        if not os.environ.get(name):
            raise RuntimeError(f"set {name} in the environment (no default on purpose)")
    url = os.environ.get("DATABASE_URL", "sqlite://")
    # One in-memory database shared by every thread (Flask-SQLAlchemy does this for "sqlite://").
    memory = {"poolclass": StaticPool} if url == "sqlite://" else {}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **memory)
    password = os.environ["DEMO_PASSWORD"]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            seed(session, password)
        yield
        engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.state.engine = engine
    app.state.items_per_page = 10
    app.add_middleware(
        SessionMiddleware,
        secret_key=os.environ["SECRET_KEY"],
        same_site="lax",
        https_only=os.environ.get("INSECURE_COOKIES") != "1",
    )
    app.include_router(auth.router)
    app.include_router(api.router, prefix="/api")
    api.install_error_handlers(app)
    auth.install_error_handlers(app)
    return app
