from flask.views import MethodView


class ShelvesView(MethodView):
    def get(self, id):
        return {"id": id}


class CratesView(MethodView):
    def get(self, id):
        return {"id": id}

    def put(self, id):
        return {"id": id}


class PalletsView(MethodView):
    def get(self, id):
        return {"id": id}

    def delete(self, id):
        return {"id": id}


class VansView(MethodView):
    def get(self, id):
        return {"id": id}

    def put(self, id):
        return {"id": id}

    def delete(self, id):
        return {"id": id}


class DriversView(MethodView):
    def post(self, id):
        return {"id": id}


class RoutesView(MethodView):
    def get(self, id):
        return {"id": id}

    def patch(self, id):
        return {"id": id}


class StopsView(MethodView):
    def get(self, id):
        return {"id": id}


class DepotsView(MethodView):
    def get(self, id):
        return {"id": id}

    def put(self, id):
        return {"id": id}


class InvoicesView(MethodView):
    def get(self, id):
        return {"id": id}

    def delete(self, id):
        return {"id": id}


class RefundsView(MethodView):
    def get(self, id):
        return {"id": id}

    def put(self, id):
        return {"id": id}

    def delete(self, id):
        return {"id": id}


class CouponsView(MethodView):
    def post(self, id):
        return {"id": id}


class ReviewsView(MethodView):
    def get(self, id):
        return {"id": id}

    def patch(self, id):
        return {"id": id}


RESOURCES = [
    ("shelves", ShelvesView),
    ("crates", CratesView),
    ("pallets", PalletsView),
    ("vans", VansView),
    ("drivers", DriversView),
    ("routes", RoutesView),
    ("stops", StopsView),
    ("depots", DepotsView),
    ("invoices", InvoicesView),
    ("refunds", RefundsView),
    ("coupons", CouponsView),
    ("reviews", ReviewsView),
]
