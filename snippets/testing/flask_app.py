"""The Flask app under test, built by a factory. Run it with: flask --app flask_app run"""

import os

from flask import Flask, g, request, session


class ForecastService:
    """The real service (in a real app, a client for some weather API)."""

    def today(self, city: str) -> str | None:
        return {"paris": "sunny", "oslo": "snow"}.get(city)


# --8<-- [start:app]
def create_app(test_config: dict | None = None, forecasts: ForecastService | None = None) -> Flask:
    """The factory is the seam for tests: they pass configuration and a fake service in."""
    app = Flask(__name__)
    if test_config is None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:  # fail closed: no built-in key that would sign every session
            raise RuntimeError("SECRET_KEY is not set: set the environment variable")
        app.config.update(
            SECRET_KEY=secret, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax"
        )
    else:
        app.config.update(test_config)  # read now, while the app is built
    app.extensions["forecasts"] = forecasts or ForecastService()

    @app.before_request
    def load_city():
        g.city = session.get("city")  # the visitor's saved city, for this request

    @app.post("/preferences")
    def save_city():
        city = request.form.get("city", "")
        if app.extensions["forecasts"].today(city) is None:
            return {"detail": f"No forecast for {city}"}, 400
        session["city"] = city
        return {"city": city}

    @app.get("/forecast")
    @app.get("/forecast/<city>")
    def forecast(city: str | None = None):
        city = city or g.city
        if city is None:
            return {"detail": "No city chosen"}, 404
        today = app.extensions["forecasts"].today(city)
        if today is None:
            return {"detail": f"No forecast for {city}"}, 404
        return {"city": city, "forecast": today}

    return app


app = create_app()
# --8<-- [end:app]
