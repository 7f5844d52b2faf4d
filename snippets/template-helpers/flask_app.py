"""Flask-Bootstrap, Flask-Moment and Flask-PageDown. Run it with: flask --app flask_app run"""

from datetime import UTC, datetime
from pathlib import Path

import markdown
import nh3
from flask import Flask, render_template, request
from flask_bootstrap import Bootstrap
from flask_moment import Moment
from flask_pagedown import PageDown
from flask_pagedown.fields import PageDownField
from wtforms import Form

HERE = Path(__file__).parent
app = Flask(__name__, template_folder=HERE / "templates" / "flask")
app.config["BOOTSTRAP_SERVE_LOCAL"] = True  # Bootstrap 3's files from the app, not a CDN
Bootstrap(app)  # templates extend "bootstrap/base.html"
Moment(app)  # moment(ts) in templates: rendered by moment.js in the browser
PageDown(app)  # a Markdown editor with a live preview, in the browser

POST = {
    "title": "Hello",
    "body": "Some **Markdown**.",
    "created": datetime(2015, 10, 21, 7, 28, tzinfo=UTC),
}
MAX_BODY = 10_000  # characters


class PostForm(Form):  # no CSRF token: the form only previews, it changes nothing
    body = PageDownField("Body")


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: PageDown's preview runs in the browser only."""
    return nh3.clean(markdown.markdown(text))


@app.get("/posts/1")
def read_post():
    body_html = render_markdown(POST["body"])
    return render_template("post.html", post=POST, body_html=body_html, form=PostForm())


@app.post("/preview")
def preview():
    text = request.form.get("body", "")
    if len(text) > MAX_BODY:
        return {"error": f"body is longer than {MAX_BODY} characters"}, 400
    return {"html": render_markdown(text)}
