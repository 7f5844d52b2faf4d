"""Rule `method-view`: a MethodView registered once → one route function per method."""

from __future__ import annotations

import textwrap

import pytest
from flask2fastapi.port import port_source

from tests.kit.port.checks import check_transformed, todos


def test_a_method_view_becomes_one_function_per_method():
    check_transformed(
        """\
        from fastapi import FastAPI
        from flask.views import MethodView

        app = FastAPI()


        class ItemAPI(MethodView):
            \"\"\"Items.\"\"\"

            def get(self, item_id: int):
                return {"id": item_id}

            def delete(self, item_id: int):
                return "", 204


        app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
        """,
        """\
        from fastapi import Path, FastAPI
        from typing import Annotated

        app = FastAPI()


        @app.get("/items/{item_id}", name="item")
        def item_api_get(item_id: Annotated[int, Path(ge=0)]):
            return {"id": item_id}


        @app.delete("/items/{item_id}", name="item")
        def item_api_delete(item_id: Annotated[int, Path(ge=0)]):
            return "", 204
        """,
        "method-view",
        "routes",
    )


def test_the_port_of_a_method_view_app_is_fastapi():
    out, counts = port_source(
        textwrap.dedent(
            """\
            from flask import Flask
            from flask.views import MethodView

            app = Flask(__name__)


            class Ping(MethodView):
                def get(self):
                    return {"pong": True}


            app.add_url_rule("/ping", view_func=Ping.as_view("ping"))
            """
        )
    )
    assert "app = FastAPI()" in out and "MethodView" not in out
    assert '@app.get("/ping", name="ping")\ndef ping_get():' in out  # url_for("ping") still works
    assert counts["method-view"] == 1 and not todos(out)


LEFT = [
    # `self` is used: the instance holds state
    """\
    class ItemAPI(MethodView):
        def get(self, item_id):
            return self.find(item_id)
    app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
    """,
    # class attributes (decorators) and __init__ arguments
    """\
    class ItemAPI(MethodView):
        decorators = (no_store,)
        def get(self, item_id):
            return {}
    app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
    """,
    """\
    class ItemAPI(MethodView):
        def get(self, item_id):
            return {}
    app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item", STORE))
    """,
    # registered twice, or inside a function (once per call)
    """\
    class ItemAPI(MethodView):
        def get(self, item_id):
            return {}
    app.add_url_rule("/a/<int:item_id>", view_func=ItemAPI.as_view("a"))
    app.add_url_rule("/b/<int:item_id>", view_func=ItemAPI.as_view("b"))
    """,
    """\
    class ItemAPI(MethodView):
        def get(self, item_id):
            return {}
    def register(app):
        app.add_url_rule("/a/<int:item_id>", view_func=ItemAPI.as_view("a"))
    """,
]


@pytest.mark.parametrize("body", LEFT)
def test_method_views_it_cannot_follow_keep_the_app_in_flask(body):
    source = (
        "from flask import Flask\nfrom flask.views import MethodView\n\napp = Flask(__name__)\n"
        + textwrap.dedent(body)
    )
    out, counts = port_source(source)
    assert "class ItemAPI(MethodView):" in out and "app = Flask(__name__)" in out
    assert "method-view" not in counts
    assert todos(out)[0][0] == "app"
