"""testing: the example test files the page shows really pass, and the apps behave as they say.

`snippets/testing/{flask,fastapi}_tests.py` are what a reader would put in their own
`tests/` folder. They are not named `test_*.py`, so this suite does not collect them by
itself; `test_example_tests_pass` runs each one in a nested, in-process pytest session
(so coverage sees them), with the freshly loaded snippet importable under the name the
example uses (`flask_app` / `fastapi_app`).
"""

import sys
from contextlib import asynccontextmanager

import anyio
import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guidekit.topics import SNIPPETS
from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

EXAMPLE_TESTS = {
    "flask": ["test_forecast", "test_unknown_city_is_404", "test_with_a_fake_service"],
    "fastapi": [
        "test_forecast",
        "test_unknown_city_is_404",
        "test_with_a_fake_service",
        "test_forecast_from_async_code[asyncio]",
        "test_forecast_with_anyio_run",
    ],
}


class Outcomes:
    """A pytest plugin that records the outcome of each test of the nested session."""

    def __init__(self):
        self.by_test = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            self.by_test[report.nodeid.rpartition("::")[2]] = report.outcome


def test_example_tests_pass(framework, topic, snippet, monkeypatch):
    monkeypatch.setitem(sys.modules, f"{framework}_app", snippet)
    outcomes = Outcomes()
    path = SNIPPETS / topic / f"{framework}_tests.py"
    args = [str(path), "-q", "-p", "no:cacheprovider", "-W", "error"]
    exit_code = pytest.main(args, plugins=[outcomes])
    assert outcomes.by_test == dict.fromkeys(EXAMPLE_TESTS[framework], "passed")
    assert exit_code == pytest.ExitCode.OK


def test_forecast(client):
    r = client.get("/forecast/paris")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"city": "paris", "forecast": "sunny"}


def test_unknown_city_is_404(client):
    r = client.get("/forecast/atlantis")
    assert r.status_code == 404
    assert r.json() == {"detail": "No forecast for atlantis"}


def test_unknown_route_is_404_html_in_flask_json_in_fastapi(client, framework):
    assert_not_found(client.get("/forecast"), framework)


def test_wrong_method_is_405(client, framework):
    r = client.post("/forecast/paris")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def test_the_seam_for_a_fake_service(framework, snippet):
    """Flask: a new app from the factory. FastAPI: an override on the same app."""

    class Fake:
        def today(self, city):
            return "rain"

    if framework == "flask":
        client = snippet.create_app(forecasts=Fake()).test_client()
        assert client.get("/forecast/paris").get_json()["forecast"] == "rain"
        assert snippet.app.test_client().get("/forecast/paris").get_json()["forecast"] == "sunny"
    else:
        snippet.app.dependency_overrides[snippet.get_forecasts] = Fake
        with TestClient(snippet.app) as client:
            assert client.get("/forecast/paris").json()["forecast"] == "rain"
            snippet.app.dependency_overrides.clear()
            assert client.get("/forecast/paris").json()["forecast"] == "sunny"


@pytest.mark.only("fastapi", reason="WSGI has no lifespan")
def test_async_client_skips_the_lifespan(framework):
    """httpx2's ASGITransport sends requests only: start-up and shut-down never run."""
    events = []

    @asynccontextmanager
    async def lifespan(app):
        events.append("startup")
        yield
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    def root():
        return "ok"

    async def main():
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/")

    response = anyio.run(main)
    assert response.json() == "ok"
    assert events == []


def test_a_handler_exception_reaches_the_test(framework, app):
    """Flask with TESTING=True and TestClient by default raise the handler's exception in
    the test; without them, the client gets the 500 a real client would."""

    def boom():
        raise RuntimeError("bug in the handler")

    if framework == "flask":
        app.add_url_rule("/boom", "boom", boom)
        app.config["TESTING"] = True
        with pytest.raises(RuntimeError, match="bug in the handler"):
            app.test_client().get("/boom")
        app.config["TESTING"] = False
        assert app.test_client().get("/boom").status_code == 500
    else:
        app.get("/boom")(boom)
        with pytest.raises(RuntimeError, match="bug in the handler"):
            TestClient(app).get("/boom")
        assert TestClient(app, raise_server_exceptions=False).get("/boom").status_code == 500
