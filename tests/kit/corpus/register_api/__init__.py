"""A module-level app whose class-based views are registered by a helper in the style of
Flask's own documentation: a collection rule with `defaults`, and an item rule built with
`%` formatting, `str.format` or `+` from the helper's arguments."""

from flask import Flask

app = Flask(__name__)

from register_api import views  # noqa: E402,F401 - registers the routes
