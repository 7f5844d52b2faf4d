"""Rules `templates` and `static-files`: views that render pages, the app's folders, and
the Jinja templates a tree's port copies (the pages section's recipes)."""

from __future__ import annotations

import textwrap

import pytest
from flask2fastapi.apps import client_for, load_module_from_path
from flask2fastapi.port import port_tree
from flask2fastapi.port.templates import (
    is_template,
    rewrite_template,
    route_params,
    template_todos,
)

from tests.kit.port.checks import check_noop, check_transformed, todos


def test_render_template_becomes_a_template_response_with_the_request_first():
    check_transformed(
        """\
        from pathlib import Path

        from flask import Flask, make_response, render_template

        app = Flask(__name__, template_folder="pages")


        @app.get("/hello/<name>")
        def hello(name):
            return render_template("hello.html", name=name)


        @app.get("/bad")
        def bad():
            return render_template("bad.html", **{"x": 1}), 400


        @app.get("/made")
        def made():
            return make_response(render_template("made.html"), 201, {"X-A": "1"})
        """,
        """\
        from pathlib import Path
        from fastapi import FastAPI, Request
        from fastapi.templating import Jinja2Templates

        app = FastAPI()
        templates = Jinja2Templates(directory=Path(__file__).parent / "pages")


        @app.get("/hello/{name}")
        def hello(name: str, request: Request):
            return templates.TemplateResponse(request, "hello.html", {"name": name})


        @app.get("/bad")
        def bad(request: Request):
            return templates.TemplateResponse(request, "bad.html", {**{"x": 1}}, status_code=400)


        @app.get("/made")
        def made(request: Request):
            return templates.TemplateResponse(request, "made.html", {}, status_code=201, headers={"X-A": "1"})
        """,  # noqa: E501
        "routes",
        "templates",
        "app",
    )


def test_flasks_default_templates_folder_is_next_to_the_module():
    out = check_transformed(
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        @app.route("/")
        def index():
            return render_template("index.html")
        """,
        """\
        from flask import Flask
        from fastapi import Request
        from fastapi.templating import Jinja2Templates
        from pathlib import Path

        app = Flask(__name__)
        templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


        @app.get("/")
        def index(request: Request):
            return templates.TemplateResponse(request, "index.html", {})
        """,
        "routes",
        "templates",
    )
    assert out == {"routes": 1, "templates": 2}


def test_a_rendered_string_the_view_does_not_return_gets_a_todo():
    source = """\
    from flask import Flask, render_template

    app = Flask(__name__)


    @app.route("/")
    def index():
        html = render_template("index.html")
        return html.upper()
    """
    out, _ = _port(source, "routes", "templates")
    assert todos(out) == [
        (
            "templates",
            "return `templates.TemplateResponse(request, name, context)` (a response, "
            "where render_template gave a str)",
        )
    ]
    assert 'html = render_template("index.html")' in out


def test_a_module_without_the_app_is_told_where_templates_comes_from():
    out, _ = _port(
        """\
        from flask import Blueprint, render_template

        bp = Blueprint("pages", __name__)


        @bp.route("/")
        def index():
            return render_template("index.html")
        """,
        "routes",
        "templates",
    )
    assert 'templates.TemplateResponse(request, "index.html", {})' in out
    # One TODO, on the `templates` line the module gets after its imports.
    assert [rule for rule, _ in todos(out)] == ["templates"]
    assert (
        'templates = Jinja2Templates(directory=Path(__file__).parent / "templates")  # TODO(' in out
    )
    assert _port(out, "routes", "templates")[0] == out


@pytest.mark.parametrize(
    "binding",
    ["templates = {}\n", "def templates():\n    pass\n"],
)
def test_a_templates_name_already_taken_gets_a_todo(binding):
    out, counts = _port(
        f"""\
from flask import Flask, render_template

app = Flask(__name__)
{binding}

@app.route("/")
def index():
    return render_template("index.html")


@app.route("/local")
def local():
    templates = ["a"]
    return render_template("index.html", templates=templates)
""",
        "routes",
        "templates",
    )
    assert [rule for rule, _ in todos(out)] == ["templates", "templates"]
    assert "TemplateResponse" not in out and "Jinja2Templates" not in out
    assert "templates" not in counts


def test_render_template_outside_a_view_or_with_a_list_gets_a_todo():
    out, _ = _port(
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        def helper():
            return render_template("mail.txt")


        @app.errorhandler(404)
        def not_found(e):
            return render_template("404.html"), 404


        @app.route("/")
        def index():
            return render_template(["a.html", "b.html"])
        """,
        "routes",
        "errorhandler",
        "templates",
    )
    assert [text.split(":")[0] for _, text in todos(out)] == [
        "render_template needs Flask's app context",
        "return `templates.TemplateResponse(request, name, context)` (a response, where "
        "render_template gave a str)",
    ]
    # An error handler the `errorhandler` rule ports gets the request, so it renders (an
    # HTML page, never a JSONResponse of the rendered text).
    assert 'return templates.TemplateResponse(request, "404.html", {}, status_code=404)' in out
    assert "JSONResponse" not in out
    assert out.count("TemplateResponse(request, ") == 1 + out.count("`templates.TemplateResponse(")


def test_render_template_in_a_helper_module_gets_a_todo_too():
    # Once the app is FastAPI there is no Flask app context for it anywhere.
    out, _ = _port(
        """\
        from flask import render_template


        def welcome_mail(user):
            return render_template("mail.txt", user=user)
        """,
        "templates",
    )
    assert [rule for rule, _ in todos(out)] == ["templates"]


def test_static_folder_becomes_a_mount_named_static():
    check_transformed(
        """\
        from pathlib import Path

        from flask import Flask

        HERE = Path(__file__).parent
        app = Flask(__name__, static_folder=HERE / "assets")
        other = Flask(__name__, static_folder="public", static_url_path="/files/")
        bare = Flask(__name__, static_folder=None)
        """,
        """\
        from pathlib import Path
        from fastapi import FastAPI
        from fastapi.staticfiles import StaticFiles

        HERE = Path(__file__).parent
        app = FastAPI()
        app.mount("/assets", StaticFiles(directory=HERE / "assets"), name="static")
        other = FastAPI()
        other.mount("/files", StaticFiles(directory=Path(__file__).parent / "public"), name="static")
        bare = FastAPI()
        """,  # noqa: E501
        "static-files",
        "app",
    )


def test_a_static_path_it_cannot_read_gets_a_todo_and_no_static_option_is_left():
    out, _ = _port(
        """\
        from flask import Flask

        app = Flask(__name__, static_folder=FOLDER)
        """,
        "static-files",
    )
    assert [rule for rule, _ in todos(out)] == ["static-files"]
    check_noop(
        """\
        from flask import Flask

        app = Flask(__name__)
        """,
        "static-files",
    )
    out, _ = _port(
        """\
        from flask import Flask, render_template

        app = Flask(__name__)
        page = render_template("page.html")
        """,
        "static-files",
    )
    assert [text.split(":")[0] for _, text in todos(out)] == [
        "Flask serves a `static/` folder next to the app at /static"
    ]
    # Also once the templates rule has turned the view's render_template into a response.
    out, _ = _port(
        """\
        from flask import Flask, render_template

        app = Flask(__name__)


        @app.route("/")
        def index():
            return render_template("index.html")
        """,
        "routes",
        "templates",
        "static-files",
    )
    assert [rule for rule, _ in todos(out)] == ["static-files"]


# ---------------------------------------------------------------- Jinja templates
def test_url_for_in_a_template_keeps_flasks_paths():
    source = (
        "<link href=\"{{ url_for('static', filename='style.css') }}\">\n"
        '<a href="{{url_for("hello", name=user.name)}}">{{ name }}</a>\n'
        "{%- if request.args.get('q') -%} {{ request.args['q'] }} {%- endif %}\n"
        "{% raw %}{{ url_for('static', filename='x') }}{% endraw %}\n"
        "url_for('static', filename='not a tag')\n"
    )
    out, n, added = rewrite_template(source)
    assert out == (
        "<link href=\"{{ url_for('static', path='style.css').path }}\">\n"
        '<a href="{{url_for("hello", name=user.name).path}}">{{ name }}</a>\n'
        "{%- if request.query_params.get('q') -%} {{ request.query_params['q'] }} "
        "{%- endif %}\n"
        "{% raw %}{{ url_for('static', filename='x') }}{% endraw %}\n"
        "url_for('static', filename='not a tag')\n"
    )
    assert (n, added) == (5, [])
    assert rewrite_template(out) == (out, 0, [])


def test_what_a_starlette_template_cannot_do_gets_a_jinja_comment():
    source = (
        "<a href=\"{{ url_for('page', _external=True) }}\">x</a>\n"
        "<a href=\"{{ url_for('.index') }}\">x</a>\n"
        "<input value=\"{{ request.form['title'] }}\">\n"
        "{% for m in get_flashed_messages() %}{{ m }}{% endfor %}\n"
        "{{ session.user }} {{ g.user }}\n"
    )
    out, n, added = rewrite_template(source)
    assert n == 0
    assert [text.split(":")[0] for text in added] == [
        "Starlette's url_for has no `_external`",
        "a blueprint-relative endpoint",
        "`request.form` is undefined in a Starlette template (it renders nothing)",
        "Starlette has no flashed messages",
        "`session` is not in a FastAPI template",
        "`g` is not in a FastAPI template",
    ]
    lines = out.splitlines()
    assert lines[0].startswith("<a href=\"{{ url_for('page', _external=True) }}{# TODO(flask2")
    assert lines[0].endswith('#}">x</a>')
    assert [(line, rule) for line, rule, _ in template_todos(out)] == [
        (1, "templates"), (2, "templates"), (3, "templates"), (4, "templates"),
        (5, "templates"), (5, "templates"),
    ]  # fmt: skip
    assert rewrite_template(out) == (out, 0, [])  # a rerun adds nothing


def test_url_for_is_checked_against_the_ports_routes():
    routes = route_params(
        [
            """\
@app.get("/hello/{name}")
def hello(name: str): ...

@bp.api_route("/items/{item_id:int}", methods=["GET", "HEAD"], name="shop.item")
def item(item_id: int): ...

app.add_api_route("/about", about, methods=["GET"])
app.mount("/static", StaticFiles(directory="static"), name="static")
""",
            "def broken(:",  # a module that does not parse is skipped
        ]
    )
    assert routes == {"hello": {"name"}, "shop.item": {"item_id"}, "about": set(),
                      "static": {"path"}}  # fmt: skip
    source = (
        "{{ url_for('hello', name='x') }} {{ url_for('static', filename='a.css') }}\n"
        "{{ url_for('shop.item', item_id=1, page=2) }}\n"
        "{{ url_for('contact') }}\n"
    )
    out, n, added = rewrite_template(source, routes)
    assert out.splitlines()[0] == (
        "{{ url_for('hello', name='x').path }} {{ url_for('static', path='a.css').path }}"
    )
    assert n == 3
    assert [text.split(" (")[0].split(":")[0] for text in added] == [
        "`page` is not a path parameter of `shop.item`",
        "the port has no route or mount named `contact`",
    ]
    assert rewrite_template(out, routes) == (out, 0, [])


@pytest.mark.parametrize("source", ["{{ url_for('static', filename='a' }}", "{% if %}{{"])
def test_a_template_jinja_cannot_read_is_left_as_it_is(source):
    assert rewrite_template(source) == (source, 0, [])


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("templates/index.html", True),
        ("app/templates/mail/welcome.txt", True),
        ("emails/welcome.jinja2", True),
        ("static/index.html", False),
        ("templates/logo.png", False),
        ("README.html", False),
    ],
)
def test_which_copied_files_are_templates(rel, expected):
    assert is_template(rel) is expected


# ---------------------------------------------------------------- a tree, run
APP = """\
from flask import Flask, render_template

app = Flask(__name__, static_folder="static")


@app.route("/hello/<name>")
def hello(name):
    return render_template("hello.html", name=name)


@app.route("/items")
def items():
    return render_template("items.html", items=["<b>", "tea"]), 201
"""
HELLO = """\
<link rel="stylesheet" href="{{ url_for('static', filename='site.css') }}">
<h1>Hello, {{ name }}!</h1>
<a href="{{ url_for('items') }}">items</a> <a href="{{ url_for('hello', name='you') }}">you</a>
"""
ITEMS = "{% for item in items %}<li>{{ item }}</li>{% endfor %}{{ request.args.get('q', '') }}"


def test_a_ported_tree_answers_as_the_flask_app(tmp_path):
    """Port an app with templates and a static folder, then run both: the same pages
    (escaped input, Flask's paths from url_for), the same statuses and the same file."""
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "templates").mkdir(parents=True)
    (src / "static").mkdir()
    (src / "app.py").write_text(APP)
    (src / "templates" / "hello.html").write_text(HELLO)
    (src / "templates" / "items.html").write_text(ITEMS)
    (src / "static" / "site.css").write_text("h1 { color: teal; }\n")
    report = port_tree(src, out)
    assert report.todos == []
    # two views, the `templates` line, five edits in the templates (filename=, three
    # `.path`, request.args)
    assert report.conversions()["templates"] == 2 + 1 + 5
    assert "url_for('static', path='site.css').path" in (out / "templates/hello.html").read_text()
    assert [f.path for f in report.files if f.changed] == [
        "app.py", "templates/hello.html", "templates/items.html"
    ]  # fmt: skip
    flask_app = load_module_from_path(src / "app.py", "tpl_flask_app").app
    port_app = load_module_from_path(out / "app.py", "tpl_port_app").app
    answers = {}
    for framework, app in (("flask", flask_app), ("fastapi", port_app)):
        with client_for(framework, app) as client:
            answers[framework] = [
                (r.status_code, r.headers["content-type"], r.text)
                for r in (
                    client.get("/hello/<script>"),
                    client.get("/items?q=<i>"),
                    client.get("/static/site.css"),
                )
            ]
    assert answers["fastapi"] == answers["flask"]
    hello = answers["flask"][0][2]
    assert 'href="/static/site.css"' in hello and "Hello, &lt;script&gt;!" in hello
    assert 'href="/items"' in hello and 'href="/hello/you"' in hello
    assert answers["flask"][1][:2] == (201, "text/html; charset=utf-8")
    assert "<li>&lt;b&gt;</li>" in answers["flask"][1][2] and "&lt;i&gt;" in answers["flask"][1][2]


def _port(source: str, *rules: str) -> tuple[str, dict]:
    from flask2fastapi.port import port_source

    out, counts = port_source(textwrap.dedent(source), rules)
    return out, dict(counts)
