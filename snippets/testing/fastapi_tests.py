"""Example tests for fastapi_app.py. Save as tests/test_forecast.py and run: pytest"""

import anyio
import httpx2
import pytest
from fastapi.testclient import TestClient
from fastapi_app import app, get_forecasts


class FakeForecasts:
    def today(self, city: str) -> str | None:
        return "rain"


@pytest.fixture
def client():
    with TestClient(app) as client:  # `with` runs the app's lifespan too
        yield client


@pytest.fixture
def fake_forecasts():
    app.dependency_overrides[get_forecasts] = FakeForecasts
    yield
    app.dependency_overrides.clear()  # the app object is shared: undo the override


def test_forecast(client):
    response = client.get("/forecast/paris")
    assert response.status_code == 200
    assert response.json() == {"city": "paris", "forecast": "sunny"}


def test_unknown_city_is_404(client):
    response = client.get("/forecast/atlantis")
    assert response.status_code == 404
    assert response.json() == {"detail": "No forecast for atlantis"}


def test_with_a_fake_service(client, fake_forecasts):
    # The same app, with one dependency swapped for this test.
    assert client.get("/forecast/paris").json()["forecast"] == "rain"


@pytest.mark.anyio  # anyio's pytest plugin ships with anyio: no pytest-asyncio needed
async def test_forecast_from_async_code():
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/forecast/oslo")
    assert response.json() == {"city": "oslo", "forecast": "snow"}


def test_forecast_with_anyio_run():
    # Without any plugin: a plain test runs its async part with anyio.run.
    async def fetch():
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/forecast/oslo")

    assert anyio.run(fetch).json() == {"city": "oslo", "forecast": "snow"}
