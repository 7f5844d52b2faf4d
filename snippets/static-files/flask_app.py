"""Static files in Flask. Run it with: flask --app flask_app run"""

from pathlib import Path

from flask import Flask

HERE = Path(__file__).parent

# Built in: the static/ folder next to the app is served at /static (named here to
# mirror FastAPI; Flask(__name__) alone does the same).
app = Flask(__name__, static_folder=HERE / "static", static_url_path="/static")
