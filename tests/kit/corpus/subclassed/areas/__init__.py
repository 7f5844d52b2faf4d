from flask_sqlalchemy import SQLAlchemy

from ..core import ShopBlueprint

db = SQLAlchemy()


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def make_area(name, prefix):
    bp = ShopBlueprint(name, __name__, url_prefix=prefix)

    @bp.route("/products")
    def products():
        page = Product.query.paginate(page=1, per_page=10)
        return {"items": [p.id for p in page.items]}

    @bp.route("/products/<int:pid>", methods=["GET", "DELETE"])
    def product(pid):
        item = db.get_or_404(Product, pid)
        db.session.delete(item)
        return {}

    @bp.url_value_preprocessor
    def pull(endpoint, values):
        pass

    return bp
