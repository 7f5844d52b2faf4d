"""Example tests for flask_app.py. Save as tests/test_forecast.py and run: pytest"""

import pytest
from flask import g, session
from flask_app import create_app


class FakeForecasts:
    def today(self, city: str) -> str | None:
        return "rain"


@pytest.fixture
def app():
    # test_config replaces the environment: no SECRET_KEY needed, no Secure cookie over http.
    return create_app({"TESTING": True, "SECRET_KEY": "test-only"})


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
    client = create_app({"SECRET_KEY": "test-only"}, forecasts=FakeForecasts()).test_client()
    assert client.get("/forecast/paris").get_json()["forecast"] == "rain"


def test_session_and_g_after_a_request(client):
    # Inside `with client:` the last request's context stays open: session and g are readable.
    with client:
        client.post("/preferences", data={"city": "oslo"})
        assert session["city"] == "oslo"
        client.get("/forecast")
        assert g.city == "oslo"
