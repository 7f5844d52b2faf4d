"""hello-world: what a returned str and dict become."""

from importlib.metadata import metadata

import pytest
from packaging.version import Version

from tests.expect import assert_method_not_allowed, assert_not_found, has, route_methods


def test_str_is_html_in_flask_but_a_json_string_in_fastapi(client, framework):
    r = client.get("/")
    assert r.status_code == 200
    if framework == "flask":
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.text == "Hello, World!"
    else:
        assert r.headers["content-type"] == "application/json"
        assert r.text == '"Hello, World!"'
        assert r.json() == "Hello, World!"


def test_dict_is_json_in_both(client, framework):
    r = client.get("/info")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "framework": {"flask": "Flask", "fastapi": "FastAPI"}[framework],
        "ok": True,
    }


def test_unknown_route_is_404(client, framework):
    assert_not_found(client.get("/nope"), framework)


def test_post_to_a_get_route_is_405(client, framework):
    r = client.post("/")
    assert_method_not_allowed(r, framework, route_methods("GET"))


def test_head_and_options_come_free_only_with_flask(client, framework):
    # Flask adds HEAD and OPTIONS to every GET rule; FastAPI's @app.get is GET only.
    assert client.head("/").status_code == {"flask": 200, "fastapi": 405}[framework]
    assert client.options("/").status_code == {"flask": 200, "fastapi": 405}[framework]


def assert_python_floor(package: str, expected: str) -> None:
    """`Requires-Python` is `>=expected`, or lower before the change `<package>-requires-python`."""
    requires = metadata(package)["Requires-Python"]
    if not has(f"{package}-requires-python"):  # older releases: a lower floor
        assert Version(requires.removeprefix(">=")) < Version(expected)
        return
    assert requires == f">={expected}"


@pytest.mark.change("flask-requires-python")
@pytest.mark.only("flask", reason="one package's metadata; FastAPI's is the next test")
def test_flask_python_floor_from_package_metadata(framework):
    assert_python_floor(framework, "3.9")


@pytest.mark.change("fastapi-requires-python")
@pytest.mark.only("fastapi", reason="one package's metadata; Flask's is the test before")
def test_fastapi_python_floor_from_package_metadata(framework):
    assert_python_floor(framework, "3.11")
