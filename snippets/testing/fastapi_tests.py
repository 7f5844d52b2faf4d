"""Example tests for fastapi_app.py. Save as tests/test_forecast.py and run: pytest"""

import base64
import json

import anyio
import httpx2
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from fastapi_app import Settings, create_app, get_forecasts, saved_city
from itsdangerous import TimestampSigner

# Built into the app, not overridden: a throwaway key, and no Secure cookie over http.
SETTINGS = Settings(secret_key="test-only", https_only=False)  # noqa: S106 (a test key)


class FakeForecasts:
    def today(self, city: str) -> str | None:
        return "rain"


@pytest.fixture
def app():
    return create_app(SETTINGS)  # a new app per test: overrides cannot leak


@pytest.fixture
def client(app):
    with TestClient(app) as client:  # `with` runs the app's lifespan too
        yield client


def read_session(client: TestClient) -> dict:
    """What SessionMiddleware stored: base64 JSON signed by itsdangerous with the key."""
    signed = client.cookies["session"].encode()
    return json.loads(base64.b64decode(TimestampSigner(SETTINGS.secret_key).unsign(signed)))


def test_forecast(client):
    response = client.get("/forecast/paris")
    assert response.status_code == 200
    assert response.json() == {"city": "paris", "forecast": "sunny"}


def test_unknown_city_is_404(client):
    response = client.get("/forecast/atlantis")
    assert response.status_code == 404
    assert response.json() == {"detail": "No forecast for atlantis"}


def test_with_a_fake_service(app, client):
    # The same app, with one dependency swapped for this test.
    app.dependency_overrides[get_forecasts] = FakeForecasts
    assert client.get("/forecast/paris").json()["forecast"] == "rain"


def test_session_and_state_after_a_request(app, client):
    client.post("/preferences", data={"city": "oslo"})
    assert read_session(client) == {"city": "oslo"}  # flask.session["city"]
    seen = []  # flask.g.city: record what the dependency put on request.state

    def spy(request: Request) -> str | None:
        seen.append(saved_city(request))
        return seen[-1]

    app.dependency_overrides[saved_city] = spy
    client.get("/forecast")
    assert seen == ["oslo"]


@pytest.mark.anyio  # anyio's pytest plugin ships with anyio: no pytest-asyncio needed
async def test_forecast_from_async_code(app):
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/forecast/oslo")
    assert response.json() == {"city": "oslo", "forecast": "snow"}


def test_forecast_with_anyio_run(app):
    # Without any plugin: a plain test runs its async part with anyio.run.
    async def fetch():
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/forecast/oslo")

    assert anyio.run(fetch).json() == {"city": "oslo", "forecast": "snow"}
