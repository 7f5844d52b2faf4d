"""The FastAPI app under test. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException


# --8<-- [start:service]
class ForecastService:
    """The real service (in a real app, a client for some weather API)."""

    def today(self, city: str) -> str | None:
        return {"paris": "sunny", "oslo": "snow"}.get(city)


# --8<-- [end:service]


# --8<-- [start:app]
def get_forecasts() -> ForecastService:
    """The dependency is the seam for tests: they override it with a fake."""
    return ForecastService()


app = FastAPI()


@app.get("/forecast/{city}")
def forecast(city: str, forecasts: Annotated[ForecastService, Depends(get_forecasts)]):
    today = forecasts.today(city)
    if today is None:
        raise HTTPException(404, f"No forecast for {city}")
    return {"city": city, "forecast": today}


# --8<-- [end:app]
