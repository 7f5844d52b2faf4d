"""get_or_404, first_or_404 and paginate with plain SQLAlchemy. Run: fastapi dev fastapi_app.py"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from math import ceil
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path, Query
from sqlalchemy import create_engine, func, select
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


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    with SessionLocal.begin() as session:
        session.add_all(Post(title=f"Post {n}") for n in range(1, 46))
    yield
    engine.dispose()


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
