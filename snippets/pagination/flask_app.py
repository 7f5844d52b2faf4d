"""Flask-SQLAlchemy's get_or_404, first_or_404 and paginate. Run: flask --app flask_app run"""

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select
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


# --8<-- [start:seed]
def seed():
    """45 posts, once: a second start finds them and adds nothing."""
    if db.session.scalar(select(func.count()).select_from(Post)) == 0:
        db.session.add_all(Post(title=f"Post {n}") for n in range(1, 46))
        db.session.commit()


with app.app_context():  # outside a request, db.session needs an app context
    db.create_all()
    seed()
# --8<-- [end:seed]


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


# --8<-- [start:archive]
@app.get("/archive")
def archive():
    # page= and per_page= given: error_out=True (the default) answers 404 for a page below
    # 1 or past the end; `type=int` turns page=abc into the default, 1.
    number = min(request.args.get("page", 1, type=int), MAX_PAGE)
    size = request.args.get("per_page", 10, type=int)
    page = db.paginate(select(Post).order_by(Post.id), page=number, per_page=size, max_per_page=50)
    return {
        "items": [post_json(post) for post in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


# --8<-- [end:archive]


@app.get(f"/posts/<int(max={MAX_ID}):post_id>")  # a larger id does not match: 404
def read_post(post_id):
    return post_json(db.get_or_404(Post, post_id, description="Post not found"))


@app.get("/posts/by-title/<title>")
def read_post_by_title(title):
    query = select(Post).filter_by(title=title)
    return post_json(db.first_or_404(query, description="Post not found"))
