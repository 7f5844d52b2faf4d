"""Rules `responses` and `redirect`: what a view returns."""

from __future__ import annotations

from flask2fastapi.port import port_source

from tests.kit.port.checks import check_noop, check_transformed, todos

HEAD = """\
from fastapi import FastAPI
from flask import jsonify, make_response, redirect, url_for

app = FastAPI()
"""


def test_tuples_jsonify_and_text():
    check_transformed(
        HEAD
        + """
@app.post("/a")
def a():
    if True:
        return jsonify({"error": "bad"}), 400
    if False:
        return "", 204
    return {"id": 1}, 201, {"Location": "/a/1"}
""",
        """\
        from fastapi import FastAPI
        from flask import make_response, redirect, url_for
        from fastapi.responses import HTMLResponse, JSONResponse

        app = FastAPI()

        @app.post("/a")
        def a():
            if True:
                return JSONResponse({"error": "bad"}, status_code=400)
            if False:
                return HTMLResponse("", status_code=204)
            return JSONResponse({"id": 1}, status_code=201, headers={"Location": "/a/1"})
        """,
        "responses",
    )


def test_redirect_to_url_for_keeps_302():
    check_transformed(
        HEAD
        + """
@app.get("/old")
def old():
    return redirect(url_for("about"))
""",
        """\
        from fastapi import Request, FastAPI
        from flask import jsonify, make_response
        from fastapi.responses import RedirectResponse

        app = FastAPI()

        @app.get("/old")
        def old(request: Request):
            return RedirectResponse(request.url_for("about"), status_code=302)
        """,
        "redirect",
    )


def test_url_for_static_takes_the_mounts_path_parameter():
    check_transformed(
        HEAD
        + """
@app.get("/logo")
def logo():
    return {"src": url_for("static", filename="img/" + "logo.png")}
""",
        """\
        from fastapi import Request, FastAPI
        from flask import jsonify, make_response, redirect

        app = FastAPI()

        @app.get("/logo")
        def logo(request: Request):
            return {"src": request.url_for("static", path="img/" + "logo.png").path}
        """,
        "redirect",
    )


def test_returns_outside_views_are_left():
    check_noop(
        """\
        def helper():
            return {"a": 1}, 400
        """,
        "responses",
        "redirect",
    )


def test_a_jsonify_not_returned_directly_gets_a_todo():
    """Seen in a public tutorial app: `json_text = jsonify(todos); return json_text`. Left
    as it was, it raises outside Flask's app context (a 500); the line says so."""
    out, _ = port_source(
        "from flask import Flask, jsonify\napp = Flask(__name__)\n"
        "@app.route('/todos')\ndef todos():\n    text = jsonify([1])\n    return text\n",
        ("routes", "responses", "app"),
    )
    assert todos(out) == [
        ("responses", "`jsonify` needs Flask's app context: return the value (or a JSONResponse)")
    ]
    assert "    text = jsonify([1])  # TODO(flask2fastapi responses)" in out


def test_a_returned_jsonify_is_unwrapped_without_a_todo():
    check_transformed(
        """\
        from flask import Flask, jsonify

        app = Flask(__name__)
        @app.route('/todos')
        def todos():
            return jsonify([1])
        """,
        """\
        from fastapi import FastAPI

        app = FastAPI()
        @app.get("/todos")
        def todos():
            return [1]
        """,
        "routes",
        "responses",
        "app",
    )


# ------------------------------------------------------------------ send-file
FILES_HEAD = """\
from pathlib import Path

from flask import Flask, send_file, send_from_directory

FILES = Path(__file__).parent / "files"
app = Flask(__name__)
"""


def test_send_file_and_send_from_directory_become_file_responses():
    check_transformed(
        FILES_HEAD
        + """

@app.get("/report")
def report():
    return send_file(FILES / "report.txt", as_attachment=True, download_name="report.txt")


@app.get("/logo")
def logo():
    return send_file("static/logo.png", mimetype="image/png", download_name="logo.png")


@app.get("/files/<path:name>")
def files(name):
    return send_from_directory("files", name)
""",
        '''\
        from pathlib import Path

        from flask import Flask
        from fastapi import HTTPException
        from fastapi.responses import FileResponse

        FILES = Path(__file__).parent / "files"
        app = Flask(__name__)


        def file_in_directory(directory, name: str) -> FileResponse:
            """`send_from_directory` ported (the custom-responses page): 404 unless `name` is a
            file inside `directory`."""
            base = Path(directory).resolve()
            try:  # a NUL byte raises ValueError, a name over 255 bytes OSError
                path = (base / name).resolve()
                found = path.is_relative_to(base) and path.is_file()  # no "../" tricks
            except (OSError, ValueError):
                found = False
            if not found:
                # FileResponse does not check first: a missing file would end in a 500.
                raise HTTPException(status_code=404, detail="File not found")
            return FileResponse(path)


        @app.get("/report")
        def report():
            return FileResponse(FILES / "report.txt", filename="report.txt")


        @app.get("/logo")
        def logo():
            return FileResponse(Path(__file__).parent / "static/logo.png", media_type="image/png", filename="logo.png", content_disposition_type="inline")


        @app.get("/files/{name:path}")
        def files(name: str):
            return file_in_directory(Path(__file__).parent / "files", name)
        ''',  # noqa: E501
        "routes",
        "send-file",
    )


def test_send_file_it_cannot_keep_safe_or_alike_gets_a_todo():
    out, _ = port_source(
        FILES_HEAD
        + """

@app.get("/raw/<name>")
def raw(name):
    return send_file(FILES / name)


@app.get("/mem")
def mem():
    return send_file(io.BytesIO(b"x"), mimetype="text/plain")


@app.get("/old")
def old():
    return send_file(FILES / "a.txt", max_age=60)


@app.get("/download")
def download():
    return send_file(FILES / "a.txt", as_attachment=True)
""",
        ("routes", "send-file"),
    )
    assert [(rule, text.split(":")[0]) for rule, text in todos(out)] == [
        ("send-file", "a path from the request"),
        ("send-file", "FileResponse takes a path"),
        ("send-file", "FileResponse has no `max_age`"),
        ("send-file", "give the attachment's name"),
    ]
    assert "return FileResponse" not in out and "def file_in_directory" not in out


def test_send_file_follows_names_to_tell_a_path_from_a_buffer():
    """Seen in public apps: a PDF buffer a helper returned, a relative file name in a local,
    a path built from `__file__` with os.path (only the last converts)."""
    out, counts = port_source(
        """\
import os

from flask import Flask, current_app, send_file, send_from_directory

app = Flask(__name__)
HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, "report.pdf")


@app.get("/a")
def a():
    pdf_buffer = make_pdf()
    return send_file(pdf_buffer, as_attachment=True, download_name="r.pdf")


@app.get("/b")
def b():
    output_path = "output.png"
    return send_file(output_path, mimetype="image/png")


@app.get("/c")
def c():
    return send_file(REPORT, mimetype="application/pdf")


UPLOADS = "uploads"


@app.get("/d/<name>")
def d(name):
    return send_from_directory(UPLOADS, name)


@app.get("/e/<name>")
def e(name):
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], name)
""",
        ("routes", "send-file"),
    )
    assert [text.split(":")[0] for _, text in todos(out)] == [
        "FileResponse takes a path",
        "a relative path is read from the app's root_path",
        "a relative folder is read from the app's root_path",
        "the folder comes from the Flask app (`config`, `root_path`), which FastAPI's has not",
    ]
    assert 'return FileResponse(REPORT, media_type="application/pdf")' in out
    assert counts["send-file"] == 1


def test_file_helpers_outside_views_are_left():
    check_noop(
        FILES_HEAD
        + """

def attachment(name):
    return send_from_directory(FILES, name)
""",
        "routes",
        "send-file",
    )


def test_a_ported_send_from_directory_refuses_what_flask_refuses(tmp_path):
    """Run the port: a file inside the folder is sent, `..`, a missing name, a NUL byte
    and an over-long name are 404s (Flask's `safe_join` refuses the first two alike)."""
    from flask2fastapi.apps import client_for

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("alpha\n")
    (tmp_path / "secret.txt").write_text("no\n")
    out, _ = port_source(
        FILES_HEAD.replace('Path(__file__).parent / "files"', f'Path("{tmp_path}") / "files"')
        + """

@app.get("/files/<path:name>")
def files(name):
    return send_from_directory(FILES, name)
""",
        ("routes", "send-file", "app"),
    )
    namespace: dict = {}
    exec(compile(out, "port.py", "exec"), namespace)  # noqa: S102
    with client_for("fastapi", namespace["app"]) as client:
        r = client.get("/files/a.txt")
        assert (r.status_code, r.text, r.headers["content-type"]) == (
            200, "alpha\n", "text/plain; charset=utf-8"
        )  # fmt: skip
        for bad in ("/files/%2e%2e/secret.txt", "/files/nope.txt", "/files/a%00.txt",
                    "/files/" + "x" * 300):  # fmt: skip
            r = client.get(bad)
            assert (r.status_code, r.json()) == (404, {"detail": "File not found"}), bad


# ------------------------------------------------------------------ stream-context
def test_a_stream_with_context_generator_gets_its_values_from_the_view():
    check_transformed(
        """\
from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)


@app.get("/greet")
def greet():
    @stream_with_context  # keeps `request` usable while the body is being sent
    def generate():
        yield request.args.get("name", "stranger")
        yield request.headers.get("X-Mood", "")
        yield request.args.get("name", "stranger")

    return Response(generate(), mimetype="text/plain")
""",
        """\
        from flask import Flask, Response, request, stream_with_context

        app = Flask(__name__)


        @app.get("/greet")
        def greet():
            name = request.args.get("name", "stranger")
            x_mood = request.headers.get("X-Mood", "")
            @stream_with_context  # keeps `request` usable while the body is being sent
            def generate():
                yield name
                yield x_mood
                yield name

            return Response(generate(), mimetype="text/plain")
        """,
        "routes",
        "stream-context",
    )


def test_the_streaming_view_then_reads_a_query_parameter():
    out, counts = port_source(
        """\
from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)


@app.get("/greet")
def greet():
    def generate():
        yield request.args.get("name", "stranger")

    return Response(stream_with_context(generate()), mimetype="text/plain")
"""
    )
    assert 'def greet(name: str = "stranger"):' in out
    assert "yield name\n" in out and "request" not in out
    assert 'return StreamingResponse(generate(), media_type="text/plain")' in out
    assert counts["stream-context"] == 1 and not todos(out)


def test_a_generator_without_stream_with_context_or_a_taken_name_is_left():
    check_noop(
        """\
from fastapi import FastAPI
from flask import Response, request, stream_with_context

app = FastAPI()


@app.get("/a")
def a():
    def generate():  # Flask's request is gone here: no value to carry
        yield request.args.get("name", "")

    return Response(generate())


@app.get("/b")
def b():
    name = "taken"

    @stream_with_context
    def generate():
        yield name + request.args.get("name", "")

    return Response(generate())
""",
        "stream-context",
    )
