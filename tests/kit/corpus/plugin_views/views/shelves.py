from flask import Blueprint
from flask.views import MethodView

from plugin_views.helpers import register_view


class Shelf(MethodView):
    def get(self, shelf_id=None, label=None):
        return {"shelf": shelf_id, "label": label}


class Tidy(MethodView):
    def post(self, shelf_id=None):
        return {"tidied": shelf_id}


def load_blueprints(app):
    shelves = Blueprint("shelves", __name__)
    register_view(shelves, routes=["/"], view_func=Shelf.as_view("index"))
    register_view(
        shelves,
        routes=["/<int:shelf_id>", "/<int:shelf_id>-<label>"],
        view_func=Shelf.as_view("shelf"),
    )
    register_view(
        shelves,
        routes=["/<int:shelf_id>/tidy", "/tidy"],
        view_func=Tidy.as_view("tidy"),
        methods=["POST"],
    )
    app.register_blueprint(shelves, url_prefix="/shelves")
