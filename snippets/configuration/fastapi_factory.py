"""An app factory: `create_app()` reads the settings, which pydantic-settings fills from
the environment, and validates them before the app exists.

Run it with: DEMO_FACTORY_SECRET=... fastapi dev fastapi_factory.py --factory create_app
"""

import os
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import Field
from pydantic_settings import BaseSettings
from starlette.middleware.sessions import SessionMiddleware


# --8<-- [start:settings]
class Settings(BaseSettings):
    # os.environ["DEMO_FACTORY_SECRET"]: a field without a default is required.
    secret_key: str = Field(validation_alias="DEMO_FACTORY_SECRET")
    # os.environ.get("DEMO_PAGE_SIZE", 10): the default's type validates the value.
    page_size: int = Field(10, validation_alias="DEMO_PAGE_SIZE")
    # Computed from the environment when Settings() is made, as create_app() did.
    session_cookie_secure: bool = Field(
        default_factory=lambda: os.environ.get("DEMO_INSECURE_COOKIES") != "1"
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()  # read once; tests override it or call get_settings.cache_clear()


# --8<-- [end:settings]
# --8<-- [start:views]
# In a real app this router has a module of its own (views.py), which imports Settings
# and get_settings from theirs (settings.py).
shop = APIRouter()


@shop.get("/visits")
def visits(request: Request, settings: Annotated[Settings, Depends(get_settings)]):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return {"visits": request.session["visits"], "page_size": settings.page_size}


# --8<-- [end:views]
# --8<-- [start:factory]
def create_app() -> FastAPI:
    app = FastAPI()
    settings = get_settings()  # a missing or bad value stops create_app() here
    # Flask's SECRET_KEY and SESSION_COOKIE_SECURE: options of the session middleware.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        https_only=settings.session_cookie_secure,
    )
    app.include_router(shop)
    return app


# --8<-- [end:factory]
