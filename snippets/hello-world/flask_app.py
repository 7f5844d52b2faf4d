"""Hello world in Flask. Run it with: flask --app flask_app run"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"  # a str becomes an HTML response


@app.route("/info")
def info():
    return {"framework": "Flask", "ok": True}  # a dict becomes JSON
