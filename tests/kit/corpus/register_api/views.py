from flask.views import MethodView

from register_api.helpers import register_api, register_read_only


class KiteAPI(MethodView):
    def get(self, kite_id):
        return {"kite": kite_id}

    def post(self):
        return {"created": True}, 201

    def put(self, kite_id):
        return {"kite": kite_id}

    def delete(self, kite_id):
        return "", 204


class WindAPI(MethodView):
    def get(self, wind_id=None):
        return {"wind": wind_id}


register_api(KiteAPI, "kite_api", "/kites/", pk="kite_id")
register_read_only(WindAPI, "wind_api", "/winds/", pk="wind_id")
