"""The sample shop, in Flask: the app a reader brings to the kit.

An app factory, two blueprints (`auth`: sign-in pages with a session; `api`: a JSON API with
pagination), Flask-SQLAlchemy on SQLite, Flask-Login, templates and an error handler.
Run it: `SECRET_KEY=... DEMO_PASSWORD=... flask --app flask_app:create_app run`.
"""

from __future__ import annotations

import os

from flask import Flask

from flask_app.models import db, seed
from flask_app.views.api import api
from flask_app.views.auth import auth, login_manager


def create_app() -> Flask:
    app = Flask(__name__)
    for name in ("SECRET_KEY", "DEMO_PASSWORD"):
        if not os.environ.get(name):
            raise RuntimeError(f"set {name} in the environment (no default on purpose)")
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite://"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure unless told otherwise: only a local http:// run turns it off.
        SESSION_COOKIE_SECURE=os.environ.get("INSECURE_COOKIES") != "1",
        ITEMS_PER_PAGE=10,
    )
    db.init_app(app)
    login_manager.init_app(app)
    app.register_blueprint(auth)
    app.register_blueprint(api, url_prefix="/api")
    with app.app_context():
        db.create_all()
        seed(os.environ["DEMO_PASSWORD"])
    return app
