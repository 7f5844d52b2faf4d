"""Templates in Flask. Run it with: flask --app flask_app run"""

from pathlib import Path

from flask import Flask, redirect, render_template, request, url_for

HERE = Path(__file__).parent

# Flask finds templates/ and static/ next to the app by default; named here to mirror FastAPI.
app = Flask(__name__, template_folder=HERE / "templates" / "flask", static_folder=HERE / "static")


@app.route("/hello/<name>")
def hello(name: str):
    # The request is implicit: templates reach it (and url_for) through the context.
    return render_template("hello.html", name=name)


@app.route("/notes/new", methods=["GET", "POST"])
def new_note():
    if request.method == "POST" and request.form.get("title", "").strip():
        return redirect(url_for("hello", name="note"), code=303)
    # A GET, or a POST without a title: the template re-renders what was posted by
    # reading request.form itself (an empty form on GET).
    error = "A title is required." if request.method == "POST" else None
    return render_template("note.html", error=error), 400 if error else 200
