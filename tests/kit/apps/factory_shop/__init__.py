"""A factory with nested blueprints and extensions: the second shape (test data)."""

from flask import Flask
from flask_cors import CORS

from .views import admin, public
from .views.reports import reports


def create_app():
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(SECRET_KEY="test-only", SESSION_COOKIE_SECURE=True)
    CORS(app)
    admin.bp.register_blueprint(reports, url_prefix="/reports")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(public.bp)

    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    @app.cli.command("seed")
    def seed():
        """Fill the database."""

    return app


def make_app(config_name):
    """A factory that needs an argument."""
    return create_app()
