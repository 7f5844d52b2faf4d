"""The Flask app under test, built by a factory. Run it with: flask --app flask_app run"""

from flask import Flask


class ForecastService:
    """The real service (in a real app, a client for some weather API)."""

    def today(self, city: str) -> str | None:
        return {"paris": "sunny", "oslo": "snow"}.get(city)


# --8<-- [start:app]
def create_app(forecasts: ForecastService | None = None) -> Flask:
    """The factory is the seam for tests: they pass a fake service in."""
    app = Flask(__name__)
    app.extensions["forecasts"] = forecasts or ForecastService()

    @app.get("/forecast/<city>")
    def forecast(city: str):
        today = app.extensions["forecasts"].today(city)
        if today is None:
            return {"detail": f"No forecast for {city}"}, 404
        return {"city": city, "forecast": today}

    return app


app = create_app()
# --8<-- [end:app]
