"""URL building in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from starlette.datastructures import URL

app = FastAPI()
DELIBERATE_ERRORS = {"/broken-link"}  # answers 500 on purpose (read by the hostile-input test)
admin = APIRouter(prefix="/admin")


@app.get("/", name="home")  # the route name defaults to the function's name
def index():
    return {"page": "home"}


@app.get("/users")
def list_users():
    return {"users": [1, 2]}


@app.get("/users/{user_id}")
def user_detail(user_id: int):
    return {"id": user_id}


@app.get("/files/{filepath:path}")
def download(filepath: str):
    return {"filepath": filepath}


@admin.get("/")
def dashboard():  # name "dashboard": a router adds no prefix, names are app-wide
    return {"page": "dashboard"}


app.include_router(admin)


@app.get("/links")
def links(request: Request):
    url_path_for = request.app.url_path_for  # a path, like Flask's url_for
    return {
        "home": url_path_for("home"),
        "user": url_path_for("user_detail", user_id=1),  # a URLPath (a str): "/users/1"
        # request.url_for is always absolute, and a URL object: str() it for JSON.
        "user_absolute": str(request.url_for("user_detail", user_id=1)),
        # Every keyword must be a path parameter: add a query string yourself.
        "next_page": str(URL(url_path_for("list_users")).include_query_params(page=2)),
        # Nothing is percent-encoded for you: quote() the value.
        "file": url_path_for("download", filepath=quote("reports/Q1 2025.pdf")),
        "admin": url_path_for("dashboard"),
    }


@app.get("/broken-link")
def broken_link(request: Request):
    return {"user": request.app.url_path_for("user_detail")}  # no user_id: NoMatchFound → 500
