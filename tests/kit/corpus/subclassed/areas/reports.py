from flask import Blueprint

reports = Blueprint("reports", __name__, url_prefix="/ignored")


@reports.route("/", strict_slashes=False)
def index():
    return {}


@reports.route("/<path:name>")
def report(name):
    return {"name": name}


@reports.after_app_request
def stamp(response):
    return response
