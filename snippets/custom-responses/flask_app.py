"""HTML, text, other media types and files in Flask. Run it with: flask --app flask_app run"""

from pathlib import Path

from flask import Flask, Response, send_file, send_from_directory

FILES = Path(__file__).parent / "files"

app = Flask(__name__)


# --8<-- [start:text]
@app.get("/page")
def page():
    return "<h1>Hello</h1>"  # a str is HTML by default


@app.get("/ping")
def ping():
    return Response("pong", mimetype="text/plain")


@app.get("/export.csv")
def export_csv():
    return Response("id,name\n1,apple\n", mimetype="text/csv")


# --8<-- [end:text]


# --8<-- [start:files]
@app.get("/report")
def report():
    # as_attachment=True asks the browser to save the file instead of showing it.
    return send_file(FILES / "report.txt", as_attachment=True, download_name="report.txt")


@app.get("/files/<name>")
def files(name):
    return send_from_directory(FILES, name)  # refuses "../", 404 if missing


# --8<-- [end:files]
