"""url-building: url_for vs request.url_for and url_path_for.

Most tests read the URLs the apps build through `/links`. The last ones call the
frameworks' functions directly on the snippet's app, for what an endpoint cannot show:
the exceptions raised, the types returned, and building URLs outside a request.
"""

import pytest
from fastapi.encoders import jsonable_encoder
from flask import url_for
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.routing import NoMatchFound
from werkzeug.routing import BuildError

from tests.expect import assert_server_error


def test_links(client):
    r = client.get("/links")
    assert r.status_code == 200
    assert r.json() == {
        "home": "/",
        "user": "/users/1",
        "user_absolute": "http://testserver/users/1",
        "next_page": "/users?page=2",
        "file": "/files/reports/Q1%202025.pdf",
        "admin": "/admin/",
    }


def test_built_links_resolve(client):
    links = client.get("/links").json()
    assert client.get(links["home"]).json() == {"page": "home"}
    assert client.get(links["user"]).json() == {"id": 1}
    assert client.get(links["user_absolute"]).json() == {"id": 1}
    assert client.get(links["next_page"]).json() == {"users": [1, 2]}
    assert client.get(links["file"]).json() == {"filepath": "reports/Q1 2025.pdf"}
    assert client.get(links["admin"]).json() == {"page": "dashboard"}


def test_absolute_url_follows_the_request_host(client):
    r = client.get("/links", headers={"host": "api.example.com"})
    assert r.json()["user_absolute"] == "http://api.example.com/users/1"


def test_missing_parameter_is_a_500(client, framework):
    assert_server_error(client.get("/broken-link"), framework)


def request_for(app):
    """A bare Starlette request for `app`, as an endpoint would receive it."""
    scope = {
        "type": "http",
        "app": app,
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "query_string": b"",
    }
    return Request(scope)


def test_exceptions_for_a_missing_parameter_and_an_unknown_name(app, framework):
    if framework == "flask":
        with app.test_request_context():
            with pytest.raises(BuildError, match=r"forget to specify values \['user_id'\]"):
                url_for("user_detail")
            with pytest.raises(BuildError, match="Could not build url for endpoint 'nope'"):
                url_for("nope")
    else:
        with pytest.raises(NoMatchFound, match='name "user_detail" and params ""'):
            app.url_path_for("user_detail")
        with pytest.raises(NoMatchFound, match='name "nope"'):
            app.url_path_for("nope")


def test_extra_keyword_is_query_string_in_flask_an_error_in_fastapi(app, framework):
    if framework == "flask":
        with app.test_request_context():
            assert url_for("user_detail", user_id=1, tab="posts") == "/users/1?tab=posts"
    else:
        with pytest.raises(NoMatchFound, match='params "user_id, tab"'):
            app.url_path_for("user_detail", user_id=1, tab="posts")


def test_escaping_is_done_by_flask_not_by_fastapi(app, framework):
    if framework == "flask":
        with app.test_request_context():
            assert url_for("download", filepath="a b?.txt") == "/files/a%20b%3F.txt"
    else:
        assert app.url_path_for("download", filepath="a b?.txt") == "/files/a b?.txt"


def test_types_are_checked_by_flask_not_by_fastapi(app, framework):
    if framework == "flask":
        with app.test_request_context(), pytest.raises(ValueError, match="invalid literal"):
            url_for("user_detail", user_id="abc")  # the int converter builds the URL too
    else:
        assert app.url_path_for("user_detail", user_id="abc") == "/users/abc"


def test_what_the_functions_return(app, framework):
    if framework == "flask":
        with app.test_request_context():
            path = url_for("user_detail", user_id=1)
            absolute = url_for("user_detail", user_id=1, _external=True)
        assert type(path) is str
        assert path == "/users/1"
        assert type(absolute) is str
        assert absolute == "http://localhost/users/1"  # test_request_context's default host
    else:
        path = app.url_path_for("user_detail", user_id=1)
        assert isinstance(path, str)
        assert path == "/users/1"
        url = request_for(app).url_for("user_detail", user_id=1)
        assert type(url) is URL
        assert str(url) == "http://testserver/users/1"
        # Returned as it is, a URL object would reach the client as its attributes...
        assert jsonable_encoder({"user": url}) == {"user": {"_url": "http://testserver/users/1"}}
        url.path  # noqa: B018 - reading a property caches the parsed parts on the object
        # ...and which attributes depends on what the code has read before.
        assert set(jsonable_encoder(url)) == {"_url", "_components"}


def test_outside_a_request(app, framework):
    if framework == "flask":
        with app.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
            url_for("user_detail", user_id=1)
    else:
        assert app.url_path_for("user_detail", user_id=1) == "/users/1"  # no context needed


def test_the_same_function_name_in_two_routers_or_blueprints(framework):
    """Blueprints prefix their endpoint names; routers do not, so the first route wins."""
    if framework == "flask":
        from flask import Blueprint, Flask

        app = Flask("names")
        for prefix in ("a", "b"):
            bp = Blueprint(prefix, "names", url_prefix=f"/{prefix}")
            bp.add_url_rule("/items", "list_items", lambda: [])
            app.register_blueprint(bp)
        with app.test_request_context():
            built = [url_for("a.list_items"), url_for("b.list_items")]
        assert built == ["/a/items", "/b/items"]
    else:
        from fastapi import APIRouter, FastAPI

        app = FastAPI()
        for prefix in ("a", "b"):
            router = APIRouter(prefix=f"/{prefix}")

            @router.get("/items")
            def list_items():
                return []

            app.include_router(router)
        assert app.url_path_for("list_items") == "/a/items"  # "/b/items" is unreachable by name
