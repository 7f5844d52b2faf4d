"""A library app whose view modules each bring a `load_blueprints(app)` hook, called by the
factory in a loop: the blueprint is made inside the hook and its class-based views are
registered through a helper taking a list of rules (the shape of forum software that
loads its parts as plugins)."""

from flask import Flask

from plugin_views.views import desk, shelves


class LibraryApp(Flask):
    pass


def create_app():
    app = LibraryApp(__name__, static_folder=None)
    for module in (desk, shelves):
        module.load_blueprints(app)
    add_error_pages(app)
    return app


def add_error_pages(app):
    def forbidden(error):
        return {"error": "forbidden"}, 403

    app.errorhandler(403)(forbidden)  # the call form of the decorator
