"""Running a Flask app: the same file in development and in production.

Development (reloader, debugger, threads):
    flask --app flask_app run --debug
Production (4 processes x 2 threads):
    gunicorn --workers 4 --threads 2 --bind 0.0.0.0:8000 flask_app:app
"""

from flask import Flask

# `flask run --debug` sets FLASK_DEBUG=1 before importing this file, and Flask reads it
# here: app.debug is True under `flask run --debug`, False under gunicorn (unless
# FLASK_DEBUG is set in the environment).
app = Flask(__name__)


@app.get("/")
def index():
    return {"mode": "development" if app.debug else "production"}
