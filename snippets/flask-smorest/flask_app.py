"""flask-smorest: a Blueprint of MethodViews, marshmallow schemas for arguments and responses.

Run it with: flask --app flask_app run   (Swagger UI at /docs, the document at /openapi.json)
"""

from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint, Page, abort
from marshmallow import EXCLUDE, Schema, fields, validate
from webargs.flaskparser import FlaskParser

app = Flask(__name__)
app.config.update(
    API_TITLE="Books API",
    API_VERSION="1.0",
    OPENAPI_VERSION="3.1.0",
    OPENAPI_URL_PREFIX="/",
    OPENAPI_JSON_PATH="openapi.json",
    OPENAPI_SWAGGER_UI_PATH="/docs",
    # One major release, as FastAPI's /docs: the unpinned URL is whatever is newest.
    OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
)


class Parser(FlaskParser):
    def load_json(self, req, schema):
        try:  # webargs parses with json.loads, which a deeply nested body sends past the stack
            return super().load_json(req, schema)
        except RecursionError:  # not a JSONDecodeError, so it would be a 500
            abort(400, messages={"json": ["Invalid JSON body."]})  # webargs' own answer


class Books(Blueprint):
    ARGUMENTS_PARSER = Parser()  # @blp.arguments parses with it


api = Api(app)
blp = Books("books", __name__, url_prefix="/books", description="Operations on books")


class BookIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    year = fields.Integer(load_default=None, validate=validate.Range(min=0, max=2100))


class BookOut(BookIn):
    id = fields.Integer(dump_only=True)


class BookQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # a query string often carries other parameters

    sort = fields.String(load_default="id", validate=validate.OneOf(["id", "title", "year"]))


BOOKS = {
    1: {"id": 1, "title": "Dune", "year": 1965},
    2: {"id": 2, "title": "Emma", "year": 1815},
    3: {"id": 3, "title": "Ubik", "year": 1969},
}


def find(book_id: int) -> dict:
    if book_id not in BOOKS:
        abort(404, message=f"Book {book_id} not found")  # → {"code", "status", "message"}
    return BOOKS[book_id]


@blp.route("/")
class BookList(MethodView):
    @blp.arguments(BookQuery, location="query")
    @blp.response(200, BookOut(many=True))
    @blp.paginate(Page, page_size=2)  # ?page=&page_size=, metadata in X-Pagination
    def get(self, query: dict):
        return sorted(BOOKS.values(), key=lambda book: book[query["sort"]])

    @blp.arguments(BookIn)  # location="json" by default
    @blp.response(201, BookOut)
    def post(self, book: dict):
        book_id = max(BOOKS, default=0) + 1
        BOOKS[book_id] = {"id": book_id, **book}
        return BOOKS[book_id]


@blp.route("/<int:book_id>")
class BookById(MethodView):
    @blp.response(200, BookOut)
    @blp.alt_response(404, description="Book not found")
    def get(self, book_id: int):
        return find(book_id)

    @blp.arguments(BookIn)
    @blp.response(200, BookOut)
    @blp.alt_response(404, description="Book not found")
    def put(self, book: dict, book_id: int):  # the arguments come before the path's
        find(book_id)
        BOOKS[book_id] = {"id": book_id, **book}
        return BOOKS[book_id]

    @blp.response(204)
    @blp.alt_response(404, description="Book not found")
    def delete(self, book_id: int):
        find(book_id)
        del BOOKS[book_id]


api.register_blueprint(blp)
