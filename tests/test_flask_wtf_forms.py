"""flask-wtf-forms: a FlaskForm → the same WTForms form in FastAPI, with the same messages.

Both apps re-render the form with its errors and the values sent (422), and refuse a POST
without a valid CSRF token (400, plain text). The client talks to https://testserver (the
session cookie is Secure) and sends the Referer a browser would (Flask-WTF checks it over
https).
"""

import re

import pytest

from guidekit.harness import client_for, load_module

GOOD = {
    "username": "bob",
    "email": "bob@example.com",
    "password": "correct horse",
    "confirm": "correct horse",
}
REFERER = {"referer": "https://testserver/signup"}


@pytest.fixture
def client(client):
    client.base_url = "https://testserver"
    return client


def token(client) -> str:
    r = client.get("/signup")
    return re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def submit(client, data, **kwargs):
    headers = kwargs.pop("headers", REFERER)
    return client.post("/signup", data={"csrf_token": token(client)} | data, headers=headers)


def errors(r) -> list[str]:
    return re.findall(r'<span class="error">([^<]*)</span>', r.text)


def test_refuses_to_start_without_its_secret(framework, topic, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        load_module(topic, framework, env={})


def test_the_form_page(client):
    r = client.get("/signup")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<input id="username" maxlength="20" minlength="3" name="username" required' in r.text
    assert '<label for="confirm">Repeat password</label>' in r.text
    assert errors(r) == []
    cookie = r.headers["set-cookie"].lower()  # the session keeps the CSRF token
    assert "; secure" in cookie
    assert "; httponly" in cookie
    assert "samesite=lax" in cookie


def test_valid_form_redirects_with_303(client):
    r = submit(client, GOOD)
    assert r.status_code == 303
    assert r.headers["location"] == "/welcome"
    assert client.get("/welcome").text == "<p>Welcome!</p>"


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"username": "al"}, ["Field must be between 3 and 20 characters long."]),
        ({"username": "b" * 21}, ["Field must be between 3 and 20 characters long."]),
        ({"username": "alice"}, ["That username is taken."]),
        ({"username": "ALICE"}, ["That username is taken."]),
        ({"email": "not-an-email"}, ["Invalid email address."]),
        ({"password": "short", "confirm": "short"}, ["Field must be at least 8 characters long."]),
        ({"confirm": "something else"}, ["Passwords must match."]),
        ({"username": ""}, ["This field is required."]),
        (
            {"username": "", "email": "", "password": "", "confirm": ""},
            ["This field is required."] * 3,
        ),
    ],
    ids=["short", "long", "taken", "taken-case", "email", "password", "confirm", "empty", "all"],
)
def test_invalid_form_is_re_rendered_with_the_messages(client, changes, messages):
    r = submit(client, GOOD | changes)
    assert r.status_code == 422
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert errors(r) == messages


def test_missing_fields_are_required(client):
    r = submit(client, {})
    assert r.status_code == 422
    assert errors(r) == ["This field is required."] * 3


def test_submitted_values_come_back_escaped_and_passwords_do_not(client):
    r = submit(client, GOOD | {"username": '"><script>x</script>', "confirm": "nope"})
    assert r.status_code == 422
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in r.text
    assert 'value="bob@example.com"' in r.text
    assert "correct horse" not in r.text  # PasswordField never echoes what was typed
    assert "<script>" not in r.text


@pytest.mark.parametrize("username", ["b\x00b", "zoë", "😀😀😀", "   "])
def test_hostile_values_are_messages_not_500s(client, username):
    r = submit(client, GOOD | {"username": username, "confirm": "x"})
    assert r.status_code == 422
    assert "Passwords must match." in errors(r)


def test_the_form_and_its_errors_are_the_same_page(client, framework):
    r = submit(client, GOOD | {"email": "x", "confirm": "y"})
    page = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="…"', r.text)
    assert page.startswith(
        '<form method="post">\n<input type="hidden" name="csrf_token" value="…">'
    )
    assert '<input id="email" name="email" required type="text" value="x">' in page
    assert page.endswith("<button>Sign up</button></form>")


def test_no_token_is_refused_with_400(client):
    r = client.post("/signup", data=GOOD, headers=REFERER)
    assert r.status_code == 400
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == "The CSRF token is missing."


def test_json_body_is_refused_as_having_no_token(client):
    r = client.post("/signup", json=GOOD, headers=REFERER)
    assert r.status_code == 400
    assert r.text == "The CSRF token is missing."


@pytest.mark.parametrize("forged", ["x", "a.b.c", "\u00e9t\u00e9", "0" * 4000])
def test_forged_token_is_refused(client, framework, forged):
    token(client)  # the session has a token; the form sends another
    r = client.post("/signup", data=GOOD | {"csrf_token": forged}, headers=REFERER)
    assert r.status_code == 400
    expected = {"flask": "The CSRF token is invalid.", "fastapi": "The CSRF tokens do not match."}
    assert r.text == expected[framework]


def test_token_of_another_session_is_refused(client, app, framework):
    with client_for(framework, app) as other:
        other.base_url = "https://testserver"
        stolen = token(other)
    token(client)
    r = client.post("/signup", data=GOOD | {"csrf_token": stolen}, headers=REFERER)
    assert r.status_code == 400
    assert r.text == "The CSRF tokens do not match."


def test_token_without_a_session_is_refused(client):
    stolen = token(client)
    client.cookies.clear()
    r = client.post("/signup", data=GOOD | {"csrf_token": stolen}, headers=REFERER)
    assert r.status_code == 400
    assert r.text == "The CSRF session token is missing."


@pytest.mark.parametrize(
    ("referer", "flask_refusal"),
    [
        (None, "The referrer header is missing."),
        ("https://evil.example/", "The referrer does not match the host."),
        ("http://testserver/signup", "The referrer does not match the host."),
    ],
)
def test_referer_is_checked_over_https_only_by_flask_wtf(client, framework, referer, flask_refusal):
    headers = {"referer": referer} if referer else {}
    r = client.post("/signup", data=GOOD | {"csrf_token": token(client)}, headers=headers)
    # FastAPI: the token and the SameSite cookie are the protection; the redirect has no body.
    expected = {"flask": (400, flask_refusal), "fastapi": (303, "")}[framework]
    assert (r.status_code, r.text) == expected
