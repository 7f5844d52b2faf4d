"""Per-request and app-wide values in FastAPI: request.state and app.state.

Run it with: fastapi dev fastapi_app.py
"""

import itertools
import re
from contextvars import ContextVar
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request

app = FastAPI()
# App-wide objects: app.state (set here, or in a lifespan function).
app.state.request_ids = itertools.count(1)  # deterministic ids for the demo
app.state.inventory = {"apple": 2, "pear": 0}
# A client's id is echoed and logged: accept only a short, plain token, never raw text.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@app.middleware("http")
async def assign_request_id(request: Request, call_next):
    # request.state lives for one request, like g; the handler sees what is set here.
    sent = request.headers.get("X-Request-ID", "")
    request.state.request_id = (
        sent if REQUEST_ID.fullmatch(sent) else f"req-{next(request.app.state.request_ids)}"
    )
    response = await call_next(request)
    response.headers["X-Request-ID"] = request.state.request_id
    return response


def log_prefix(request_id: str) -> str:
    return f"[{request_id}]"  # no global to reach for: the value is passed in


@app.get("/request-id")
def show_request_id(request: Request):
    request_id = request.state.request_id
    return {"request_id": request_id, "log_prefix": log_prefix(request_id)}


@app.post("/stock/{name}/take")
def take(name: str, request: Request):
    inventory = request.app.state.inventory  # request.app: the app handling this request
    if name not in inventory:
        raise HTTPException(status_code=404, detail=f"No item {name!r}")
    if inventory[name] == 0:
        raise HTTPException(status_code=409, detail=f"{name} is out of stock")
    inventory[name] -= 1  # shared by every request, unlike request.state
    return {"name": name, "stock": inventory[name]}


# --8<-- [start:contextvar]
TENANT: ContextVar[str] = ContextVar("tenant", default="public")


async def set_tenant(x_tenant: Annotated[str, Header()] = "public") -> None:
    # async def on purpose: it runs in the request's own context, which the endpoint shares.
    # A plain def dependency runs on the thread pool in a *copy* of that context, so its
    # set() is lost when it returns and the endpoint reads the default.
    TENANT.set(x_tenant)


def current_tenant() -> str:
    return TENANT.get()  # deep code reaches the request's value without being handed it


@app.get("/tenant", dependencies=[Depends(set_tenant)])
def show_tenant():
    return {"tenant": current_tenant()}


# --8<-- [end:contextvar]
