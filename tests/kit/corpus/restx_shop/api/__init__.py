from flask import Blueprint
from flask_restx import Api, Resource

from .orders import ns as orders
from .users import users_ns

blueprint = Blueprint("api", __name__, url_prefix="/api")
api = Api(blueprint, prefix="/rest", doc="/docs", title="Shop")
api.add_namespace(users_ns)
api.add_namespace(orders, path="/purchases")
health = api.namespace("health", path="/status/")


@health.route("")
class Health(Resource):
    def get(self):
        return {"ok": True}


@api.route("/version")
class Version(Resource):
    def get(self):
        return {"version": 2}


@blueprint.before_app_request
def count_requests():
    pass
