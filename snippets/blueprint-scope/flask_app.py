"""App-wide and blueprint-wide hooks and error handlers. Run it with: flask --app flask_app run

Every response lists the hooks that ran for it ("hooks"), so the scope of each is visible.
"""

from flask import Blueprint, Flask, abort, current_app, g, request
from werkzeug.exceptions import HTTPException

api = Blueprint("api", __name__, url_prefix="/api")

ITEMS = {1: {"id": 1, "name": "Widget"}}


@api.before_app_request
def start_trace():
    # Registered by the blueprint, run for every request of the app: other blueprints'
    # routes and unknown URLs too.
    g.hooks = ["app"]


@api.before_request
def api_trace():
    # Only for requests routed to one of this blueprint's views.
    g.hooks.append("api")


def json_error(exc):
    response = exc.get_response()  # keeps Werkzeug's headers, such as Allow on a 405
    response.content_type = "application/json"
    response.data = current_app.json.dumps({"error": exc.name, "hooks": g.hooks})
    return response


@api.errorhandler(HTTPException)
def api_error(exc):
    # Sees only what this blueprint's views raise (abort(404) below). A 404 for an
    # unknown /api/ URL or a 405 on /api/items/1 is raised while routing, before any
    # blueprint is chosen, so it never reaches this handler.
    return json_error(exc)


@api.app_errorhandler(HTTPException)
def app_error(exc):
    # App-wide: the routing errors under /api/ get the API's JSON here, by path.
    if request.path.startswith("/api/"):
        return json_error(exc)
    return exc  # the rest of the site keeps Werkzeug's HTML page


@api.get("/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        abort(404)
    return {**ITEMS[item_id], "hooks": g.hooks}


app = Flask(__name__)
app.register_blueprint(api)


@app.get("/")
def index():
    return {"hooks": g.hooks}
