"""CSRF protection with Flask-WTF. Run it with: flask --app flask_app run"""

import os
from hmac import compare_digest

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect, generate_csrf


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config["SECRET_KEY"] = secret("SECRET_KEY")
API_TOKEN = secret("API_TOKEN")

# --8<-- [start:csrf]
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


# --8<-- [end:csrf]


# --8<-- [start:api]
@app.post("/api/profile")
@csrf.exempt  # a token API: browsers never add the Authorization header on their own
def api_profile():
    if not compare_digest(request.headers.get("Authorization", ""), f"Bearer {API_TOKEN}"):
        return {"detail": "Not authenticated"}, 401, {"WWW-Authenticate": "Bearer"}
    return {"name": request.get_json()["name"]}


# --8<-- [end:api]
