"""CSRF protection with Flask-WTF. Run it with: flask --app flask_app run"""

import os
from hmac import compare_digest

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect, generate_csrf

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-not-a-secret-change-me-in-prod")
API_TOKEN = os.environ.get("API_TOKEN", "demo-api-token")

csrf = CSRFProtect(app)  # every POST, PUT, PATCH and DELETE now needs a token

FORM = (
    '<form method="post" action="/profile">'
    '<input type="hidden" name="csrf_token" value="{token}">'
    '<input name="name"><button>Save</button></form>'
)


@app.get("/profile")
def edit_profile():
    # generate_csrf() keeps a random value in the session and returns a signed copy.
    return FORM.format(token=generate_csrf())


@app.post("/profile")
def save_profile():
    # CSRFProtect has already compared the form's csrf_token with the session's.
    return {"name": request.form["name"]}


@app.post("/api/profile")
@csrf.exempt  # a token API: browsers never add the Authorization header on their own
def api_profile():
    if not compare_digest(request.headers.get("Authorization", ""), f"Bearer {API_TOKEN}"):
        return {"detail": "Not authenticated"}, 401, {"WWW-Authenticate": "Bearer"}
    return {"name": request.get_json()["name"]}
