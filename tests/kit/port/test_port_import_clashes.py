"""A name the port imports never rebinds a name the module already uses otherwise
(issue 21, item 1): `from pathlib import Path` and FastAPI's `Path` for a path
constraint, a module's own `Request`, two rules wanting one name from two modules.
The port's import then goes in qualified (`import fastapi` … `fastapi.Path(ge=0)`)."""

from __future__ import annotations

import textwrap

import pytest
from flask2fastapi.port import port_source


def port(source: str) -> str:
    out, _ = port_source(textwrap.dedent(source))
    again, _ = port_source(out)
    assert again == out, "a second run changed the port"
    return out


# name → (a module binding that name otherwise, a view that makes a rule import it)
CASES = {
    "Path": (
        "from pathlib import PurePath, Path",
        """
        @app.get("/items/<int:item_id>")
        def item(item_id):
            return {"id": item_id, "mine": str(Path("."))}
        """,
        "item_id: Annotated[int, fastapi.Path(ge=0)]",
    ),
    "Request": (
        "from shapes import Request",
        """
        @app.get("/m")
        def m():
            return {"m": request.method, "mine": Request()}
        """,
        "def m(request: fastapi.Request):",
    ),
    "Response": (
        "from shapes import Response",
        """
        @app.get("/r")
        def r():
            out = flask.Response("hi", status=201, mimetype="text/plain")
            return {"mine": Response()} if out is None else out
        """,
        "out = fastapi.Response(",
    ),
    "Query": (
        "from shapes import Query",
        """
        @app.get("/q")
        def q():
            return {"tags": request.args.getlist("tag"), "mine": Query()}
        """,
        "tag: list[str] = fastapi.Query([])",
    ),
    "Form": (
        "from shapes import Form",
        """
        @app.post("/f")
        def f():
            return {"name": request.form["name"], "mine": Form()}
        """,
        "name: str = fastapi.Form()",
    ),
    "UploadFile": (
        "from shapes import UploadFile",
        """
        @app.post("/u")
        def u():
            return {"doc": request.files["doc"].filename, "mine": UploadFile()}
        """,
        "doc: fastapi.UploadFile",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_clashing_name_is_imported_qualified(name: str) -> None:
    binding, view, expected = CASES[name]
    source = f"import flask\nfrom flask import Flask, request\n{binding}\n\napp = Flask(__name__)\n"
    out = port(source + textwrap.dedent(view))
    assert expected in out, out
    assert "import fastapi\n" in out, out
    # The module's own binding keeps the name, and no import line rebinds it.
    assert binding in out, out
    imported = [line for line in out.splitlines() if line.startswith("from fastapi import")]
    assert all(f" {name}," not in x and not x.endswith(f" {name}") for x in imported), out
    assert f'mine": {name}(' in out or f'mine": str({name}(' in out, out


def test_a_module_own_class_keeps_its_name() -> None:
    out = port(
        """
        from flask import Flask, request

        app = Flask(__name__)


        class Request:
            pass


        @app.get("/m")
        def m():
            return {"m": request.method, "mine": str(Request())}
        """
    )
    assert "def m(request: fastapi.Request):" in out, out
    assert "class Request:" in out and "str(Request())" in out, out


def test_no_clash_no_change() -> None:
    """Without another binding the names come in plainly, as before."""
    out = port(
        """
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/items/<int:item_id>")
        def item(item_id):
            return {"id": item_id, "m": request.method}
        """
    )
    assert "from fastapi import FastAPI, Path, Request" in out, out
    assert "import fastapi\n" not in out, out
