"""Start-up and shut-down work in Flask. Run it with: flask --app flask_app run"""

import atexit
import math

from flask import Flask, current_app, request

EVENTS: list[str] = []  # what ran, in order (the tests read it)


# --8<-- [start:resources]
def load_model() -> dict[str, float]:
    """Stands in for slow start-up work: reading weights, opening a connection pool."""
    EVENTS.append("startup")
    return {"weight": 2.0, "bias": 1.0}


def release_model(model: dict[str, float]) -> None:
    model.clear()
    EVENTS.append("shutdown")


# --8<-- [end:resources]


# --8<-- [start:lifecycle]
app = Flask(__name__)

# Start-up: plain code that runs once, while the app is built (in an app factory,
# this goes inside create_app). @app.before_first_request was removed in Flask 2.3.
app.extensions["model"] = load_model()

# Shut-down: Flask has no hook of its own; atexit runs when the Python process ends.
atexit.register(release_model, app.extensions["model"])
# --8<-- [end:lifecycle]


# --8<-- [start:routes]
@app.get("/predict")
def predict():
    model = current_app.extensions["model"]
    x = request.args.get("x", type=float)
    if x is None or not math.isfinite(x):  # float() accepts "nan" and "inf"; JSON does not
        return {"error": "x must be a number"}, 400
    return {"x": x, "y": model["weight"] * x + model["bias"]}


# --8<-- [end:routes]
