"""authorization: @login_required and role decorators → dependencies and Security() scopes."""

import pytest

from tests.expect import has

ALICE = {"authorization": "Bearer demo-token-alice"}  # items:read and items:write
BOB = {"authorization": "Bearer demo-token-bob"}  # items:read only
NOT_AUTHENTICATED = {"detail": "Not authenticated"}
FORBIDDEN = {"detail": "Not enough permissions"}
JSON = "application/json"


def test_any_known_user_may_read_their_profile(client):
    r = client.get("/users/me", headers=BOB)
    assert r.status_code == 200
    assert r.json() == {"username": "bob", "scopes": ["items:read"]}


def test_a_token_api_sets_no_cookie(client):
    r = client.get("/users/me", headers=ALICE)
    assert r.status_code == 200
    assert "set-cookie" not in r.headers


@pytest.mark.parametrize("headers", [BOB, ALICE], ids=["bob", "alice"])
def test_reading_needs_the_read_scope(client, headers):
    r = client.get("/items", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"1": "hammer", "2": "saw"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Basic YWxpY2U6eA=="}, {"authorization": "Bearer"}],
    ids=["no-header", "basic", "empty-bearer"],
)
@pytest.mark.change("bearer-401")
def test_no_bearer_token_is_401(client, framework, headers):
    for method, path in [("GET", "/users/me"), ("GET", "/items"), ("DELETE", "/items/1")]:
        r = client.request(method, path, headers=headers)
        if framework == "fastapi" and not has("bearer-401"):  # HTTPBearer's old answer
            assert r.status_code == 403
            assert "www-authenticate" not in r.headers
            continue
        assert r.status_code == 401
        assert r.json() == NOT_AUTHENTICATED
        assert r.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_401_naming_the_scope(client, framework):
    """FastAPI's dependency knows the scopes it was asked for; Flask-Login's handler does not."""
    r = client.get("/items", headers={"authorization": "Bearer stolen"})
    assert r.status_code == 401
    assert (
        r.json()
        == {"flask": NOT_AUTHENTICATED, "fastapi": {"detail": "Could not validate credentials"}}[
            framework
        ]
    )
    expected = {"flask": "Bearer", "fastapi": 'Bearer scope="items:read"'}[framework]
    assert r.headers["www-authenticate"] == expected


def test_unknown_token_on_a_route_without_scopes(client, framework):
    r = client.get("/users/me", headers={"authorization": "Bearer stolen"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_missing_scope_is_403(client):
    r = client.delete("/items/1", headers=BOB)
    assert r.status_code == 403
    assert r.json() == FORBIDDEN
    assert r.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="items:write"'
    assert client.get("/items", headers=BOB).json() == {"1": "hammer", "2": "saw"}


def test_with_the_scope_the_delete_happens(client, framework):
    r = client.delete("/items/1", headers=ALICE)
    assert r.status_code == 204
    assert r.content == b""
    # Flask labels even an empty response; FastAPI sends no content-type on a 204.
    assert (
        r.headers.get("content-type")
        == {"flask": "text/html; charset=utf-8", "fastapi": None}[framework]
    )
    assert client.get("/items", headers=ALICE).json() == {"2": "saw"}


def test_scheme_name_is_case_insensitive(client):
    r = client.get("/users/me", headers={"authorization": "bearer demo-token-alice"})
    assert r.status_code == 200


@pytest.mark.change("bearer-401")
def test_bad_item_id_without_token(client, framework):
    """Flask's router rejects the URL first; FastAPI checks security before path types."""
    r = client.delete("/items/x")
    assert r.status_code == {"flask": 404, "fastapi": 401 if has("bearer-401") else 403}[framework]


def test_bad_item_id_with_token(client, framework):
    r = client.delete("/items/x", headers=ALICE)
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]


@pytest.mark.change("bearer-scopes-in-openapi")
def test_the_bearer_scheme_in_openapi_declares_no_scopes(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        schema = r.json()
        # The scheme has no list of scopes for the Authorize dialog to offer...
        assert schema["components"]["securitySchemes"] == {
            "HTTPBearer": {"type": "http", "scheme": "bearer"}
        }
        # ...though each operation names the scopes it requires.
        delete = schema["paths"]["/items/{item_id}"]["delete"]
        scopes = ["items:write"] if has("bearer-scopes-in-openapi") else []
        assert delete["security"] == [{"HTTPBearer": scopes}]


def test_the_owner_may_update_their_profile(client, snippet):
    r = client.put("/users/alice", headers=ALICE, json={"about_me": "Builds things"})
    assert r.status_code == 200
    assert r.json() == {"username": "alice", "about_me": "Builds things"}
    assert snippet.PROFILES == {"alice": "Builds things", "bob": ""}


BODIES = {
    "no-body": {},
    "wrong-type": {"json": {"about_me": 5}},
    "json-array": {"json": [1]},
    "text": {"content": b"hi", "headers": {"content-type": "text/plain"}},
    "valid": {"json": {"about_me": "mine now"}},
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES)
def test_another_users_profile_is_403_whatever_the_body(client, snippet, body):
    """The permission check runs before the body is validated, in both apps."""
    headers = {**body.get("headers", {}), **BOB}
    r = client.put(
        "/users/alice", headers=headers, **{k: v for k, v in body.items() if k != "headers"}
    )
    assert r.status_code == 403
    assert r.json() == {"detail": "Not your profile"}
    assert snippet.PROFILES["alice"] == ""


def test_malformed_json_is_decoded_before_any_dependency(client, framework):
    """The one exception: FastAPI parses JSON before it runs dependencies."""
    headers = {**BOB, "content-type": "application/json"}
    r = client.put("/users/alice", headers=headers, content=b'{"about_me": ')
    assert r.status_code == {"flask": 403, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("body", [{}, {"json": {"about_me": 5}}], ids=["no-body", "wrong-type"])
def test_the_owner_with_a_bad_body(client, framework, body):
    r = client.put("/users/alice", headers=ALICE, **body)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]


@pytest.mark.change("bearer-401")
def test_updating_a_profile_needs_a_token(client, framework):
    r = client.put("/users/alice", json={"about_me": "x"})
    assert r.status_code == (403 if framework == "fastapi" and not has("bearer-401") else 401)
    assert r.json() == NOT_AUTHENTICATED


@pytest.mark.only("fastapi", reason="Flask's view decides when it reads the body")
def test_a_check_inside_the_endpoint_comes_after_validation(framework, snippet):
    """The pitfall: the Flask view ported as it is. FastAPI validates the body before the
    endpoint runs, so another user's empty request gets 422, not 403."""
    from typing import Annotated

    from fastapi import Depends, HTTPException, Request

    from guidekit.harness import client_for

    app = snippet.app

    @app.put("/literal/{username}")
    def literal_port(
        username: str,
        profile: snippet.Profile,
        user: Annotated[snippet.User, Depends(snippet.get_current_user)],
    ):
        if username != user.username:  # too late: the body was validated first
            raise HTTPException(403, "Not your profile")
        return {"username": username, "about_me": profile.about_me}

    # Reading the body yourself after the check: 403 even for malformed JSON, but no model
    # validation and no body in /docs.
    @app.put("/raw/{username}", dependencies=[Depends(snippet.require_owner)])
    async def raw(username: str, request: Request):
        return {"username": username, "about_me": (await request.json())["about_me"]}

    malformed = {"content": b'{"about_me": ', "headers": {**BOB, "content-type": JSON}}
    with client_for(framework, app) as client:
        r = client.put("/literal/alice", headers=BOB)
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body"]
        assert client.put("/literal/alice", headers=BOB, json={"about_me": "x"}).status_code == 403
        assert client.put("/raw/alice", **malformed).status_code == 403
        r = client.put("/raw/bob", headers=BOB, json={"about_me": "raw"})
        assert r.json() == {"username": "bob", "about_me": "raw"}
