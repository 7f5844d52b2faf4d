"""Configuration in Flask: app.config from an object, a file and the environment.

Run it with: DEMO_ITEMS_PER_PAGE=50 flask --app flask_app run
"""

from flask import Flask, current_app

app = Flask(__name__)


class DefaultConfig:
    APP_NAME = "Demo shop"
    ITEMS_PER_PAGE = 20
    BETA_SEARCH = False
    # No SECRET_KEY here: a default written in the code signs for anyone who reads it.


app.config.from_object(DefaultConfig)  # upper-case attributes only
# A Python file named by an environment variable, if it is set.
app.config.from_envvar("DEMO_SETTINGS", silent=True)
# DEMO_ITEMS_PER_PAGE=50 → ITEMS_PER_PAGE = 50: each value goes through json.loads,
# and a value that is not JSON stays a string. Nothing checks the types.
app.config.from_prefixed_env("DEMO")
if not app.config.get("SECRET_KEY"):
    raise RuntimeError("DEMO_SECRET_KEY is not set: refusing to start without it")
# --8<-- [end:config]


@app.get("/settings")
def show_settings():
    config = current_app.config
    # Pick the public values by hand: SECRET_KEY is a plain str like any other.
    return {
        "app_name": config["APP_NAME"],
        "items_per_page": config["ITEMS_PER_PAGE"],
        "beta_search": config["BETA_SEARCH"],
    }
