from flask.views import MethodView


class ItemAPI(MethodView):
    def get(self, id=None):
        return {"id": id}

    def post(self):
        return {}, 201

    def put(self, id):
        return {"id": id}

    def delete(self, id):
        return "", 204


class TagAPI(ItemAPI):
    pass
