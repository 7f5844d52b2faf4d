"""Configuration in FastAPI: a pydantic-settings class behind a cached dependency.

Run it with: DEMO_ITEMS_PER_PAGE=50 fastapi dev fastapi_app.py
"""

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # DEMO_ITEMS_PER_PAGE=50 sets items_per_page; a .env file in the working directory
    # is read too (real environment variables win). Names are case-insensitive.
    model_config = SettingsConfigDict(env_prefix="DEMO_", env_file=".env")

    app_name: str = "Demo shop"
    items_per_page: int = Field(default=20, ge=1, le=100)  # validated at start-up
    beta_search: bool = False
    secret_key: SecretStr  # required (DEMO_SECRET_KEY); masked in repr and dumps


@lru_cache
def get_settings() -> Settings:
    return Settings()  # read once; tests replace it with app.dependency_overrides


get_settings()  # at start-up: a missing or invalid value stops the app here, not at a request


# Reading the settings here makes a bad value stop the app at start-up.
app = FastAPI(title=get_settings().app_name)


@app.get("/settings")
def show_settings(settings: Annotated[Settings, Depends(get_settings)]):
    return {
        "app_name": settings.app_name,
        "items_per_page": settings.items_per_page,
        "beta_search": settings.beta_search,
    }
