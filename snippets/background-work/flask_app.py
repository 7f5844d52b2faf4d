"""Work after the response in Flask. Run it with: flask --app flask_app run"""

from typing import Any

import orjson
from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider

app = Flask(__name__)


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)  # 400, not 500, for NaN, 1e999, deep JSON: see "Hostile input"


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
