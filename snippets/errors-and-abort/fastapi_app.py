"""HTTPException and FastAPI's default error bodies. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI, Header, HTTPException

app = FastAPI()
DELIBERATE_ERRORS = {"/boom"}  # answers 500 on purpose (read by the hostile-input test)

ITEMS = {1: {"id": 1, "name": "Widget"}}


@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id not in ITEMS:
        # `raise`, not a function call; the detail becomes the JSON body {"detail": ...}.
        raise HTTPException(status_code=404, detail=f"Item {item_id} not found")
    return ITEMS[item_id]


@app.get("/admin")
def admin():
    raise HTTPException(status_code=403)  # no detail: the status phrase, "Forbidden"


@app.get("/me")
def me(authorization: Annotated[str | None, Header()] = None):
    if authorization is None:
        # Headers are passed as a plain dict.
        raise HTTPException(
            status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"}
        )
    return {"user": "ada"}


@app.get("/boom")
def boom():
    raise RuntimeError("a bug")  # not an HTTP error: the server logs it and answers 500
