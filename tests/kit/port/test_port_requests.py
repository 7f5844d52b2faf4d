"""Rules `request-args`, `request-json`, `request-object`: what a view reads."""

from __future__ import annotations

import textwrap

import pytest
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


def test_form_to_dict_reads_the_awaited_form_in_an_async_view():
    """Werkzeug's `to_dict()` keeps a repeated field's first value; so does the port, from
    `await request.form()` (the flask-wtf-forms page's read), in a view made `async`."""
    from flask2fastapi.apps import client_for

    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n"
        '@app.post("/t")\ndef t():\n    return request.form.to_dict()\n'
    )
    out, counts = port_source(source, (*RULES, "request-form"))
    assert "async def t(request: Request):" in out
    assert "return dict(reversed((await request.form()).multi_items()))" in out
    assert todos(out) == [
        ("request-form", "now `async def` to await the form: move any blocking call out of it")
    ]
    assert counts["request-form"] == 1
    assert port_source(out, (*RULES, "request-form"))[0] == out
    namespace: dict = {}
    exec(compile(port_source(source)[0], "port.py", "exec"), namespace)  # noqa: S102
    with client_for("fastapi", namespace["app"]) as client:
        assert client.post("/t", data={"a": ["1", "3"], "b": "2"}).json() == {"a": "1", "b": "2"}


FILES = ("routes", "request-files", "request-object")


def test_request_files_become_uploadfile_parameters():
    check_transformed(
        """\
        import os

        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.post("/upload")
        def upload():
            upload = request.files["upload"]
            with open(os.devnull, "wb") as out:
                upload.save(out)
            return {"name": upload.filename, "type": upload.content_type}


        @app.post("/read")
        def read():
            attachment = request.files.get("attachment")
            return {"size": len(attachment.read()), "first": attachment.stream.read(1)}


        @app.post("/async")
        async def read_async():
            doc = request.files["doc"]
            return {"size": len(doc.read())}
        """,
        """\
        import os

        from fastapi import UploadFile, FastAPI
        import shutil

        app = FastAPI()


        @app.post("/upload")
        def upload(upload: UploadFile):
            with open(os.devnull, "wb") as out:
                shutil.copyfileobj(upload.file, out)
            return {"name": upload.filename, "type": upload.content_type}


        @app.post("/read")
        def read(attachment: UploadFile | None = None):
            return {"size": len(attachment.file.read()), "first": attachment.file.read(1)}


        @app.post("/async")
        async def read_async(doc: UploadFile):
            return {"size": len(await doc.read())}
        """,
        *FILES,
    )


def test_uploads_the_rule_cannot_port_keep_a_todo():
    out, counts = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.post("/a")\ndef a():\n    f = request.files["f"]\n    f.save(sink())\n'
        '    many = request.files.getlist("many")\n    return {"type": f.mimetype}\n',
        FILES,
    )
    assert "def a(f: UploadFile, request: Request):" in out
    assert todos(out) == [
        ("request-files", "open the target and copy `f.file` into it (`shutil.copyfileobj`)"),
        ("request-files", "declare this upload by hand (`list[UploadFile]`, `File()`)"),
        ("request-object", "Starlette's Request has no `files`: port this line by hand"),
        ("request-files", "UploadFile has no `mimetype`: port this line by hand"),
    ]
    assert 'request.files.getlist("many")' in out and "f.save(sink())" in out
    assert counts["request-files"] == 1


def test_uploads_answer_as_the_file_uploads_page_says():
    """Run the port: the file's name, type and bytes arrive as Flask read them; a missing
    part is FastAPI's 422 (the page's difference table), not Flask's 400."""
    from flask2fastapi.apps import client_for

    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n"
        '@app.post("/inspect")\ndef inspect():\n    file = request.files["file"]\n'
        "    data = file.read()\n"
        '    return {"name": file.filename, "type": file.content_type, "text": data.decode()}\n'
    )
    out, _ = port_source(source)
    namespace: dict = {}
    exec(compile(out, "port.py", "exec"), namespace)  # noqa: S102
    with client_for("fastapi", namespace["app"]) as client:
        sent = client.post("/inspect", files={"file": ("a.txt", b"hi\n", "text/plain")})
        missing = client.post("/inspect", files={"other": ("a.txt", b"hi\n", "text/plain")})
    assert sent.status_code == 200
    assert sent.json() == {"name": "a.txt", "type": "text/plain", "text": "hi\n"}
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "file"]


def test_get_data_awaits_the_body_in_an_async_view():
    out, counts = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.post("/hook")\ndef hook():\n    body = request.get_data()\n'
        '    return {"n": len(body), "url": request.url, "ip": request.remote_addr}\n',
        FILES,
    )
    assert "async def hook(request: Request):" in out
    assert "body = await request.body()" in out
    assert '"url": str(request.url), "ip": getattr(request.client, "host", None)' in out
    assert todos(out) == [
        ("request-object", "now `async def` to await the body: move any blocking call out of it")
    ]
    assert counts["request-object"] == 3
    assert port_source(out, FILES)[0] == out


def test_get_data_with_arguments_keeps_a_todo():
    out, _ = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.post("/hook")\nasync def hook():\n    return request.get_data(as_text=True)\n',
        FILES,
    )
    assert "request.get_data(as_text=True)" in out
    assert todos(out) == [
        ("request-object", "read the raw body with `await request.body()` in an `async def` view")
    ]


def test_a_body_read_by_constant_keys_gets_a_model_stub():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.post("/items")
        def create_item():
            data = request.get_json()
            return {"name": data["name"], "note": data.get("note"), "qty": data.get("qty", 1)}
        """,
        """\
        from fastapi import FastAPI
        from pydantic import BaseModel, ConfigDict
        from typing import Any

        app = FastAPI()


        class CreateItemBody(BaseModel):
            # No NaN, no lone surrogate once a field is typed: JSON cannot carry them back.
            model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

            # The keys the view reads, as flask2fastapi port found them: type each field.
            name: Any
            note: Any = None
            qty: Any = 1


        @app.post("/items")
        def create_item(body: CreateItemBody):
            data = body
            return {"name": data.name, "note": data.note, "qty": data.qty}
        """,
        "routes",
        "request-json",
    )


@pytest.mark.parametrize(
    "use",
    [
        "isinstance(data, dict)",  # the dict itself
        'data["a"] if "a" in data else None',  # a membership test
        "data[key]",  # a computed key
        'data.get("a", compute())',  # a default computed at request time
    ],
)
def test_a_body_read_otherwise_stays_a_dict_with_a_todo(use):
    out, _ = port_source(
        "from fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\nkey = 'a'\n"
        f'@app.post("/a")\ndef a():\n    data = request.get_json()\n    return {{"v": {use}}}\n',
        ("routes", "request-json"),
    )
    assert "def a(body: dict[str, Any]):" in out and "BaseModel" not in out
    assert todos(out)[0][0] == "request-json"


def test_a_model_stub_answers_422_for_a_missing_key(tmp_path):
    """Run the port: a required key missing is FastAPI's 422 with its location (Flask's
    `data["name"]` raised a KeyError: a 500); an optional one takes its default."""
    from flask2fastapi.apps import client_for, load_module_from_path

    out, _ = port_source(
        "from flask import Flask, request\napp = Flask(__name__)\n"
        '@app.post("/items")\ndef items():\n    data = request.get_json()\n'
        '    return {"name": data["name"], "qty": data.get("qty", 1)}\n'
    )
    # A module of its own: Pydantic resolves the model's annotations in it.
    (tmp_path / "stub_port.py").write_text(out)
    module = load_module_from_path(tmp_path / "stub_port.py", "stub_port")
    with client_for("fastapi", module.app) as client:
        good = client.post("/items", json={"name": "pen", "extra": True})
        missing = client.post("/items", json={"qty": 2})
    assert (good.status_code, good.json()) == (200, {"name": "pen", "qty": 1})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "name"]


def test_a_checked_upload_is_optional_and_saved_to_its_path():
    """The shape public upload views share: check the part, then `save` to a path. The
    check keeps the view's own 400 (an optional parameter), and `save(path)` does what
    Werkzeug's does with a path: open it "wb" and copy the upload in."""
    check_transformed(
        """\
        import os

        from fastapi import FastAPI
        from flask import request

        app = FastAPI()


        @app.post("/upload")
        def upload():
            if "doc" not in request.files:
                return {"error": "No file part"}, 400
            doc = request.files["doc"]
            path = os.path.join("uploads", doc.filename)
            doc.save(path)  # to disk
            return {"saved": "doc" in request.files}
        """,
        """\
        import os

        from fastapi import UploadFile, FastAPI
        import shutil

        app = FastAPI()


        @app.post("/upload")
        def upload(doc: UploadFile | None = None):
            if doc is None:
                return {"error": "No file part"}, 400
            path = os.path.join("uploads", doc.filename)
            with open(path, "wb") as out:  # to disk
                shutil.copyfileobj(doc.file, out)
            return {"saved": doc is not None}
        """,
        *FILES,
    )


def test_an_upload_under_another_name_is_followed():
    out, _ = port_source(
        "import os\nfrom fastapi import FastAPI\nfrom flask import request\napp = FastAPI()\n"
        '@app.post("/a")\ndef a():\n    if "scan" in request.files:\n'
        '        file = request.files["scan"]\n        file.save(os.path.join("up", "x"))\n'
        "    return {}\n",
        FILES,
    )
    assert "def a(scan: UploadFile | None = None):" in out and "if scan is not None:" in out
    assert "file = scan" in out
    assert 'with open(os.path.join("up", "x"), "wb") as out:' in out
    assert "shutil.copyfileobj(file.file, out)" in out and not todos(out)


def test_a_typed_header_read_becomes_a_header_parameter():
    # Starlette's `headers.get` takes no `type=`: left as it was, a TypeError (a 500).
    check_transformed(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/events")
        def events():
            last = request.headers.get("Last-Event-ID", 0, type=int)
            return {"last": last}
        """,
        """\
        from fastapi import FastAPI, Header
        from typing import Annotated

        app = FastAPI()


        @app.get("/events")
        def events(last_event_id: Annotated[int, Header()] = 0):
            last = last_event_id
            return {"last": last}
        """,
        *RULES,
        "app",
    )


def test_a_typed_header_it_cannot_name_gets_a_todo():
    out, _ = port_source(
        textwrap.dedent(
            """\
            from flask import Flask, request

            app = Flask(__name__)


            @app.route("/events")
            def events():
                return {"n": request.headers.get("X_Count", type=int)}
            """
        ),
        RULES,
    )
    assert 'request.headers.get("X_Count", type=int)' in out
    assert ("request-object", "Starlette's `headers.get` takes no `type=` (a TypeError, so a "
            "500): declare a typed `Header()` parameter by hand") in todos(out)  # fmt: skip
