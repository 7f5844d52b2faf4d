"""pagination: Flask-SQLAlchemy's paginate, get_or_404 and first_or_404 vs plain SQLAlchemy.

45 posts are seeded at start-up (ids 1 to 45).
"""

import pytest

from tests.expect import (
    assert_default_error,
    assert_method_not_allowed,
    assert_not_found,
    assert_validation_error,
)

MAX_ID = 2**63 - 1


def meta(r):
    """The page's numbers, without its items."""
    return {key: value for key, value in r.json().items() if key != "items"}


def ids(r):
    return [post["id"] for post in r.json()["items"]]


def test_first_page_by_default(client):
    r = client.get("/posts")
    assert r.status_code == 200
    assert meta(r) == {"page": 1, "per_page": 20, "total": 45, "pages": 3}
    assert ids(r) == list(range(1, 21))
    assert r.json()["items"][0] == {"id": 1, "title": "Post 1"}


def test_a_page_and_a_page_size(client):
    r = client.get("/posts", params={"page": 2, "per_page": 10})
    assert meta(r) == {"page": 2, "per_page": 10, "total": 45, "pages": 5}
    assert ids(r) == list(range(11, 21))


def test_the_last_page_is_short(client):
    r = client.get("/posts", params={"page": 3})
    assert ids(r) == list(range(41, 46))


@pytest.mark.parametrize("page", [4, 999_999_999_999_999_999])
def test_a_page_past_the_end_is_empty_not_404(client, framework, page):
    """error_out=False; the huge page is capped before it reaches SQLite (Flask) or is a 422."""
    r = client.get("/posts", params={"page": page})
    if framework == "fastapi" and page > 1_000_000:
        assert_validation_error(r, ["query", "page"], "less_than_equal")
        return
    assert r.status_code == 200
    assert r.json()["items"] == []
    assert meta(r)["page"] == min(page, 1_000_000)


def test_per_page_above_the_maximum_is_lowered(client):
    r = client.get("/posts", params={"per_page": 1000})
    assert meta(r) == {"page": 1, "per_page": 100, "total": 45, "pages": 1}
    assert len(ids(r)) == 45


@pytest.mark.parametrize(
    ("params", "loc", "type_"),
    [
        ({"page": 0}, ["query", "page"], "greater_than_equal"),
        ({"page": -3}, ["query", "page"], "greater_than_equal"),
        ({"page": "abc"}, ["query", "page"], "int_parsing"),
        ({"per_page": 0}, ["query", "per_page"], "greater_than_equal"),
        ({"per_page": -5}, ["query", "per_page"], "greater_than_equal"),
        ({"per_page": "ten"}, ["query", "per_page"], "int_parsing"),
    ],
)
def test_out_of_range_values_are_corrected_in_flask_refused_in_fastapi(
    client, framework, params, loc, type_
):
    """Flask-SQLAlchemy (error_out=False): a page below 1 becomes 1, a per_page below 1
    becomes 20. FastAPI's Query(ge=1) refuses both."""
    r = client.get("/posts", params=params)
    if framework == "flask":
        assert r.status_code == 200
        assert meta(r) == {"page": 1, "per_page": 20, "total": 45, "pages": 3}
    else:
        assert_validation_error(r, loc, type_)


def test_get_or_404_found(client):
    r = client.get("/posts/3")
    assert r.status_code == 200
    assert r.json() == {"id": 3, "title": "Post 3"}


@pytest.mark.parametrize("post_id", [0, 46, MAX_ID])
def test_get_or_404_missing(client, framework, post_id):
    r = client.get(f"/posts/{post_id}")
    assert_default_error(
        r, framework, 404, flask_text="<p>Post not found</p>", fastapi_detail="Post not found"
    )


@pytest.mark.parametrize("post_id", ["abc", str(MAX_ID + 1), "99999999999999999999"])
def test_an_id_that_is_no_sqlite_integer(client, framework, post_id):
    """Without the bound, a 64-bit overflow reaches SQLite and answers 500 in both."""
    r = client.get(f"/posts/{post_id}")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        type_ = "int_parsing" if post_id == "abc" else "less_than_equal"
        assert_validation_error(r, ["path", "post_id"], type_)


def test_first_or_404(client, framework):
    r = client.get("/posts/by-title/Post 3")
    assert r.status_code == 200
    assert r.json() == {"id": 3, "title": "Post 3"}
    r = client.get("/posts/by-title/Post 99")
    assert_default_error(
        r, framework, 404, flask_text="<p>Post not found</p>", fastapi_detail="Post not found"
    )


def test_the_overflow_the_bound_prevents(framework, snippet, capsys, caplog):
    """Remove the bound and an id past 2**63 - 1 is a 500: SQLite's OverflowError."""
    from guidekit.harness import client_for

    app = snippet.app
    if framework == "flask":

        @app.get("/unbounded/<int:post_id>")
        def unbounded(post_id):
            return snippet.post_json(snippet.db.get_or_404(snippet.Post, post_id))

    else:

        @app.get("/unbounded/{post_id}")
        def unbounded(post_id: int, session: snippet.SessionDep):
            return snippet.post_json(session.get(snippet.Post, post_id))

    with client_for(framework, app) as client:
        assert client.get(f"/unbounded/{MAX_ID + 1}").status_code == 500
    # Flask logs the traceback (pytest's log capture holds it); the harness prints FastAPI's.
    logged = caplog.text + capsys.readouterr().err
    assert "OverflowError: Python int too large to convert to SQLite INTEGER" in logged


def test_wrong_method(client, framework):
    allow = {"flask": {"GET", "HEAD", "OPTIONS"}, "fastapi": {"GET"}}
    assert_method_not_allowed(client.post("/posts"), framework, allow)


@pytest.mark.only("flask", reason="error_out is Flask-SQLAlchemy's")
@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("per_page=1000", (100, 45)),  # lowered to max_per_page, not a 404
        ("page=2&per_page=10", (10, 10)),
        ("page=0", 404),
        ("per_page=0", 404),
        ("page=abc", 404),
        ("page=4", 404),  # past the end
    ],
)
def test_error_out_true_answers_404_but_still_caps_per_page(snippet, framework, query, answer):
    """With the default error_out=True, what error_out=False corrects is a 404, except a
    per_page above max_per_page: lowered to the cap, a normal page."""
    from werkzeug.exceptions import NotFound

    select_posts = snippet.select(snippet.Post).order_by(snippet.Post.id)
    with snippet.app.test_request_context(f"/posts?{query}"):
        if answer == 404:
            with pytest.raises(NotFound):
                snippet.db.paginate(select_posts, max_per_page=100)
        else:
            page = snippet.db.paginate(select_posts, max_per_page=100)
            assert (page.per_page, len(page.items)) == answer


# ---------------------------------------------------------------- db.paginate(page=, per_page=)
def test_archive_pages_with_the_paginate_helper(client):
    r = client.get("/archive", params={"page": 2})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert meta(r) == {"page": 2, "per_page": 10, "total": 45, "pages": 5}
    assert ids(r) == list(range(11, 21))
    r = client.get("/archive", params={"per_page": 1000})
    assert meta(r) == {"page": 1, "per_page": 50, "total": 45, "pages": 1}


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": -3}, {"per_page": 0}, {"page": 6}, {"page": 10**30}],
    ids=["page-0", "page-negative", "per-page-0", "past-the-end", "huge-page"],
)
def test_archive_error_out_answers_404_in_both(client, framework, params):
    """error_out=True: a page or page size below 1 and a page past the end are 404s."""
    assert_default_error(client.get("/archive", params=params), framework, 404)


def test_archive_page_that_is_no_number(client, framework):
    """Flask's `type=int` falls back to page 1; FastAPI's `page: int` refuses it."""
    r = client.get("/archive", params={"page": "abc"})
    if framework == "flask":
        assert r.status_code == 200
        assert meta(r) == {"page": 1, "per_page": 10, "total": 45, "pages": 5}
    else:
        assert_validation_error(r, ["query", "page"], "int_parsing")


GRID = [
    (page, per_page, cap, error_out)
    for page in (-1, 0, 1, 3, 5, 46)
    for per_page in (-2, 0, 1, 10, 20, 200)
    for cap in (None, 15)
    for error_out in (True, False)
]


@pytest.mark.only("fastapi", reason="compares the FastAPI helper with Flask-SQLAlchemy itself")
def test_the_helper_answers_what_flask_sqlalchemy_answers(framework):
    """The FastAPI snippet's `paginate` against Flask-SQLAlchemy's own `db.paginate`, over
    both snippets' 45 posts: the same numbers and rows, or a 404 in both, for every case."""
    from fastapi import HTTPException
    from werkzeug.exceptions import NotFound

    from guidekit.harness import load_module

    flask, fastapi = load_module("pagination", "flask"), load_module("pagination", "fastapi")
    fastapi.Base.metadata.create_all(fastapi.engine)
    fastapi.seed()

    def answer(paginate, missing, *args, **options):
        try:
            found = paginate(*args, **options)
        except missing:
            return 404
        return found.page, found.per_page, found.total, found.pages, [p.id for p in found.items]

    with flask.app.app_context(), fastapi.Session(fastapi.engine) as session:
        for page, per_page, cap, error_out in GRID:
            options = {"page": page, "per_page": per_page, "max_per_page": cap}
            options["error_out"] = error_out
            expected = answer(flask.db.paginate, NotFound, select_posts(flask), **options)
            got = answer(fastapi.paginate, HTTPException, session, select_posts(fastapi), **options)
            assert got == expected, options
    fastapi.engine.dispose()


def select_posts(snippet):
    return snippet.select(snippet.Post).order_by(snippet.Post.id)


# ---------------------------------------------------------------- a session outside a request
def test_seeding_twice_adds_nothing(framework, snippet):
    """The start-up seed runs again (a second start on the same database): still 45 posts."""
    from guidekit.harness import client_for

    with client_for(framework, snippet.app) as client:
        if framework == "flask":
            with snippet.app.app_context():
                snippet.seed()
        else:
            snippet.seed()
        r = client.get("/posts")
    assert r.status_code == 200
    assert meta(r) == {"page": 1, "per_page": 20, "total": 45, "pages": 3}
    assert ids(r) == list(range(1, 21))
