"""The legacy Flask app, every route still in Flask. Run it with: flask --app flask_app run

In the incremental migration this file does not change: fastapi_app.py mounts it as it is.
"""

from flask import Flask

app = Flask(__name__)

USERS = {1: "Ada", 2: "Grace"}


@app.route("/users/<int:user_id>")
def get_user(user_id: int):
    return {"id": user_id, "name": USERS.get(user_id), "served_by": "flask"}


@app.route("/health")
def health():
    return {"status": "ok", "served_by": "flask"}
