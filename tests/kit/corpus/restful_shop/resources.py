from flask_restful import Resource


class Catalogue(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Product(Resource):
    def get(self, product_id):
        return {"id": product_id}

    def patch(self, product_id):
        return {"id": product_id}

    def delete(self, product_id):
        return "", 204


class Stock(Product):
    def put(self, sku):
        return {"sku": str(sku)}
