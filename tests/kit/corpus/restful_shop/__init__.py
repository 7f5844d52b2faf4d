"""Flask-RESTful through a subclass of `Api`, created bare and bound with `init_app`."""

from flask import Blueprint, Flask

from .resources import Catalogue, Product, Stock
from .webapi import JsonApi

v1 = Blueprint("v1", __name__)
api = JsonApi(prefix="/shop")
api.add_resource(Catalogue, "/products", "/catalogue", endpoint="catalogue")
api.add_resource(Product, "/products/<int:product_id>")
api.add_resource(Stock, "/stock/<uuid:sku>", endpoint="stock_level")
api.init_app(v1)

legacy = JsonApi()


@legacy.resource("/legacy/ping")
class Ping(Catalogue):
    methods = ("GET",)


def create_app():
    app = Flask(__name__, static_url_path="/assets")
    app.register_blueprint(v1, url_prefix="/v1")
    legacy.init_app(app)
    return app
