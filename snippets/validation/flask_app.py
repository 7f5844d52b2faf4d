"""Validating a JSON body by hand in Flask. Run it with: flask --app flask_app run"""

import re
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


app.json = StrictJSONProvider(app)


# A deliberately simple email check; a real app would use a library for it.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
POSTCODE = re.compile(r"[0-9]{5}")


def first_error(data):
    """The first problem found, as (field, message), or None. Written by hand: these
    checks stop at the first failure, so a client fixes one field per round trip."""
    if not isinstance(data, dict):
        return "body", "must be a JSON object"
    username = data.get("username")
    if not isinstance(username, str) or not 3 <= len(username) <= 20:
        return "username", "must be a string of 3 to 20 characters"
    if " " in username:
        return "username", "must not contain spaces"
    email = data.get("email")
    if not isinstance(email, str) or not EMAIL.fullmatch(email):
        return "email", "must be an email address"
    age = data.get("age")
    if type(age) is not int or not 0 < age <= 150:  # type(): True is an int too
        return "age", "must be an integer from 1 to 150"
    address = data.get("address")
    if not isinstance(address, dict):
        return "address", "must be an object"
    city, postcode = address.get("city"), address.get("postcode")
    if not isinstance(city, str) or not city:
        return "address.city", "must be a non-empty string"
    if not isinstance(postcode, str) or not POSTCODE.fullmatch(postcode):
        return "address.postcode", "must be five digits"
    return None


@app.post("/users")
def create_user():
    data = request.get_json()
    error = first_error(data)
    if error:
        field, message = error
        return {"error": f"{field} {message}"}, 400
    user = {
        "username": data["username"].lower(),  # normalised, like the FastAPI validator
        "email": data["email"],
        "age": data["age"],
        "address": {"city": data["address"]["city"], "postcode": data["address"]["postcode"]},
    }
    return user, 201
