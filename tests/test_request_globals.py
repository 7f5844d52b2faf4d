"""request-globals: flask.g and current_app vs request.state and request.app.state."""

import pytest

from guidekit.harness import client_for


def test_request_id_from_the_header(client):
    r = client.get("/request-id", headers={"X-Request-ID": "abc-123"})
    assert r.status_code == 200
    assert r.json() == {"request_id": "abc-123", "log_prefix": "[abc-123]"}
    assert r.headers["x-request-id"] == "abc-123"


def test_generated_ids_are_deterministic(client):
    ids = [client.get("/request-id").json()["request_id"] for _ in range(3)]
    assert ids == ["req-1", "req-2", "req-3"]


def test_per_request_value_does_not_leak(client):
    assert client.get("/request-id", headers={"X-Request-ID": "first"}).json()["request_id"] == (
        "first"
    )
    r = client.get("/request-id")  # no header: a fresh value, not the previous one
    assert r.json() == {"request_id": "req-1", "log_prefix": "[req-1]"}
    assert r.headers["x-request-id"] == "req-1"


def test_empty_header_is_replaced(client):
    r = client.get("/request-id", headers={"X-Request-ID": ""})
    assert r.json()["request_id"] == "req-1"


@pytest.mark.parametrize(
    "sent",
    [
        "a b",
        "x" * 65,
        "<script>alert(1)</script>",
        "caf\u00e9".encode(),
        "id;rm",
        "%0d%0aSet-Cookie:x",
    ],
    ids=["space", "too-long", "markup", "non-ascii", "semicolon", "encoded-crlf"],
)
def test_a_hostile_header_is_replaced_not_echoed(client, sent):
    """The client's id goes into logs and a response header: anything but a short plain
    token is dropped and a fresh id made, so no one writes text into the logs."""
    r = client.get("/request-id", headers={"X-Request-ID": sent})
    assert r.status_code == 200
    assert r.json() == {"request_id": "req-1", "log_prefix": "[req-1]"}
    assert r.headers["x-request-id"] == "req-1"


def test_the_longest_accepted_id_is_64_plain_characters(client):
    sent = "A-z_0.9" * 9 + "a"  # 64 characters
    r = client.get("/request-id", headers={"X-Request-ID": sent})
    assert (r.status_code, r.json()["request_id"], r.headers["x-request-id"]) == (200, sent, sent)


def test_every_response_carries_the_id(client):
    r = client.get("/nope", headers={"X-Request-ID": "lost"})
    assert r.status_code == 404
    assert r.headers["x-request-id"] == "lost"


def test_app_level_state_is_shared_between_requests(client):
    r = client.post("/stock/apple/take")
    assert r.status_code == 200
    assert r.json() == {"name": "apple", "stock": 1}
    assert client.post("/stock/apple/take").json() == {"name": "apple", "stock": 0}
    r = client.post("/stock/apple/take")
    assert r.status_code == 409
    assert r.json() == {"detail": "apple is out of stock"}


def test_app_level_state_lives_on_the_app(framework, app, client):
    client.post("/stock/apple/take")
    if framework == "flask":
        assert app.extensions["inventory"]["apple"] == 1
    else:
        assert app.state.inventory["apple"] == 1


def test_unknown_item_is_404(client):
    r = client.post("/stock/kiwi/take")
    assert r.status_code == 404
    assert r.json() == {"detail": "No item 'kiwi'"}


def test_wrong_method_is_405(client):
    assert client.get("/stock/apple/take").status_code == 405


def test_g_outside_a_request(framework, snippet):
    """flask.g needs an app context; request.state needs a Request object."""
    if framework == "flask":
        with pytest.raises(RuntimeError, match="Working outside of application context"):
            snippet.log_prefix()
        with snippet.app.test_request_context():
            snippet.assign_request_id()
            assert snippet.log_prefix() == "[req-1]"
    else:
        assert snippet.log_prefix("req-1") == "[req-1]"  # a plain function: call it directly


def test_a_value_set_before_the_view_reaches_deep_code(client):
    r = client.get("/tenant", headers={"X-Tenant": "acme"})
    assert (r.status_code, r.json()) == (200, {"tenant": "acme"})
    # The next request starts afresh: nothing carried over from the previous one.
    r = client.get("/tenant")
    assert (r.status_code, r.json()) == (200, {"tenant": "public"})


@pytest.mark.only("fastapi", reason="Flask's g is shared by the hook and the view")
@pytest.mark.parametrize(
    ("sync", "seen"), [(True, "public"), (False, "acme")], ids=["def", "async"]
)
def test_a_contextvar_set_in_a_def_dependency_is_lost(framework, snippet, sync, seen):
    """The trap (issue 19): a plain `def` dependency runs on the thread pool in a copy of the
    request's context, so the endpoint never sees what it set; `async def` shares it."""
    from typing import Annotated

    from fastapi import Depends, FastAPI, Header

    def set_in_thread(x_tenant: Annotated[str, Header()] = "public") -> None:
        snippet.TENANT.set(x_tenant)

    app = FastAPI()
    setter = set_in_thread if sync else snippet.set_tenant
    app.get("/tenant", dependencies=[Depends(setter)])(snippet.show_tenant)
    with client_for(framework, app) as client:
        r = client.get("/tenant", headers={"X-Tenant": "acme"})
    assert (r.status_code, r.json()) == (200, {"tenant": seen})
