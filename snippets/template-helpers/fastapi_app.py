"""What replaces Flask-Bootstrap, Flask-Moment and Flask-PageDown.

Run it with: fastapi dev fastapi_app.py
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import markdown
import nh3
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
app = FastAPI()
templates = Jinja2Templates(directory=HERE / "templates" / "fastapi")
# Bootstrap: a base template of your own that links its files. Until they are copied into
# your static folder, StaticFiles can serve the copy the installed Flask-Bootstrap ships.
app.mount(
    "/static/bootstrap",
    StaticFiles(packages=[("flask_bootstrap", "static")]),
    name="bootstrap",
)

POST = {
    "title": "Hello",
    "body": "Some **Markdown**.",
    "created": datetime(2015, 10, 21, 7, 28, tzinfo=UTC),
}
MAX_BODY = 10_000  # characters


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: the same code as in the Flask app."""
    return nh3.clean(markdown.markdown(text))


@app.get("/posts/1", response_class=HTMLResponse)
def read_post(request: Request):
    # Moment's job: the time in ISO 8601 in a <time> element, readable without script;
    # the page's own script rewrites it in the reader's time zone and language.
    context = {"post": POST, "body_html": render_markdown(POST["body"])}
    return templates.TemplateResponse(request, "post.html", context)


@app.post("/preview")
def preview(body: Annotated[str, Form(max_length=MAX_BODY)] = ""):
    return {"html": render_markdown(body)}
