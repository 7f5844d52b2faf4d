"""Query parameters in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated, Literal

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

app = FastAPI()


@app.get("/items")
def list_items(
    # Parameters not in the path are query parameters. A value that does not convert
    # or breaks a constraint is a 422; the default only applies when it is absent.
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 10,
    # A list needs Query(). The [] is safe: FastAPI copies a default for each request.
    tag: Annotated[list[str], Query()] = [],  # noqa: B006
):
    return {"page": page, "size": size, "tags": tag}


@app.get("/search")
def search(q: Annotated[str, Query(max_length=20)]):  # no default: required → 422 if missing
    return {"q": q}


# --8<-- [start:model]
class Filters(BaseModel):
    status: list[Literal["open", "closed"]] = []  # ?status=open&status=closed
    limit: int = Field(10, ge=1, le=100)


@app.get("/tickets")
def list_tickets(filters: Annotated[Filters, Query()]):
    # Query(), not Depends(): with Depends() the list field would be read from the body.
    return filters.model_dump()


# --8<-- [end:model]
