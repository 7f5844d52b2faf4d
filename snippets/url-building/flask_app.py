"""URL building in Flask. Run it with: flask --app flask_app run"""

from flask import Blueprint, Flask, url_for

app = Flask(__name__)
DELIBERATE_ERRORS = {"/broken-link"}  # answers 500 on purpose (read by the hostile-input test)
admin = Blueprint("admin", __name__, url_prefix="/admin")


@app.route("/", endpoint="home")  # the endpoint name defaults to the function's name
def index():
    return {"page": "home"}


@app.route("/users")
def list_users():
    return {"users": [1, 2]}


@app.route("/users/<int:user_id>")
def user_detail(user_id: int):
    return {"id": user_id}


@app.route("/files/<path:filepath>")
def download(filepath: str):
    return {"filepath": filepath}


@admin.route("/")
def dashboard():  # endpoint "admin.dashboard": blueprint names are prefixed
    return {"page": "dashboard"}


app.register_blueprint(admin)


@app.route("/links")
def links():
    return {
        "home": url_for("home"),
        "user": url_for("user_detail", user_id=1),  # a str: "/users/1"
        "user_absolute": url_for("user_detail", user_id=1, _external=True),
        "next_page": url_for("list_users", page=2),  # unknown arguments: the query string
        "file": url_for("download", filepath="reports/Q1 2025.pdf"),  # percent-encoded
        "admin": url_for("admin.dashboard"),
    }


@app.route("/broken-link")
def broken_link():
    return {"user": url_for("user_detail")}  # no user_id: BuildError → 500
