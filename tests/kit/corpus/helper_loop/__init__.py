"""Routes registered by the app's own helpers, called in loops with literal arguments."""

from flask import Flask

from .registry import register_crud, register_page
from .views import admin, items


def create_app():
    app = Flask(__name__)
    for name, view in (("items", items.ItemAPI), ("tags", items.TagAPI)):
        register_crud(app, view, name, f"/{name}/")
    register_crud(admin.bp, admin.UserAPI, "users", "/users/", pk="user_id")
    for slug in ["about", "terms", "privacy"]:
        register_page(app, slug)
    app.register_blueprint(admin.bp)

    @app.cli.command("seed")
    def seed():
        pass

    @app.shell_context_processor
    def shell():
        return {}

    return app
