"""Rules `request-args`, `request-json`, `request-object`: what a view reads."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos

RULES = ("routes", "request-args", "request-json", "request-object")


def test_query_arguments_become_parameters():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.get("/items")
        def items():
            page = request.args.get("page", 1, type=int)
            q = request.args["q"]
            tags = request.args.getlist("tag")
            return {"page": page, "q": q, "tags": tags}
        """,
        """\
        from fastapi import Query, FastAPI

        app = FastAPI()


        @app.get("/items")
        def items(q: str, page: int = 1, tag: list[str] = Query([])):
            tags = tag
            return {"page": page, "q": q, "tags": tags}
        """,
        *RULES,
    )


def test_a_query_argument_with_an_unknown_type_is_left_with_a_todo():
    out, _ = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.get("/a")\ndef a():\n    return request.args.get("on", type=bool)\n',
        ("request-args",),
    )
    assert 'request.args.get("on", type=bool)' in out
    assert todos(out) == [("request-args", "declare this parameter with its type by hand")]


def test_get_json_in_a_view_becomes_a_body_with_a_todo():
    out, counts = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.post("/a")\ndef a():\n    data = request.get_json()\n    return data\n',
        ("request-json",),
    )
    assert "def a(body: dict[str, Any]):" in out and "data = body" in out
    assert todos(out)[0][0] == "request-json"
    assert counts == {"request-json": 1}


def test_headers_and_cookies_read_through_starlettes_request():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.get("/h")
        def h():
            return {"agent": request.headers.get("user-agent"), "path": request.path}
        """,
        """\
        from fastapi import Request, FastAPI

        app = FastAPI()


        @app.get("/h")
        def h(request: Request):
            return {"agent": request.headers.get("user-agent"), "path": request.url.path}
        """,
        *RULES,
    )


def test_request_outside_a_view_is_left():
    check_noop(
        """\
        def helper(request):
            return request.args.get("page")
        """,
        *RULES,
    )


def test_args_to_dict_keeps_the_first_value_of_each_key():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.get("/t")
        def t():
            return request.args.to_dict()
        """,
        """\
        from fastapi import Request, FastAPI

        app = FastAPI()


        @app.get("/t")
        def t(request: Request):
            return dict(reversed(request.query_params.multi_items()))
        """,
        *RULES,
    )


def test_args_to_dict_answers_as_werkzeug():
    """Werkzeug's `MultiDict.to_dict()` keeps a repeated key's first value; so does the port."""
    from flask2fastapi.apps import client_for

    out, _ = port_source(
        "from flask import Flask, request\napp = Flask(__name__)\n"
        '@app.get("/t")\ndef t():\n    return request.args.to_dict()\n'
    )
    namespace: dict = {}
    exec(compile(out, "port.py", "exec"), namespace)  # noqa: S102
    with client_for("fastapi", namespace["app"]) as client:
        assert client.get("/t?a=1&b=2&a=3").json() == {"a": "1", "b": "2"}


def test_form_to_dict_is_left_with_its_todo():
    out, counts = port_source(
        "from flask import Flask, request\napp = Flask(__name__)\n"
        '@app.post("/t")\ndef t():\n    return request.form.to_dict()\n',
        RULES,
    )
    assert "request.form.to_dict()" in out and "request-args" not in counts
    assert todos(out) == [
        ("request-object", "Starlette's Request has no `form`: port this line by hand")
    ]
