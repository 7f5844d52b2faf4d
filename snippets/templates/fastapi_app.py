"""Templates in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
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


@app.get("/notes/new", response_class=HTMLResponse)
def new_note_form(request: Request):
    return templates.TemplateResponse(request, "note.html", {"form": {}})


@app.post("/notes/new", response_class=HTMLResponse)
def new_note(
    request: Request,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
):
    if title.strip():
        return RedirectResponse(request.url_for("hello", name="note"), status_code=303)
    # Starlette's request.form is a coroutine method, so `request.form['body']` in the
    # template is undefined and renders nothing: pass the posted values in the context.
    context = {"form": {"title": title, "body": body}, "error": "A title is required."}
    return templates.TemplateResponse(request, "note.html", context, status_code=400)
