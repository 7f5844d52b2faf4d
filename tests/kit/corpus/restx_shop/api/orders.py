import flask_restx as restx

ns = restx.Namespace("orders")


@ns.route("/<string:ref>")
class OrderByRef(restx.Resource):
    def get(self, ref):
        return {"ref": ref}

    def put(self, ref):
        return {"ref": ref}
