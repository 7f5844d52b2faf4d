"""App-wide and router-wide hooks and error handlers. Run it with: fastapi dev fastapi_app.py

Every response lists the hooks that ran for it ("hooks"), so the scope of each is visible.
"""

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

ITEMS = {1: {"id": 1, "name": "Widget"}}


async def start_trace(request: Request, call_next):
    # Middleware: runs for every request, unknown URLs too (before_app_request).
    # App-wide dependencies, FastAPI(dependencies=[...]), would skip unmatched URLs.
    request.state.hooks = ["app"]
    return await call_next(request)


def api_trace(request: Request):
    # A router dependency: only for requests routed to one of the router's endpoints.
    request.state.hooks.append("api")


api = APIRouter(prefix="/api", dependencies=[Depends(api_trace)])


@api.get("/items/{item_id}")
def read_item(item_id: int, request: Request):
    if item_id not in ITEMS:
        raise HTTPException(404)
    return {**ITEMS[item_id], "hooks": request.state.hooks}


app = FastAPI()
app.middleware("http")(start_trace)
app.include_router(api)


@app.get("/")
def index(request: Request):
    return {"hooks": request.state.hooks}


# A router has no exception handlers: every handler is the app's. Choosing by path
# covers the router's own errors and the routing errors under /api/ alike.
@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    if request.url.path.startswith("/api/"):
        body = {"error": exc.detail, "hooks": request.state.hooks}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return await http_exception_handler(request, exc)  # FastAPI's default for the rest
