"""FastAPI in front, the legacy Flask app mounted behind it. Run it with: fastapi dev fastapi_app.py

Routes moved to FastAPI are declared on `app`; every other request falls through to the
Flask app, which runs unchanged under a WSGI adapter in the same process.
"""

import importlib.util
from pathlib import Path

from a2wsgi import WSGIMiddleware  # starlette.middleware.wsgi is deprecated in its favour
from fastapi import FastAPI


# --8<-- [start:load]
def _load_legacy_app():
    """In your project: `from legacy.app import app as flask_app`. This folder is not a
    package, so the demo loads the Flask app from the file next to this one."""
    path = Path(__file__).with_name("flask_app.py")
    spec = importlib.util.spec_from_file_location("legacy_flask_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


flask_app = _load_legacy_app()
# --8<-- [end:load]

app = FastAPI()

USERS = {1: "Ada", 2: "Grace"}


# Moved route: declared before the mount, so it wins over its Flask twin.
@app.get("/users/{user_id}")
def get_user(user_id: int):
    return {"id": user_id, "name": USERS.get(user_id), "served_by": "fastapi"}


# Everything FastAPI does not match goes to Flask (mount last: routes match in order).
app.mount("/", WSGIMiddleware(flask_app))
