"""An app factory: `create_app()` reads the environment into `app.config` each time it runs.

Run it with: DEMO_FACTORY_SECRET=... flask --app flask_factory:create_app run
"""

import os

from flask import Blueprint, Flask, current_app, session

# --8<-- [start:views]
# In a real app this blueprint has a module of its own (views.py): it reads the settings
# of whichever app serves the request, through `current_app`.
shop = Blueprint("shop", __name__)


@shop.get("/visits")
def visits():
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"], "page_size": current_app.config["PAGE_SIZE"]}


# --8<-- [end:views]
# --8<-- [start:factory]
def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        # Required: a KeyError here when it is not set, and no app is made.
        SECRET_KEY=os.environ["DEMO_FACTORY_SECRET"],
        # The default when unset; when set, a str (the environment holds only strings).
        PAGE_SIZE=os.environ.get("DEMO_PAGE_SIZE", 10),
        # Computed: secure cookies unless a local http:// run turns them off.
        SESSION_COOKIE_SECURE=os.environ.get("DEMO_INSECURE_COOKIES") != "1",
    )
    app.register_blueprint(shop)
    return app


# --8<-- [end:factory]
