"""CORS with Flask-CORS. Run it with: flask --app flask_app run"""

from flask import Flask, request
from flask_cors import CORS

app = Flask(__name__)

CORS(
    app,
    origins=["https://app.example.com"],  # the default is "*": every origin
    methods=["GET", "POST"],
    allow_headers=["Content-Type", "Authorization"],  # the default is "*"
    supports_credentials=True,  # cookies and Authorization from the browser
    max_age=600,  # the default sends no Access-Control-Max-Age
)


@app.get("/items")
def list_items():
    return [{"id": 1, "name": "hammer"}]


@app.post("/items")
def create_item():
    return {"id": 2, "name": request.get_json()["name"]}, 201
