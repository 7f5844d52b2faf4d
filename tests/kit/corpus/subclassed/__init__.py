"""A `Flask` subclass, a factory, blueprints made inside functions, nested and prefixed."""

from flask import current_app

from .areas import make_area
from .areas.reports import reports
from .core import ShopApp, ShopBlueprint


def create_app(config=None):
    app = ShopApp(__name__)
    app.redis = None  # the app's own state, not Flask's
    shop = make_area("shop", "/shop")
    shop.register_blueprint(reports, url_prefix="/reports")
    app.register_blueprint(shop)
    app.register_blueprint(make_area("outlet", "/outlet"), name="outlet_eu", url_prefix="/eu")
    app.register_blueprint(_status())
    app.teardown_appcontext(close_db)
    app.register_error_handler(500, oops)
    return app


def _status():
    status = ShopBlueprint("status", __name__)

    @status.get("/ping")
    def ping():
        return {"queue": current_app.task_queue}

    @status.post("/echo")
    def echo():
        return {}

    @status.app_context_processor
    def inject():
        return {}

    return status


def close_db(exc):
    pass


def oops(error):
    return "oops", 500
