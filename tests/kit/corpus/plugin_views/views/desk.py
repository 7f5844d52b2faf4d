from flask import Blueprint
from flask.views import MethodView

from plugin_views.helpers import register_view


class SignIn(MethodView):
    def __init__(self, checker):
        self.checker = checker

    def get(self):
        return {"form": True}

    def post(self):
        return {"signed_in": self.checker()}


class Renew(MethodView):
    def post(self, loan_id):
        return {"loan": loan_id}


def load_blueprints(app):
    desk = Blueprint("desk", __name__)

    @desk.before_request
    def count_visit():
        return None

    @desk.errorhandler(429)
    def too_many(error):
        return {"error": "slow down"}, 429

    register_view(desk, routes=["/sign-in"], view_func=SignIn.as_view("sign_in", checker=bool))
    register_view(
        desk,
        routes=["/loans/<int:loan_id>/renew", "/renew/<int:loan_id>"],
        view_func=Renew.as_view("renew"),
    )
    app.register_blueprint(desk, url_prefix="/desk")
