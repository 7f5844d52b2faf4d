"""Static files in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent

app = FastAPI()
# Opt-in: mount a StaticFiles app. The name lets url_for('static', path=...) find it.
app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
