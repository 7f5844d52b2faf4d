"""incremental-migration: the legacy Flask app mounted inside FastAPI (strangler fig).

`[flask]` runs the legacy app alone; `[fastapi]` runs the combined app, in which one
route has moved to FastAPI and everything else falls through to Flask via a2wsgi.
"""

import importlib
import runpy
import sys

import pytest

from guidekit.harness import client_for, demo_environ
from guidekit.topics import snippet_path
from tests.expect import (
    assert_method_not_allowed,
    assert_not_found,
    assert_server_error,
    assert_validation_error,
    has,
    route_methods,
)

#: The throwaway secrets the apps are imported with (they have no defaults).
DEMO_ENV = demo_environ("incremental-migration")


def test_moved_route_is_served_by_fastapi_in_the_combined_app(client, framework):
    r = client.get("/users/1")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"id": 1, "name": "Ada", "served_by": framework}


def test_legacy_route_is_still_served_by_flask(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"status": "ok", "served_by": "flask"}


def test_one_app_serves_both_kinds_of_route(client, framework):
    served_by = {client.get(path).json()["served_by"] for path in ("/users/2", "/health")}
    assert served_by == {"flask": {"flask"}, "fastapi": {"fastapi", "flask"}}[framework]


def test_unknown_route_falls_through_to_flasks_404(client):
    # Flask's HTML page in both, not FastAPI's JSON: the mounted Flask app answers.
    assert_not_found(client.get("/nope"), "flask")


def test_bad_id_on_a_moved_route_is_validated_by_fastapi(client, framework):
    r = client.get("/users/abc")
    # FastAPI's route matches the path whatever the type, then validates: 422 JSON.
    # Flask's <int:> converter does not match, so the URL is unknown: 404 HTML.
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert_validation_error(r, ["path", "user_id"])
    else:
        assert_not_found(r, framework)


def test_other_methods_on_a_moved_route_reach_the_legacy_twin(client):
    # FastAPI's GET route does not match POST or HEAD, so the request falls through to
    # the mount, where Flask's old route still answers: delete it once it has moved.
    r = client.post("/users/1")
    # Flask's answer and Allow list in both (FastAPI's would be JSON and "GET").
    assert_method_not_allowed(r, "flask", route_methods("GET"))
    head = client.head("/users/1")
    assert head.status_code == 200
    assert head.content == b""


def test_openapi_schema_lists_only_the_moved_routes(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        assert list(r.json()["paths"]) == ["/users/{user_id}", "/prefs"]


@pytest.mark.change("starlette-deprecation-warning")
def test_starlettes_own_wsgi_middleware_is_deprecated_for_a2wsgi(framework, monkeypatch):
    """Why the FastAPI variant uses a2wsgi: importing Starlette's adapter warns."""
    from starlette.exceptions import StarletteDeprecationWarning

    # Import it afresh (another test may have imported it already), then restore.
    monkeypatch.delitem(sys.modules, "starlette.middleware.wsgi", raising=False)
    with pytest.warns(StarletteDeprecationWarning, match="deprecated.*a2wsgi"):
        importlib.import_module("starlette.middleware.wsgi")
    assert framework in {"flask", "fastapi"}  # nothing framework-specific: runs once per id


def test_a_route_declared_after_the_mount_is_never_reached(framework, app):
    """The mount at "/" matches every path, so FastAPI routes must come before it."""
    if framework == "fastapi":

        @app.get("/late")
        def late():
            return {"served_by": "fastapi"}  # never called

    with client_for(framework, app) as client:
        r = client.get("/late")
    # In the combined app the request falls into the mount: Flask's 404 page.
    assert_not_found(r, "flask")


def test_a2wsgi_runs_flask_in_a_pool_of_ten_threads(framework):
    import inspect

    from a2wsgi import WSGIMiddleware

    assert inspect.signature(WSGIMiddleware).parameters["workers"].default == 10
    assert framework in {"flask", "fastapi"}  # library default: the same for both ids


# Sessions on both sides, and exceptions raised in Flask routes (issue 10, item 20).


def cookie_names(r) -> list[str]:
    return [c.split("=", 1)[0] for c in r.headers.get_list("set-cookie")]


def test_the_legacy_session_works_through_the_mount(client):
    client.base_url = "https://testserver"  # the cookies are Secure
    assert client.post("/cart", json={"item": "book"}).json() == {"cart": ["book"]}
    r = client.post("/cart", json={"item": "pen"})
    assert r.json() == {"cart": ["book", "pen"]}
    assert cookie_names(r) == ["session"]
    assert client.get("/cart").json() == {"cart": ["book", "pen"], "served_by": "flask"}


@pytest.mark.parametrize(
    "body",
    [
        {"item": ""},
        {"item": "x" * 51},
        {"item": 3},
        {"item": 3.5},
        {"item": None},
        {},
        ["book"],
        "book",
    ],
)
def test_bad_cart_items_are_refused(client, body):
    r = client.post("/cart", json=body)
    assert r.status_code == 400
    assert r.json() == {"error": "item must be a string of 1 to 50 characters"}


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"item": NaN}'], ids=["deep", "nan"])
def test_hostile_json_is_refused_not_500(client, body):
    """json.loads raises RecursionError on deep JSON and accepts NaN: the app's JSON provider."""
    r = client.post("/cart", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json() == {"error": "item must be a string of 1 to 50 characters"}


def test_cookie_flags(client, framework):
    client.base_url = "https://testserver"
    flask_cookie = client.post("/cart", json={"item": "book"}).headers["set-cookie"]
    assert flask_cookie.startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(flask_cookie.split("; "))
    if framework == "fastapi":
        cookie = client.put("/prefs", json={"theme": "dark"}).headers["set-cookie"]
        assert cookie.startswith("fastapi_session=")
        assert {"secure", "httponly", "samesite=lax"} <= set(cookie.lower().split("; "))


@pytest.mark.only("fastapi", reason="the combined app has both sessions")
def test_a_fastapi_session_write_keeps_the_flask_session(client):
    client.base_url = "https://testserver"
    client.post("/cart", json={"item": "book"})
    r = client.put("/prefs", json={"theme": "dark"})
    assert r.json() == {"theme": "dark", "served_by": "fastapi"}
    assert cookie_names(r) == ["fastapi_session"]
    assert set(client.cookies) == {"session", "fastapi_session"}
    assert client.get("/cart").json()["cart"] == ["book"]  # still there


@pytest.mark.only("fastapi", reason="the moved route validates with Pydantic")
@pytest.mark.parametrize("body", [{"theme": "blue"}, {"theme": None}, {}, ["dark"]])
def test_bad_prefs_are_refused(client, body):
    r = client.put("/prefs", json=body)
    assert r.status_code == 422
    assert "set-cookie" not in r.headers


@pytest.mark.only("fastapi", reason="the moved route validates with Pydantic")
def test_prefs_nan_is_a_422_not_500(client):
    """FastAPI's own 422 echoes the input, and JSON cannot carry NaN: the app's handler."""
    r = client.put(
        "/prefs", content=b'{"theme": NaN}', headers={"content-type": "application/json"}
    )
    assert assert_validation_error(r, ["body", "theme"], "literal_error")["input"] == "nan"


def combined_with_default_cookie_names(flask_app, flask_cookie="session"):
    """The combined app as a literal port would build it: both sides use "session"."""
    from a2wsgi import WSGIMiddleware
    from fastapi import FastAPI, Request
    from starlette.middleware.sessions import SessionMiddleware

    flask_app.config["SESSION_COOKIE_NAME"] = flask_cookie
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key=DEMO_ENV["SESSION_SECRET_KEY"])

    @app.put("/prefs")
    def save_prefs(request: Request):
        request.session["theme"] = "dark"
        return {"theme": "dark"}

    app.mount("/", WSGIMiddleware(flask_app))
    return app


@pytest.mark.change("session-saved-when-assigned")
@pytest.mark.only("fastapi", reason="the trap needs both sessions")
def test_the_trap_one_cookie_name_for_both_sessions(framework, snippet):
    app = combined_with_default_cookie_names(snippet.flask_app)
    with client_for(framework, app) as client:
        client.base_url = "https://testserver"
        client.post("/cart", json={"item": "book"})
        r = client.put("/prefs", json={"theme": "dark"})
        assert cookie_names(r) == ["session"]  # Starlette's, replacing Flask's
        assert client.get("/cart").json()["cart"] == []  # the Flask side lost its session
        # And the Flask side's next write replaces Starlette's cookie in turn (older
        # Starlette sends its own again with every answer: two cookies of one name).
        names = ["session"] if has("session-saved-when-assigned") else ["session", "session"]
        assert cookie_names(client.post("/cart", json={"item": "pen"})) == names


@pytest.mark.only("fastapi", reason="the other fix renames Flask's cookie")
def test_renaming_flasks_cookie_also_works_but_drops_existing_sessions(framework, snippet):
    with client_for("flask", snippet.flask_app) as before:  # a session from before the rename
        before.base_url = "https://testserver"
        before.post("/cart", json={"item": "old"})
        old_cookie = before.cookies["session"]
    app = combined_with_default_cookie_names(snippet.flask_app, flask_cookie="legacy_session")
    with client_for(framework, app) as client:
        client.base_url = "https://testserver"
        client.post("/cart", json={"item": "book"})
        client.put("/prefs", json={"theme": "dark"})
        assert set(client.cookies) == {"legacy_session", "session"}
        assert client.get("/cart").json()["cart"] == ["book"]  # both sessions kept
    with client_for(framework, app) as returning:
        r = returning.get("/cart", headers={"cookie": f"session={old_cookie}"})
        assert r.json()["cart"] == []  # the old cookie is no longer Flask's: logged out once


def test_an_exception_in_a_flask_route(client, framework):
    # Alone, Flask answers with its own 500 page. Mounted with PROPAGATE_EXCEPTIONS, the
    # exception reaches FastAPI's handler, and both halves answer 500 the same way.
    r = client.get("/legacy-boom")
    if framework == "flask":
        assert_server_error(r, framework)
    else:
        assert r.status_code == 500
        assert r.json() == {"error": "Internal Server Error"}


@pytest.mark.only("fastapi", reason="the trap is in the combined app")
def test_without_propagate_exceptions_fastapis_handler_never_sees_it(framework, snippet):
    snippet.flask_app.config["PROPAGATE_EXCEPTIONS"] = False
    with client_for(framework, snippet.app) as client:
        r = client.get("/legacy-boom")
    assert_server_error(r, "flask")  # Flask's page, not the handler's JSON


@pytest.mark.parametrize("missing", sorted(DEMO_ENV))
def test_the_apps_refuse_to_start_without_their_secrets(framework, monkeypatch, missing):
    # Run the file as it stands (the harness would supply the demo secrets).
    monkeypatch.delenv(missing)
    path = str(snippet_path("incremental-migration", framework))
    if framework == "flask" and missing == "SESSION_SECRET_KEY":
        assert runpy.run_path(path)["app"]  # not a secret of the Flask app
    else:
        with pytest.raises(RuntimeError, match=f"{missing} is not set"):
            runpy.run_path(path)


# Moved routes that still use Flask-SQLAlchemy (issue 19): `db.session` needs Flask's app
# context, which a FastAPI route never has. A legacy app with one model stands in for yours.
def _legacy_db_app():
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.orm import Mapped, mapped_column

    legacy = Flask(__name__)
    legacy.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"  # one in-memory database
    db = SQLAlchemy(legacy)

    class User(db.Model):
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    with legacy.app_context():
        db.create_all()
        db.session.add(User(id=1, name="Ada"))
        db.session.commit()
    return legacy, db, User


# --8<-- [start:legacy-db]
def moved_routes(legacy, db, User):
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from sqlalchemy.orm import Session, sessionmaker

    app = FastAPI()

    @app.get("/as-before/{user_id}")
    def as_before(user_id: int):
        return {"name": db.session.get(User, user_id).name}  # RuntimeError: no app context

    # Recipe 1: an app context per request. An async dependency, so that the context is
    # pushed and popped in the request's own task, and a `def` endpoint's thread sees it.
    async def legacy_session():
        with legacy.app_context():  # Flask-SQLAlchemy removes the session at its end
            yield db.session

    @app.get("/with-app-context/{user_id}")
    def with_app_context(user_id: int, session: Annotated[Session, Depends(legacy_session)]):
        return {"name": session.get(User, user_id).name}

    # Recipe 2: a plain SQLAlchemy session on Flask-SQLAlchemy's own engine (same pool).
    with legacy.app_context():
        make_session = sessionmaker(db.engine, expire_on_commit=False)

    def plain_session():
        with make_session() as session:
            yield session

    @app.post("/plain/{user_id}")
    def rename(user_id: int, name: str, session: Annotated[Session, Depends(plain_session)]):
        session.get(User, user_id).name = name
        session.commit()
        return {"name": name}

    return app


# --8<-- [end:legacy-db]


@pytest.mark.only("fastapi", reason="the trap is in the FastAPI half")
def test_db_session_in_a_moved_route_needs_an_app_context(framework):
    legacy, db, User = _legacy_db_app()
    with client_for(framework, moved_routes(legacy, db, User)) as client:
        assert_server_error(client.get("/as-before/1"), framework)  # outside app context
        r = client.get("/with-app-context/1")
        assert (r.status_code, r.json()) == (200, {"name": "Ada"})
        r = client.post("/plain/1", params={"name": "Grace"})
        assert (r.status_code, r.json()) == (200, {"name": "Grace"})
        # The Flask half and recipe 1 read what recipe 2 wrote: one database, one engine.
        assert client.get("/with-app-context/1").json() == {"name": "Grace"}
    with legacy.app_context():
        assert db.session.get(User, 1).name == "Grace"


@pytest.mark.only("fastapi", reason="the trap is in the FastAPI half")
def test_a_def_dependency_cannot_hold_the_app_context(framework):
    """Run in the thread pool, a `def` dependency pushes the context in one thread's copy
    of the context variables and pops it in another: `LookupError`, a 500."""
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from sqlalchemy.orm import Session

    legacy, db, User = _legacy_db_app()
    app = FastAPI()

    def legacy_session():
        with legacy.app_context():
            yield db.session

    @app.get("/users/{user_id}")
    def read(user_id: int, session: Annotated[Session, Depends(legacy_session)]):
        return {"name": session.get(User, user_id).name}

    with client_for(framework, app) as client:
        assert_server_error(client.get("/users/1"), framework)
