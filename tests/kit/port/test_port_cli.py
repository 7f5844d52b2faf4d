"""`flask2fastapi port`: the driver (tree in, tree out), `--diff`, `--select`/`--ignore`,
the summary and the exit codes, on a small package written by each test."""

from __future__ import annotations

import json

import pytest

APP = """\
from flask import Flask, abort

app = Flask(__name__)


@app.route("/items/<int:item_id>")
def item(item_id):
    if item_id > 3:
        abort(404)
    return {"id": item_id}
"""


@pytest.fixture
def src(tmp_path):
    root = tmp_path / "shop"
    (root / "templates").mkdir(parents=True)
    (root / "__init__.py").write_text(APP)
    (root / "templates" / "index.html").write_text("<h1>{{ title }}</h1>\n")
    (root / "broken.py").write_text("def oops(:\n")
    return root


def test_port_writes_a_new_tree_and_never_touches_src(cli, src, tmp_path):
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    out = tmp_path / "port"
    run = cli("port", src, "--output", out, "--format", "json")
    assert run.code == 3  # broken.py could not be parsed: copied unchanged
    summary = json.loads(run.out)
    assert summary["conversions"]["routes"] == 1 and summary["conversions"]["abort"] == 1
    assert summary["not_parsed"][0]["file"] == "broken.py"
    assert (out / "broken.py").read_text() == "def oops(:\n"
    assert (out / "templates" / "index.html").read_text() == "<h1>{{ title }}</h1>\n"
    ported = (out / "__init__.py").read_text()
    assert '@app.get("/items/{item_id}")' in ported and "raise HTTPException(404)" in ported
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before


def test_rerun_on_its_own_output_changes_nothing(cli, src, tmp_path):
    (src / "broken.py").unlink()
    assert cli("port", src, "-o", tmp_path / "one").code == 0
    assert cli("port", tmp_path / "one", "-o", tmp_path / "two").code == 0
    for name in ("__init__.py", "templates/index.html"):
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "two" / name).read_text()


def test_diff_prints_and_writes_nothing(cli, src):
    (src / "broken.py").unlink()
    run = cli("port", src, "--diff")
    assert run.code == 0
    assert '-@app.route("/items/<int:item_id>")' in run.out
    assert '+@app.get("/items/{item_id}")' in run.out
    assert "conversions:" in run.err  # the summary goes to stderr with --diff
    assert sorted(p.name for p in src.parent.iterdir()) == ["shop"]


def test_select_and_ignore_by_rule_id(cli, src):
    (src / "broken.py").unlink()
    run = cli("port", src, "--diff", "--select", "routes,app", "--format", "json")
    assert "raise HTTPException" not in run.out
    summary = json.loads(run.err)
    assert summary["rules"] == ["routes", "app"]
    run = cli("port", src, "--diff", "--ignore", "abort")
    assert "raise HTTPException" not in run.out and "@app.get" in run.out
    assert cli("port", src, "--diff", "--select", "nope").code == 2


def test_todos_are_listed_by_file_and_line(cli, src, tmp_path):
    (src / "broken.py").unlink()
    (src / "__init__.py").write_text(
        APP
        + "\n\n@app.get('/who')\ndef who():\n    return g.user\n".replace(
            "return g", "from flask import g\n    return g"
        )
    )
    run = cli("port", src, "-o", tmp_path / "out", "--format", "json")
    assert run.code == 1  # to-do comments remain
    todo = json.loads(run.out)["todos"][0]
    assert (todo["file"], todo["rule"]) == ("__init__.py", "g")
    line = (tmp_path / "out" / "__init__.py").read_text().splitlines()[todo["line"] - 1]
    assert "TODO(flask2fastapi g)" in line


def test_bad_input_exits_2(cli, src, tmp_path):
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "x.py").write_text("print('no app here')\n")
    run = cli("port", nothing, "-o", tmp_path / "o")
    assert run.code == 2 and "no Flask app" in run.err
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    run = cli("port", src, "-o", busy)
    assert run.code == 2 and "not empty" in run.err
    assert cli("port", src, "-o", busy, "--force").code == 3
    assert cli("port", tmp_path / "missing", "-o", tmp_path / "o2").code == 2


def test_docs_url_sets_where_todo_links_point(cli, src, tmp_path, monkeypatch):
    (src / "broken.py").unlink()
    (src / "who.py").write_text("from flask import g\n\n\ndef who():\n    return g.user\n")
    monkeypatch.setenv("FLASK2FASTAPI_DOCS_URL", "https://env.example/guide")
    run = cli("port", src, "-o", tmp_path / "env", "--format", "json")
    links = [t["text"] for t in json.loads(run.out)["todos"]]
    assert links and all("https://env.example/guide/" in t for t in links)
    run = cli(
        "port", src, "-o", tmp_path / "flag", "--format", "json",
        "--docs-url", "http://127.0.0.1:8000",
    )  # fmt: skip
    links = [t["text"] for t in json.loads(run.out)["todos"]]
    assert links and all("http://127.0.0.1:8000/" in t for t in links)
    assert "http://127.0.0.1:8000/" in (tmp_path / "flag" / "who.py").read_text()


def test_port_help_lists_the_exit_codes_and_docs_url(capsys):
    from flask2fastapi.cli import main
    from flask2fastapi.exitcodes import help_text

    with pytest.raises(SystemExit):
        main(["port", "--help"])
    out = capsys.readouterr().out
    assert "--docs-url" in out and help_text().strip().splitlines()[-1] in out


def test_a_rule_with_matcher_decorators_is_refused():
    # PortRule is a plain CSTTransformer (fast to build): a matcher-decorated method would
    # never be called, so defining one fails instead of being silently ignored.
    import libcst.matchers as m
    from flask2fastapi.port.base import PortRule

    with pytest.raises(TypeError, match="plain CSTTransformer"):

        class Bad(PortRule):
            @m.visit(m.Call())
            def on_call(self, node):
                pass
