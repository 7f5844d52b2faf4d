"""Errors as HTML for browsers and JSON for API clients. Run it with: fastapi dev fastapi_app.py"""

from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

# Starlette has no Accept parser; Werkzeug's is the one behind Flask's
# request.accept_mimetypes, so every header gets the answer it got before.
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

app = FastAPI()
DELIBERATE_ERRORS = {"/api/boom"}  # answers 500 on purpose (read by the hostile-input test)

ITEMS = {1: {"id": 1, "name": "Widget"}}
# No request data in the page: nothing to escape, nothing to leak.
PAGE = "<!doctype html>\n<title>{status} {phrase}</title>\n<h1>{status} {phrase}</h1>\n"


def wants_html(request: Request) -> bool:
    accept = parse_accept_header(request.headers.get("accept"), MIMEAccept)
    return accept.best_match(["application/json", "text/html"]) == "text/html"


def error_response(request: Request, status: int, headers=None) -> Response:
    phrase = HTTPStatus(status).phrase
    if wants_html(request):
        body = PAGE.format(status=status, phrase=phrase)
        response = HTMLResponse(body, status_code=status, headers=headers)
    else:
        response = JSONResponse({"error": phrase}, status_code=status, headers=headers)
    # One URL, two representations: a cache must key its copies on Accept.
    response.headers["Vary"] = "Accept"
    return response


# Starlette's class: the router raises it for unknown routes and wrong methods.
@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    return error_response(request, exc.status_code, exc.headers)  # headers: Allow on a 405


# Unlike Flask, an unhandled exception needs its own handler (see Error handlers).
@app.exception_handler(Exception)
async def server_error(request: Request, exc: Exception):
    return error_response(request, 500)


@app.get("/api/items/{item_id}")
def read_item(item_id: int):
    if item_id not in ITEMS:
        raise HTTPException(404)
    return ITEMS[item_id]


@app.get("/api/boom")
def boom():
    raise RuntimeError("a bug")
