from flask_restx import Namespace, Resource

users_ns = Namespace("users", description="people")


@users_ns.route("/", "/all")
class UserList(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


@users_ns.route("/<int:user_id>", endpoint="user")
class UserItem(Resource):
    def get(self, user_id):
        return {"id": user_id}

    def delete(self, user_id):
        return "", 204
