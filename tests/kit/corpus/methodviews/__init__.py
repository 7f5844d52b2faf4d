"""108 routes of `MethodView`s: twelve resources mounted on nine blueprints, in loops."""

from flask import Blueprint, Flask

from .views import RESOURCES

AREAS = ("north", "south", "east", "west", "centre", "harbour", "hills", "lakes", "woods")


def create_app():
    app = Flask(__name__)
    for area in AREAS:
        bp = Blueprint(area, __name__, url_prefix=f"/{area}")
        for name, view in RESOURCES:
            bp.add_url_rule(f"/{name}/<int:id>", view_func=view.as_view(name))
        app.register_blueprint(bp)
    return app
