"""Flask-RESTX under a blueprint prefix: namespaces in their own modules, paths overridden."""

from flask import Flask

from .api import blueprint


def create_app():
    app = Flask(__name__, static_folder=None)
    app.register_blueprint(blueprint, url_prefix="/api/v2")

    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    return app
