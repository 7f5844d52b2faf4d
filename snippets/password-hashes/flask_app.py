"""Password hashes in a Flask app: Flask-Bcrypt, and older Werkzeug hashes.

Run it with: flask --app flask_app run
LEGACY_USERS_FILE may name a JSON file of {username: stored hash} to start with (demo data).
"""

import json
import os
from pathlib import Path
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_bcrypt import Bcrypt
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.config["BCRYPT_LOG_ROUNDS"] = 12  # Flask-Bcrypt's default cost
bcrypt = Bcrypt(app)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)

USERS: dict[str, str] = {}  # username → stored hash: stands for your users table
if legacy := os.environ.get("LEGACY_USERS_FILE"):
    USERS.update(json.loads(Path(legacy).read_text()))

WERKZEUG_PREFIXES = ("scrypt:", "pbkdf2:")  # werkzeug.security.generate_password_hash
# Checked for unknown users, so that they cost as much time as a wrong password.
DUMMY_HASH = "$2b$12$d1YfZEqeXOt5N6wEWyQD0u.8Nzy0E5/itwotita60C/VlyNyfdPli"


def check_password(stored: str, password: str) -> bool:
    try:
        if stored.startswith(WERKZEUG_PREFIXES):  # hashes from before Flask-Bcrypt
            return check_password_hash(stored, password)
        # bcrypt 5 raises ValueError beyond 72 bytes; bcrypt 4 ignored the rest.
        return bcrypt.check_password_hash(stored, password.encode()[:72])
    except ValueError:  # a malformed stored hash, or a password that is not UTF-8
        return False


def credentials() -> tuple[str, str] | None:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None
    username, password = data.get("username"), data.get("password")
    if isinstance(username, str) and isinstance(password, str) and username and password:
        return username, password
    return None


@app.post("/register")
def register():
    sent = credentials()
    if sent is None:
        return {"detail": "username and password are required"}, 400
    username, password = sent
    if username in USERS:
        return {"detail": "Username taken"}, 409
    try:
        USERS[username] = bcrypt.generate_password_hash(password).decode()
    except ValueError:  # longer than 72 bytes, or not UTF-8
        return {"detail": "Password not accepted"}, 400
    return {"user": username}, 201


@app.post("/login")
def login():
    sent = credentials()
    if sent is None:
        return {"detail": "username and password are required"}, 400
    username, password = sent
    if not check_password(USERS.get(username, DUMMY_HASH), password) or username not in USERS:
        return {"detail": "Incorrect username or password"}, 401
    return {"user": username}
