"""Request headers and cookies in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import Cookie, FastAPI, Header, Response

app = FastAPI()


# --8<-- [start:headers]
@app.get("/items")
def read_items(
    x_token: Annotated[str, Header()],  # reads "X-Token"; missing → 422
    user_agent: Annotated[str | None, Header()] = None,  # "_" becomes "-"
):
    return {"x_token": x_token, "user_agent": user_agent}


@app.get("/tags")
def read_tags(x_tag: Annotated[list[str] | None, Header()] = None):
    return {"x_tag": x_tag or []}  # a list collects every X-Tag header


# --8<-- [end:headers]


# --8<-- [start:cookies]
@app.get("/me")
def me(session_id: Annotated[str | None, Cookie()] = None):
    return {"session_id": session_id}


@app.post("/login")
def login(response: Response):
    # Headers and cookies set on this Response are merged into the one FastAPI sends.
    response.set_cookie("session_id", "demo-session", httponly=True, samesite="lax")
    return {"logged_in": True}


# --8<-- [end:cookies]
