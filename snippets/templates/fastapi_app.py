"""Templates in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent

app = FastAPI()
# Without this mount (and its name), url_for('static', ...) in a template fails.
app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
templates = Jinja2Templates(directory=HERE / "templates" / "fastapi")


@app.get("/hello/{name}", response_class=HTMLResponse)
def hello(request: Request, name: str):
    # The request is explicit and comes first: url_for in the template needs it.
    return templates.TemplateResponse(request, "hello.html", {"name": name})
