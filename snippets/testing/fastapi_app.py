"""The FastAPI app under test, built by a factory. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from pydantic import Field
from pydantic_settings import BaseSettings
from starlette.middleware.sessions import SessionMiddleware


# --8<-- [start:service]
class ForecastService:
    """The real service (in a real app, a client for some weather API)."""

    def today(self, city: str) -> str | None:
        return {"paris": "sunny", "oslo": "snow"}.get(city)


# --8<-- [end:service]


# --8<-- [start:app]
class Settings(BaseSettings):
    # From SECRET_KEY; no default, so the app refuses to start without one (or with "").
    secret_key: str = Field(min_length=1)
    https_only: bool = True  # the session cookie's Secure flag


def get_forecasts() -> ForecastService:
    """The dependency is the seam for tests: they override it with a fake."""
    return ForecastService()


Forecasts = Annotated[ForecastService, Depends(get_forecasts)]


def saved_city(request: Request) -> str | None:
    """flask.g.city: the visitor's saved city, kept on request.state for this request."""
    request.state.city = request.session.get("city")
    return request.state.city


router = APIRouter()


@router.post("/preferences")
def save_city(request: Request, city: Annotated[str, Form()], forecasts: Forecasts):
    if forecasts.today(city) is None:
        raise HTTPException(400, f"No forecast for {city}")
    request.session["city"] = city
    return {"city": city}


@router.get("/forecast")
@router.get("/forecast/{city}")
def forecast(
    saved: Annotated[str | None, Depends(saved_city)], forecasts: Forecasts, city: str | None = None
):
    city = city or saved
    if city is None:
        raise HTTPException(404, "No city chosen")
    today = forecasts.today(city)
    if today is None:
        raise HTTPException(404, f"No forecast for {city}")
    return {"city": city, "forecast": today}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Settings are read while the app is built (the session middleware takes its key
    here), so dependency_overrides cannot change them: tests build their own app."""
    settings = settings or Settings()
    app = FastAPI()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        https_only=settings.https_only,
        same_site="lax",
    )
    app.include_router(router)
    return app


app = create_app()
# --8<-- [end:app]
