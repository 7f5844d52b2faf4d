"""Flask-SQLAlchemy's get_or_404, first_or_404 and paginate. Run: flask --app flask_app run"""

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: SQLite stores 64-bit integers: a larger id or offset raises OverflowError (a 500).
MAX_ID = 2**63 - 1
#: Any page past the last one is empty; the cap keeps the offset inside SQLite's range.
MAX_PAGE = 1_000_000


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Post(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(unique=True)


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"  # in memory, shared by every request
db.init_app(app)
with app.app_context():
    db.create_all()
    db.session.add_all(Post(title=f"Post {n}") for n in range(1, 46))
    db.session.commit()


def post_json(post):
    return {"id": post.id, "title": post.title}


@app.get("/posts")
def list_posts():
    # error_out=False: a page below 1 (or not a number) becomes 1, a per_page below 1
    # becomes 20, and a page past the end is empty. error_out=True would answer 404.
    number = min(request.args.get("page", 1, type=int), MAX_PAGE)
    page = db.paginate(
        select(Post).order_by(Post.id), page=number, error_out=False, max_per_page=100
    )
    return {
        "items": [post_json(post) for post in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


@app.get(f"/posts/<int(max={MAX_ID}):post_id>")  # a larger id does not match: 404
def read_post(post_id):
    return post_json(db.get_or_404(Post, post_id, description="Post not found"))


@app.get("/posts/by-title/<title>")
def read_post_by_title(title):
    query = select(Post).filter_by(title=title)
    return post_json(db.first_or_404(query, description="Post not found"))
