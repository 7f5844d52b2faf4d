"""Example tests for flask_app.py. Save as tests/test_forecast.py and run: pytest"""

import pytest
from flask_app import create_app


class FakeForecasts:
    def today(self, city: str) -> str | None:
        return "rain"


@pytest.fixture
def app():
    app = create_app()
    app.config.update(TESTING=True)  # exceptions reach the test instead of becoming 500s
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def test_forecast(client):
    response = client.get("/forecast/paris")
    assert response.status_code == 200
    assert response.get_json() == {"city": "paris", "forecast": "sunny"}


def test_unknown_city_is_404(client):
    response = client.get("/forecast/atlantis")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "No forecast for atlantis"}


def test_with_a_fake_service():
    # The factory builds a separate app around the fake.
    client = create_app(forecasts=FakeForecasts()).test_client()
    assert client.get("/forecast/paris").get_json()["forecast"] == "rain"
