"""headers-and-cookies: `request.headers` / `request.cookies` vs `Header()` / `Cookie()`."""

import pytest

from guidekit.harness import client_for


@pytest.mark.parametrize("name", ["X-Token", "x-token", "X-TOKEN"])
def test_header_names_are_case_insensitive(client, name):
    r = client.get("/items", headers={name: "abc", "User-Agent": "demo/1.0"})
    assert r.status_code == 200
    assert r.json() == {"x_token": "abc", "user_agent": "demo/1.0"}


def test_underscores_in_parameter_names_become_hyphens(client):
    """FastAPI's `user_agent` parameter reads the `User-Agent` header; Flask names it."""
    r = client.get("/items", headers={"x-token": "abc", "user-agent": "curl/8.0"})
    assert r.json()["user_agent"] == "curl/8.0"


def test_missing_required_header(client, framework):
    r = client.get("/items")
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "flask":
        assert r.json() == {"detail": "Missing X-Token header"}
    else:
        assert r.json() == {
            "detail": [
                {
                    "type": "missing",
                    "loc": ["header", "x-token"],
                    "msg": "Field required",
                    "input": None,
                }
            ]
        }


# Under a WSGI server the header never reaches Flask: Werkzeug's server and
# gunicorn (header_map="drop") drop names with "_"; the test transport does not.
@pytest.mark.only("fastapi", reason="depends on the WSGI server, not on Flask")
def test_a_header_spelled_with_an_underscore_is_not_x_token(client, framework):
    r = client.get("/items", headers={"x_token": "abc"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["header", "x-token"]


def test_repeated_header(client, framework):
    # A WSGI environ holds one value per header: servers join repeats with "," before
    # Flask sees them (the test transport would keep only the last, so send them joined).
    repeated = [("X-Tag", "a"), ("X-Tag", "b")]
    headers = [("X-Tag", "a,b")] if framework == "flask" else repeated
    r = client.get("/tags", headers=headers)
    assert r.json() == {"x_tag": ["a", "b"]}


def test_comma_in_one_header_is_split_only_by_the_flask_code(client, framework):
    r = client.get("/tags", headers={"X-Tag": "a, b"})
    assert r.json() == {"x_tag": {"flask": ["a", "b"], "fastapi": ["a, b"]}[framework]}


def test_no_header_gives_an_empty_list(client):
    assert client.get("/tags").json() == {"x_tag": []}


def test_cookie_is_read(client):
    client.cookies.set("session_id", "s1")  # per-request cookies= is deprecated in httpx2
    r = client.get("/me")
    assert r.status_code == 200
    assert r.json() == {"session_id": "s1"}


def test_missing_optional_cookie_is_none(client):
    assert client.get("/me").json() == {"session_id": None}


def test_set_cookie(client, framework):
    r = client.post("/login")
    assert r.status_code == 200
    assert r.json() == {"logged_in": True}
    # Same cookie; Werkzeug writes SameSite=Lax, Starlette SameSite=lax (case-insensitive).
    samesite = {"flask": "Lax", "fastapi": "lax"}[framework]
    assert r.headers.get_list("set-cookie") == [
        f"session_id=demo-session; HttpOnly; Path=/; SameSite={samesite}"
    ]
    assert client.cookies["session_id"] == "demo-session"


@pytest.mark.only("fastapi", reason="depends on the WSGI server, not on Flask")
def test_convert_underscores_false_reads_a_header_with_an_underscore(framework):
    """The pitfall's escape hatch: Header(convert_underscores=False) matches `x_token`."""
    from typing import Annotated

    from fastapi import FastAPI, Header

    app = FastAPI()

    @app.get("/raw")
    def raw(x_token: Annotated[str, Header(convert_underscores=False)]):
        return {"token": x_token}

    with client_for(framework, app) as client:
        assert client.get("/raw", headers={"x_token": "abc"}).json() == {"token": "abc"}
        assert client.get("/raw", headers={"x-token": "abc"}).status_code == 422
