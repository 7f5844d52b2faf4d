"""Work after the response in Flask. Run it with: flask --app flask_app run"""

import json
import math
from typing import Any

from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


def finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # NaN, Infinity, 1e999
        raise ValueError(f"{text} is not a finite number")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """get_json() answers 400, not 500 or invalid JSON, to NaN, 1e999 and deep nesting."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:  # json.loads accepts NaN and Infinity, and a deep body exhausts the stack
            return json.loads(s, parse_constant=finite, parse_float=finite, **kwargs)
        except RecursionError:  # not a ValueError, so get_json() would answer 500
            raise ValueError("JSON nested too deeply") from None


app.json = StrictJSONProvider(app)


OUTBOX: list[dict[str, str]] = []  # stands in for an email service (the tests read it)


def send_welcome_email(email: str, name: str) -> None:
    """Slow work the client should not wait for."""
    OUTBOX.append({"to": email, "subject": f"Welcome, {name}!"})


# --8<-- [start:route]
@app.post("/signup")
def signup():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("email", "name")
    ):
        return {"error": "email and name must be strings"}, 400
    response = jsonify(status="queued", email=data["email"])
    response.status_code = 202
    # No built-in task runner: call_on_close runs the function once the server has sent
    # the body and closed the response, still in the same worker (which stays busy).
    response.call_on_close(lambda: send_welcome_email(data["email"], data["name"]))
    return response


# --8<-- [end:route]
