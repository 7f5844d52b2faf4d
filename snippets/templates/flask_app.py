"""Templates in Flask. Run it with: flask --app flask_app run"""

from pathlib import Path

from flask import Flask, render_template

HERE = Path(__file__).parent

# Flask finds templates/ and static/ next to the app by default; named here to mirror FastAPI.
app = Flask(__name__, template_folder=HERE / "templates" / "flask", static_folder=HERE / "static")


@app.route("/hello/<name>")
def hello(name: str):
    # The request is implicit: templates reach it (and url_for) through the context.
    return render_template("hello.html", name=name)
