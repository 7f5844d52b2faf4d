"""flash-messages: flash() / get_flashed_messages() → a small session-backed equivalent."""

import re

import flask
import pytest
from fastapi.responses import RedirectResponse

from tests.expect import has

LOCATION = {"flask": "/", "fastapi": "http://testserver/"}


def flashes(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="flash (\w+)">(.*?)</p>', html)


def test_post_redirect_get_shows_the_message_once(client, framework):
    r = client.post("/items", data={"name": "saw"})
    assert r.status_code == 303
    assert r.headers["location"] == LOCATION[framework]
    assert r.headers["set-cookie"].startswith("session=")

    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert flashes(page.text) == [("success", "Added saw.")]
    assert "<li>saw</li>" in page.text

    again = client.get("/")
    assert flashes(again.text) == []
    assert "<li>saw</li>" in again.text


def test_messages_queue_up_until_shown(client):
    client.post("/items", data={"name": "saw"})
    client.post("/items", data={"name": "  "})
    client.post("/items", data={"name": "hammer"})
    assert flashes(client.get("/").text) == [
        ("success", "Added saw."),
        ("error", "A name is required."),
        ("success", "Added hammer."),
    ]


def test_missing_field_is_an_error_message_not_a_400(client):
    r = client.post("/items")
    assert r.status_code == 303
    assert flashes(client.get("/").text) == [("error", "A name is required.")]


def test_messages_are_escaped(client):
    client.post("/items", data={"name": "<b>saw</b>"})
    page = client.get("/").text
    assert flashes(page) == [("success", "Added &lt;b&gt;saw&lt;/b&gt;.")]
    assert "<b>" not in page


def test_messages_belong_to_one_browser(client):
    client.post("/items", data={"name": "saw"})
    client.cookies.clear()  # another browser
    page = client.get("/").text
    assert flashes(page) == []
    assert "<li>saw</li>" in page  # the item itself is shared data


def test_first_visit_has_no_messages(client):
    r = client.get("/")
    assert r.status_code == 200
    assert flashes(r.text) == []


def test_get_on_the_form_action_is_405(client):
    assert client.get("/items").status_code == 405


def test_default_redirect_codes(framework):
    """Why the snippets ask for 303: neither default means "now GET the page"."""
    default = {
        "flask": lambda: flask.redirect("/").status_code,
        "fastapi": lambda: RedirectResponse("/").status_code,
    }[framework]()
    assert default == {"flask": 302, "fastapi": 307}[framework]


def test_repeating_the_post_at_the_page_is_405(client):
    """What a 307 redirect would make the browser do: POST to the page's GET-only route."""
    assert client.post("/", data={"name": "saw"}).status_code == 405


@pytest.mark.change("trusted-hosts")
def test_an_unknown_host_is_refused(client, framework):
    """The redirect after a POST is built from Host in FastAPI: only listed hosts are served."""
    r = client.post("/items", data={"name": "hammer"}, headers={"host": "evil.example"})
    assert "evil.example" not in r.headers.get("location", "")  # Flask's are relative anyway
    if framework == "flask" and not has("trusted-hosts"):
        return  # TRUSTED_HOSTS is ignored: the request is served
    assert r.status_code == 400
