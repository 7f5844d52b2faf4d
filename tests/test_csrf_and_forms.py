"""csrf-and-forms: Flask-WTF's CSRFProtect → a session token checked by a dependency."""

import re

import pytest

from guidekit.harness import client_for, load_module
from tests.expect import has

API_AUTH = {"authorization": "Bearer demo-api-token"}
# Flask-WTF raises CSRFError, a 400 with Werkzeug's HTML page; our dependency answers 403 JSON.
REFUSED = {"flask": 400, "fastapi": 403}


def form_token(client) -> str:
    """GET the form (which starts a session) and return its hidden csrf_token."""
    r = client.get("/profile")
    assert r.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def refusal_message(r, framework) -> str:
    if framework == "flask":
        return re.search(r"<p>(.*)</p>", r.text).group(1)
    return r.json()["detail"]


def test_the_form_carries_a_token_and_starts_a_session(client):
    r = client.get("/profile")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<input type="hidden" name="csrf_token" value="' in r.text
    assert r.headers["set-cookie"].startswith("session=")


def test_post_with_the_token_from_the_form_succeeds(client):
    token = form_token(client)
    r = client.post("/profile", data={"name": "Ada", "csrf_token": token})
    assert r.status_code == 200
    assert r.json() == {"name": "Ada"}
    # The token stays valid for the session: a second submission works too.
    r = client.post("/profile", data={"name": "Grace", "csrf_token": token})
    assert r.json() == {"name": "Grace"}


def test_an_older_page_of_the_same_session_still_works(client):
    """Two tabs, one session: the first page's token is not replaced by the second's."""
    first = form_token(client)
    form_token(client)
    r = client.post("/profile", data={"name": "Ada", "csrf_token": first})
    assert r.status_code == 200


def test_post_without_token_is_refused(client, framework):
    form_token(client)  # the victim has a session: a forged cross-site form would carry it
    r = client.post("/profile", data={"name": "Mallory"})
    assert r.status_code == REFUSED[framework]
    assert refusal_message(r, framework) == "The CSRF token is missing."


def test_a_token_from_another_session_is_refused(client, framework):
    attackers_token = form_token(client)
    client.cookies.clear()
    form_token(client)  # a new session, with its own token
    r = client.post("/profile", data={"name": "Mallory", "csrf_token": attackers_token})
    assert r.status_code == REFUSED[framework]
    assert refusal_message(r, framework) == "The CSRF tokens do not match."


def test_a_token_without_any_session_is_refused(client, framework):
    token = form_token(client)
    client.cookies.clear()
    r = client.post("/profile", data={"name": "Mallory", "csrf_token": token})
    assert r.status_code == REFUSED[framework]
    assert refusal_message(r, framework) == "The CSRF session token is missing."


def test_a_made_up_token_is_refused(client, framework):
    """Flask-WTF's token is signed, so it can tell garbage from a mismatch."""
    form_token(client)
    r = client.post("/profile", data={"name": "Mallory", "csrf_token": "garbage"})
    assert r.status_code == REFUSED[framework]
    assert (
        refusal_message(r, framework)
        == {
            "flask": "The CSRF token is invalid.",
            "fastapi": "The CSRF tokens do not match.",
        }[framework]
    )


def test_valid_token_but_missing_field(client, framework):
    token = form_token(client)
    r = client.post("/profile", data={"csrf_token": token})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]


def test_token_api_needs_no_csrf_token(client):
    r = client.post("/api/profile", json={"name": "Ada"}, headers=API_AUTH)
    assert r.status_code == 200
    assert r.json() == {"name": "Ada"}


@pytest.mark.parametrize("with_session", [False, True], ids=["no-cookie", "with-cookie"])
@pytest.mark.change("bearer-401")
def test_token_api_ignores_the_session_cookie(client, framework, with_session):
    """What a forged cross-site request can carry (a cookie) is not a credential here."""
    if with_session:
        form_token(client)
    r = client.post("/api/profile", json={"name": "Mallory"})
    if framework == "fastapi" and not has("bearer-401"):  # HTTPBearer's old answer
        assert r.status_code == 403
        assert "www-authenticate" not in r.headers
        return
    assert r.status_code == 401
    assert r.json() == {"detail": "Not authenticated"}
    assert r.headers["www-authenticate"] == "Bearer"


def test_token_api_wrong_token(client):
    r = client.post(
        "/api/profile", json={"name": "Mallory"}, headers={"authorization": "Bearer nope"}
    )
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.only(
    "fastapi",
    reason="httpx2's WSGI transport cannot send a non-ASCII header; "
    "test_routes_survive_hostile_input.py sends it to Flask",
)
def test_a_non_ascii_token_is_refused_not_a_500(client):
    """compare_digest raises TypeError on non-ASCII str; the apps compare bytes."""
    headers = {"authorization": "Bearer é✓".encode()}
    r = client.post("/api/profile", json={"name": "Ada"}, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("https_only", [False, True], ids=["http", "https-only"])
def test_session_cookie_flags(framework, monkeypatch, https_only):
    """HttpOnly and SameSite=Lax always; Secure when HTTPS_ONLY=1 (read at start-up)."""
    if https_only:
        monkeypatch.setenv("HTTPS_ONLY", "1")
    app = load_module("csrf-and-forms", framework).app
    with client_for(framework, app) as client:
        cookie = client.get("/profile").headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert ("secure" in cookie.replace("samesite", "")) is https_only
