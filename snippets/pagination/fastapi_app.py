"""get_or_404, first_or_404 and paginate with plain SQLAlchemy. Run: fastapi dev fastapi_app.py"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from math import ceil
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query
from sqlalchemy import Select, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

#: SQLite stores 64-bit integers: a larger id or offset raises OverflowError (a 500).
MAX_ID = 2**63 - 1
#: Any page past the last one is empty; the cap keeps the offset inside SQLite's range.
MAX_PAGE = 1_000_000


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(unique=True)


# In memory, one connection shared by every request (and every thread of the pool).
engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SessionLocal = sessionmaker(engine)


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


# --8<-- [start:seed]
def seed() -> None:
    """45 posts, once: a second start finds them and adds nothing."""
    with Session(engine) as session:  # no request, so no SessionDep: a session of its own
        if session.scalar(select(func.count()).select_from(Post)) == 0:
            session.add_all(Post(title=f"Post {n}") for n in range(1, 46))
            session.commit()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    seed()  # start-up work: before the first request, as Flask's app-context block
    yield
    engine.dispose()


# --8<-- [end:seed]


app = FastAPI(lifespan=lifespan)


def post_json(post: Post) -> dict:
    return {"id": post.id, "title": post.title}


@app.get("/posts")
def list_posts(
    session: SessionDep,
    # Validated, not corrected: page=0 or per_page=0 is a 422 (Flask-SQLAlchemy's
    # error_out=False turns them into 1 and 20).
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1)] = 20,
):
    per_page = min(per_page, 100)  # max_per_page: larger values are lowered, not refused
    total = session.scalar(select(func.count()).select_from(Post))
    query = select(Post).order_by(Post.id).limit(per_page).offset((page - 1) * per_page)
    return {
        "items": [post_json(post) for post in session.scalars(query)],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": ceil(total / per_page),
    }


# --8<-- [start:paginate]
@dataclass
class Page:
    """The part of Flask-SQLAlchemy's `Pagination` that views read."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)  # 0 when there are no rows


def paginate(
    session: Session,
    query: Select,
    *,
    page: int,
    per_page: int,
    max_per_page: int | None = None,
    error_out: bool = True,
) -> Page:
    """`db.paginate(query, page=, per_page=, max_per_page=, error_out=)` of Flask-SQLAlchemy
    3.1 (its `Pagination._prepare_page_args` and `SelectPagination`), with the numbers given.

    `per_page` is first lowered to `max_per_page`. A page or page size below 1, or an empty
    page other than the first: `HTTPException(404)` when `error_out`, else page 1, 20 per
    page, and an empty page. `total` is a second query, a count of `query`'s rows.
    """
    if max_per_page is not None:
        per_page = min(per_page, max_per_page)
    if (page < 1 or per_page < 1) and error_out:
        raise HTTPException(404)
    page, per_page = max(page, 1), per_page if per_page >= 1 else 20
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    if not rows and page != 1 and error_out:
        raise HTTPException(404)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return Page(list(rows), page, per_page, total or 0)


@app.get("/archive")
def archive(session: SessionDep, page: int = 1, per_page: int = 10):
    # Typed: page=abc is a 422 here (Flask's type=int made it 1). The bounds are paginate's.
    found = paginate(
        session,
        select(Post).order_by(Post.id),
        page=min(page, MAX_PAGE),
        per_page=per_page,
        max_per_page=50,
    )
    return {
        "items": [post_json(post) for post in found.items],
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
        "pages": found.pages,
    }


# --8<-- [end:paginate]


@app.get("/posts/{post_id}")
def read_post(post_id: Annotated[int, Path(le=MAX_ID)], session: SessionDep):
    post = session.get(Post, post_id)  # db.get_or_404: get, then 404 when None
    if post is None:
        raise HTTPException(404, "Post not found")
    return post_json(post)


@app.get("/posts/by-title/{title}")
def read_post_by_title(title: str, session: SessionDep):
    post = session.scalars(select(Post).filter_by(title=title)).first()  # db.first_or_404
    if post is None:
        raise HTTPException(404, "Post not found")
    return post_json(post)
