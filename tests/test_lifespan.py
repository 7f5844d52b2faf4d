"""lifespan: work done once at start-up and at shut-down, and what handlers can see of it."""

import atexit

import httpx2
import pytest
from fastapi.testclient import TestClient

from guidekit.harness import BASE_URL, client_for, load_module


@pytest.fixture(autouse=True)
def _forget_atexit_handler(snippet):
    """Each test loads the Flask app afresh; do not let every copy run at interpreter exit."""
    yield
    atexit.unregister(snippet.release_model)


def test_handlers_use_the_resource_loaded_at_start(client):
    r = client.get("/predict", params={"x": 3})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"x": 3.0, "y": 7.0}


@pytest.mark.parametrize(
    ("query", "error_type"),
    [
        ({"x": "three"}, "float_parsing"),
        ({}, "missing"),
        ({"x": "nan"}, "finite_number"),  # float() accepts it; JSON cannot carry it back
        ({"x": "1e999"}, "finite_number"),
    ],
    ids=["not-a-number", "missing", "nan", "infinity"],
)
def test_bad_input(client, framework, query, error_type):
    r = client.get("/predict", params=query)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"error": "x must be a number"}
    else:
        [error] = r.json()["detail"]
        assert error["loc"] == ["query", "x"]
        assert error["type"] == error_type


def test_start_up_and_shut_down_run_once_around_the_requests(framework, snippet):
    events = snippet.EVENTS
    # Flask's start-up code runs at import; FastAPI's lifespan waits for the server.
    assert events == {"flask": ["startup"], "fastapi": []}[framework]
    with client_for(framework, snippet.app) as client:
        assert events == ["startup"]
        assert client.get("/predict", params={"x": 1}).status_code == 200
        assert client.get("/predict", params={"x": 2}).status_code == 200
        assert events == ["startup"]  # once, not per request
    # Leaving the client is the server stopping: only the ASGI lifespan notices.
    assert events == {"flask": ["startup"], "fastapi": ["startup", "shutdown"]}[framework]


def test_shut_down_releases_the_resource(framework, snippet):
    with client_for(framework, snippet.app):
        pass
    app = snippet.app
    model = app.extensions["model"] if framework == "flask" else app.state.model
    # Flask's model stays loaded until the process exits; FastAPI's shut-down cleared it.
    assert model == {"flask": {"weight": 2.0, "bias": 1.0}, "fastapi": {}}[framework]


def test_flask_shut_down_is_left_to_atexit(framework, topic, monkeypatch):
    registered = []
    monkeypatch.setattr(atexit, "register", lambda func, *args: registered.append((func, args)))
    module = load_module(topic, framework)
    if framework == "fastapi":
        assert registered == []
        return
    [(func, args)] = registered
    assert func is module.release_model
    func(*args)  # what the interpreter does when the process exits
    assert module.EVENTS == ["startup", "shutdown"]
    assert module.app.extensions["model"] == {}


def test_a_client_that_skips_the_lifespan(framework, app):
    """Without `with TestClient(app)`, FastAPI's start-up never runs and the handler fails."""
    if framework == "flask":
        client = httpx2.Client(transport=httpx2.WSGITransport(app=app), base_url=BASE_URL)
    else:
        client = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
    r = client.get("/predict", params={"x": 1})
    client.close()
    assert r.status_code == {"flask": 200, "fastapi": 500}[framework]


def test_the_old_start_up_hooks(framework, app):
    """Flask 2.3 removed before_first_request; FastAPI's on_event warns, and with a
    lifespan= function its handlers are silently never run."""
    if framework == "flask":
        assert not hasattr(app, "before_first_request")
        return
    ran = []
    with pytest.warns(DeprecationWarning, match="on_event is deprecated"):
        app.on_event("startup")(lambda: ran.append("on_event"))
    with TestClient(app, base_url=BASE_URL) as client:
        assert client.get("/predict", params={"x": 1}).status_code == 200
    assert ran == []
