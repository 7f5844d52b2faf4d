"""Path parameters in Flask. Run it with: flask --app flask_app run"""

from uuid import UUID

from flask import Flask

app = Flask(__name__)


@app.route("/tags/<name>")  # no converter: `string`, one segment without "/"
def tag(name: str):
    return {"name": name}


@app.route("/users/me")  # Werkzeug tries static rules first, wherever declared
def me():
    return {"user_id": "me"}


@app.route("/users/<int:user_id>")  # digits only: "-1" and "abc" do not match → 404
def user(user_id: int):
    return {"user_id": user_id}


@app.route("/offsets/<int(signed=True):offset>")  # signed=True lets "-5" match
def offset(offset: int):
    return {"offset": offset}


@app.route("/pages/<int(min=1):number>")  # a converter argument: 0 does not match → 404
def page(number: int):
    return {"number": number}


@app.route("/files/<path:filepath>")  # like `string`, but also matches "/"
def file(filepath: str):
    return {"filepath": filepath}


@app.route("/orders/<uuid:order_id>")  # hyphenated form only; the view gets a UUID
def order(order_id: UUID):
    return {"order_id": str(order_id), "version": order_id.version}
