"""Errors as HTML for browsers and JSON for API clients. Run it with: flask --app flask_app run"""

from http import HTTPStatus

from flask import Flask, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
DELIBERATE_ERRORS = {"/api/boom"}  # answers 500 on purpose (read by the hostile-input test)

ITEMS = {1: {"id": 1, "name": "Widget"}}
# No request data in the page: nothing to escape, nothing to leak.
PAGE = "<!doctype html>\n<title>{status} {phrase}</title>\n<h1>{status} {phrase}</h1>\n"


def wants_html() -> bool:
    # best_match weighs the q-values; on a tie (*/*) the first type listed wins, and with
    # no usable Accept header it returns None. So: JSON unless the client prefers HTML.
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def error_response(status: int, headers=()) -> Response:
    phrase = HTTPStatus(status).phrase
    if wants_html():
        response = Response(PAGE.format(status=status, phrase=phrase), status, mimetype="text/html")
    else:
        response = jsonify(error=phrase)
        response.status_code = status
    response.headers.extend(headers)
    # One URL, two representations: a cache must key its copies on Accept.
    response.vary.add("Accept")
    return response


@app.errorhandler(HTTPException)
def http_error(exc):
    # Also called for an unhandled exception, as an InternalServerError (500).
    # get_headers() holds what Werkzeug set (Allow on a 405) and a Content-Type we replace.
    kept = [(name, value) for name, value in exc.get_headers() if name != "Content-Type"]
    return error_response(exc.code, kept)


@app.get("/api/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        abort(404)
    return ITEMS[item_id]


@app.get("/api/boom")
def boom():
    raise RuntimeError("a bug")
