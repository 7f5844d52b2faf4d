from flask import Blueprint
from flask.views import MethodView

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserAPI(MethodView):
    def get(self, user_id=None):
        return {"id": user_id}

    def post(self):
        return {}, 201

    def put(self, user_id):
        return {}

    def delete(self, user_id):
        return "", 204


@bp.app_errorhandler(403)
def forbidden(error):
    return {"error": "forbidden"}, 403


@bp.before_request
def only_admins():
    pass
