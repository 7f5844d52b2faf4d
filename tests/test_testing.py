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
from tests.expect import assert_method_not_allowed, assert_not_found, has, route_methods

EXAMPLE_TESTS = {
    "flask": [
        "test_forecast",
        "test_unknown_city_is_404",
        "test_with_a_fake_service",
        "test_session_and_g_after_a_request",
    ],
    "fastapi": [
        "test_forecast",
        "test_unknown_city_is_404",
        "test_with_a_fake_service",
        "test_session_and_state_after_a_request",
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
    assert_not_found(client.get("/nope"), framework)


def test_wrong_method_is_405(client, framework):
    r = client.post("/forecast/paris")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def test_the_seam_for_a_fake_service(framework, snippet):
    """Flask: a new app from the factory. FastAPI: an override on the same app."""

    class Fake:
        def today(self, city):
            return "rain"

    if framework == "flask":
        client = snippet.create_app({"SECRET_KEY": "x"}, forecasts=Fake()).test_client()
        assert client.get("/forecast/paris").get_json()["forecast"] == "rain"
        assert snippet.app.test_client().get("/forecast/paris").get_json()["forecast"] == "sunny"
    else:
        snippet.app.dependency_overrides[snippet.get_forecasts] = Fake
        with TestClient(snippet.app) as client:
            assert client.get("/forecast/paris").json()["forecast"] == "rain"
            snippet.app.dependency_overrides.clear()
            assert client.get("/forecast/paris").json()["forecast"] == "sunny"


def app_recording_its_lifespan() -> tuple[FastAPI, list[str]]:
    """A FastAPI app whose lifespan appends "startup" and "shutdown" to the list returned
    with it, and whose `GET /` answers "ok"."""
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app):
        events.append("startup")
        yield
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    def root():
        return "ok"

    return app, events


@pytest.mark.only("fastapi", reason="WSGI has no lifespan")
def test_async_client_skips_the_lifespan(framework):
    """httpx2's ASGITransport sends requests only: start-up and shut-down never run."""
    app, events = app_recording_its_lifespan()

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


@pytest.fixture
def https_client(client):
    """Both apps set a Secure session cookie: the cookie jar sends it back over https only."""
    client.base_url = "https://testserver"
    return client


def test_a_saved_city_is_used_by_later_requests(https_client):
    assert https_client.get("/forecast").json() == {"detail": "No city chosen"}
    r = https_client.post("/preferences", data={"city": "oslo"})
    assert r.status_code == 200
    assert r.json() == {"city": "oslo"}
    assert https_client.get("/forecast").json() == {"city": "oslo", "forecast": "snow"}


def test_the_session_cookie_flags(https_client):
    r = https_client.post("/preferences", data={"city": "paris"})
    flags = {part.strip().lower() for part in r.headers["set-cookie"].split(";")[1:]}
    assert {"secure", "httponly", "path=/", "samesite=lax"} <= flags


@pytest.mark.change("form-empty-is-missing")
@pytest.mark.parametrize("form", [{"city": "atlantis"}, {"city": ""}, {}])
def test_a_bad_city_is_refused(https_client, framework, form):
    r = https_client.post("/preferences", data=form)
    absent = "city" not in form or has("form-empty-is-missing")  # else "" is a value
    if framework == "fastapi" and not form.get("city") and absent:
        assert r.status_code == 422  # Form() without a default: required; "" counts as absent
        assert r.json()["detail"][0]["loc"] == ["body", "city"]
    else:
        assert r.status_code == 400
        assert r.json() == {"detail": f"No forecast for {form.get('city', '')}"}
    assert "set-cookie" not in r.headers


def test_the_app_refuses_to_start_without_a_secret_key(framework, topic):
    """Fail closed: no built-in key. The error names what to set."""
    from guidekit.harness import load_module

    expected = {"flask": "SECRET_KEY is not set", "fastapi": "secret_key"}[framework]
    with pytest.raises(Exception, match=expected):
        load_module(topic, framework, env={"SECRET_KEY": ""})


def test_configuration_read_at_build_time_needs_a_new_app(framework, snippet):
    """The key is read while the app is built, so tests build an app with their own
    configuration (Flask's test_config, FastAPI's Settings), and an override cannot
    change it: a cookie signed with one key is ignored by an app built with another."""
    if framework == "flask":
        apps = [snippet.create_app({"SECRET_KEY": key}) for key in ("key-one", "key-two")]
        clients = [a.test_client() for a in apps]
    else:
        settings = [
            snippet.Settings(secret_key=k, https_only=False) for k in ("key-one", "key-two")
        ]
        clients = [TestClient(snippet.create_app(s)) for s in settings]
    first, second = clients
    first.post("/preferences", data={"city": "oslo"})
    cookie = first.get_cookie("session") if framework == "flask" else first.cookies["session"]
    value = cookie.value if framework == "flask" else cookie
    assert first.get("/forecast").status_code == 200
    r = second.get("/forecast", headers={"cookie": f"session={value}"})
    assert r.status_code == 404


def test_only_starlettes_test_client_follows_redirects(framework, app):
    """Flask's test client stops at a redirect; Starlette's `TestClient` follows it unless
    built with `follow_redirects=False` (the guide's harness does that, so this test uses
    each framework's own client)."""
    from fastapi.responses import RedirectResponse
    from flask import redirect

    paris = {"city": "paris", "forecast": "sunny"}
    if framework == "flask":
        app.add_url_rule("/today", "today", lambda: redirect("/forecast/paris"))
        client = app.test_client()
        r = client.get("/today")
        assert (r.status_code, r.headers["location"]) == (302, "/forecast/paris")
        followed = client.get("/today", follow_redirects=True)
        assert [h.status_code for h in followed.history] == [302]
        assert (followed.status_code, followed.get_json()) == (200, paris)
    else:
        app.get("/today")(lambda: RedirectResponse("/forecast/paris"))
        followed = TestClient(app).get("/today")
        assert [h.status_code for h in followed.history] == [307]
        r = TestClient(app, follow_redirects=False).get("/today")
        assert (r.status_code, r.headers["location"]) == (307, "/forecast/paris")
        assert (followed.status_code, followed.json()) == (200, paris)


@pytest.mark.only("fastapi", reason="WSGI has no lifespan")
def test_a_test_client_used_without_with_skips_the_lifespan(framework):
    """`TestClient(app)` alone sends requests only; `with TestClient(app) as client:` runs
    start-up before the first request and shut-down at the end of the block."""
    app, events = app_recording_its_lifespan()

    assert TestClient(app).get("/").json() == "ok"
    assert events == []
    with TestClient(app) as client:
        assert events == ["startup"]
        assert client.get("/").json() == "ok"
    assert events == ["startup", "shutdown"]
