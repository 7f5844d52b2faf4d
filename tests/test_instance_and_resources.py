"""instance-and-resources: the instance folder, its config file, and resources shipped
with the code (`open_resource` vs a path next to the module or importlib.resources).

Every test points NOTES_INSTANCE_PATH at a fresh temporary folder before the app is
imported, so nothing is written next to the snippets.
"""

import logging
import os
import sys

import pytest
from pydantic import ValidationError

from guidekit.harness import client_for, load_module
from guidekit.topics import snippet_path
from tests.expect import JSON

#: The Flask app reads its defaults with `open_resource(..., encoding=...)`.
pytestmark = pytest.mark.change("open-resource-encoding")

#: The instance config file and its syntax, per framework: Python code vs KEY=value.
CONFIG = {
    "flask": ("config.py", "{name} = {value!r}\n"),
    "fastapi": ("config.env", "NOTES_{name}={value}\n"),
}


@pytest.fixture(autouse=True)
def instance(tmp_path, monkeypatch):
    """An empty instance folder (not created yet), set before any app is imported."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("NOTES_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "instance"
    monkeypatch.setenv("NOTES_INSTANCE_PATH", str(folder))
    return folder


def write_config(framework, instance, **values):
    filename, line = CONFIG[framework]
    instance.mkdir(exist_ok=True)
    text = "".join(line.format(name=k, value=v) for k, v in values.items())
    (instance / filename).write_text(text)


def about(framework, module):
    with client_for(framework, module.app) as client:
        r = client.get("/about")
    assert r.status_code == 200
    return r.json()


def test_defaults_without_a_config_file(client, instance):
    r = client.get("/about")
    assert r.status_code == 200
    assert r.json() == {"site_name": "Notes"}
    # The app created the folder and the database in it (Flask does not create it).
    assert sorted(p.name for p in instance.iterdir()) == ["notes.sqlite"]


def test_instance_path_comes_from_the_environment(framework, snippet, instance):
    path = {"flask": lambda: snippet.app.instance_path, "fastapi": lambda: snippet.INSTANCE}
    assert str(path[framework]()) == str(instance)


def test_the_config_file_in_the_instance_folder_overrides_defaults(framework, instance):
    write_config(framework, instance, SITE_NAME="Notes at home")
    assert about(framework, load_module("instance-and-resources", framework)) == {
        "site_name": "Notes at home"
    }


def test_the_database_path_can_move(framework, instance, tmp_path):
    elsewhere = tmp_path / "data.sqlite"
    write_config(framework, instance, DATABASE=str(elsewhere))
    module = load_module("instance-and-resources", framework)
    with client_for(framework, module.app) as client:
        assert client.post("/notes", json={"text": "moved"}).status_code == 201
    assert elsewhere.is_file()
    assert not (instance / "notes.sqlite").exists()


def test_an_environment_variable_beats_the_file_only_in_fastapi(framework, instance, monkeypatch):
    write_config(framework, instance, SITE_NAME="From the file")
    monkeypatch.setenv("NOTES_SITE_NAME", "From the environment")
    module = load_module("instance-and-resources", framework)
    expected = {"flask": "From the file", "fastapi": "From the environment"}[framework]
    assert about(framework, module) == {"site_name": expected}


def test_a_relative_instance_path_is_refused(framework, monkeypatch):
    monkeypatch.setenv("NOTES_INSTANCE_PATH", "instance")
    with pytest.raises(ValueError, match="absolute"):
        load_module("instance-and-resources", framework)


def test_a_misspelt_setting(framework, instance):
    # Flask copies every upper-case name of config.py into app.config, typos included;
    # pydantic-settings refuses a name that is no field.
    write_config(framework, instance, SITE_TITLE="typo")
    if framework == "flask":
        module = load_module("instance-and-resources", framework)
        assert module.app.config["SITE_TITLE"] == "typo"
        assert about(framework, module) == {"site_name": "Notes"}
    else:
        with pytest.raises(ValidationError, match="site_title"):
            load_module("instance-and-resources", framework)


def test_a_broken_config_file(framework, instance, caplog):
    # config.py is code: a syntax error stops the app. A .env line that is not KEY=value
    # is skipped with a logged warning, and the lines after it still apply.
    filename, _ = CONFIG[framework]
    instance.mkdir()
    (instance / filename).write_text("this is not a setting\nNOTES_SITE_NAME=After\n")
    if framework == "flask":
        with pytest.raises(SyntaxError):
            load_module("instance-and-resources", framework)
    else:
        with caplog.at_level(logging.WARNING, logger="dotenv.main"):
            module = load_module("instance-and-resources", framework)
        assert "could not parse statement starting at line 1" in caplog.text
        assert about(framework, module) == {"site_name": "After"}


def test_notes_are_stored_in_the_instance_folder(client):
    assert client.get("/notes").json() == {"notes": []}
    r = client.post("/notes", json={"text": "first"})
    assert r.status_code == 201
    assert r.json() == {"id": 1, "text": "first"}
    assert client.get("/notes").json() == {"notes": [{"id": 1, "text": "first"}]}


def test_notes_survive_a_restart(framework, instance):
    for text in ("before", "after"):
        module = load_module("instance-and-resources", framework)  # a new app, same folder
        with client_for(framework, module.app) as client:
            assert client.post("/notes", json={"text": text}).status_code == 201
            notes = client.get("/notes").json()["notes"]
    assert [n["text"] for n in notes] == ["before", "after"]


@pytest.mark.parametrize(
    "text", ["x" * 500, "naïve — 東京 ✓", "nul\x00byte", "'); DROP TABLE note; --"]
)
def test_odd_text_is_stored_as_sent(client, text):
    r = client.post("/notes", json={"text": text})
    assert r.status_code == 201
    assert client.get("/notes").json()["notes"][-1]["text"] == text


BAD_BODIES = {
    "empty-text": {"json": {"text": ""}},
    "too-long": {"json": {"text": "x" * 501}},
    "missing": {"json": {}},
    "number": {"json": {"text": 12}},
    "float": {"json": {"text": 1.5}},
    "null": {"json": {"text": None}},
    "list": {"json": ["text"]},
    "malformed": {"content": b'{"text": ', "headers": {"content-type": "application/json"}},
    "text-plain": {"content": b"hello", "headers": {"content-type": "text/plain"}},
    "no-body": {},
    # FastAPI's own 422 cannot echo NaN; sqlite3 cannot store a lone surrogate (both 500s)
    "nan": {"content": b'{"text": NaN}', "headers": {"content-type": "application/json"}},
    "surrogate": {
        "content": b'{"text": "\\ud800"}',
        "headers": {"content-type": "application/json"},
    },
}


@pytest.mark.parametrize("kwargs", BAD_BODIES.values(), ids=BAD_BODIES)
def test_bad_input_is_refused_and_nothing_is_stored(client, framework, kwargs):
    r = client.post("/notes", **kwargs)
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    assert r.headers["content-type"] == JSON
    if framework == "flask":
        assert r.json() == {"error": "text must be a string of 1 to 500 characters"}
    assert client.get("/notes").json() == {"notes": []}


def test_deeply_nested_json_is_refused_not_500(client, framework):
    """json.loads raises RecursionError, not ValueError: Flask needs the app's JSON provider."""
    body = b"[" * 5000 + b"]" * 5000
    r = client.post("/notes", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert client.get("/notes").json() == {"notes": []}


@pytest.mark.only("flask", reason="open_resource is Flask's; FastAPI opens a plain path")
def test_open_resource_reads_next_to_the_app_and_only_reads(framework, app):
    with app.open_resource("schema.sql", "r", "utf-8") as f:
        assert "CREATE TABLE IF NOT EXISTS note" in f.read()
    with pytest.raises(ValueError, match="only be opened for reading"):
        app.open_resource("schema.sql", "w")


@pytest.mark.only("fastapi", reason="the package way that replaces open_resource")
def test_importlib_resources_finds_a_file_in_a_package(framework, tmp_path, monkeypatch):
    """In a real project the module is in a package: importlib.resources.files() finds
    a file shipped in it, wherever the package is installed."""
    import importlib
    import importlib.resources

    package = tmp_path / "notesapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "schema.sql").write_text("CREATE TABLE note (id INTEGER);\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "notesapp", raising=False)
    importlib.import_module("notesapp")
    schema = importlib.resources.files("notesapp") / "schema.sql"
    assert schema.read_text("utf-8") == "CREATE TABLE note (id INTEGER);\n"
    monkeypatch.delitem(sys.modules, "notesapp")


@pytest.mark.only("flask", reason="Flask's instance_path; FastAPI has no instance folder")
def test_flask_does_not_create_the_instance_folder(framework, tmp_path):
    from flask import Flask

    app = Flask("notes", instance_path=str(tmp_path / "instance"))
    assert app.instance_path == str(tmp_path / "instance")
    assert not (tmp_path / "instance").exists()


def test_the_default_instance_folder_is_next_to_the_module(framework, monkeypatch):
    # Both default to instance/ beside the app's file (git ignores it in this repository).
    monkeypatch.delenv("NOTES_INSTANCE_PATH")
    module = load_module("instance-and-resources", framework)
    path = {"flask": lambda: module.app.instance_path, "fastapi": lambda: module.INSTANCE}
    expected = snippet_path("instance-and-resources", framework).with_name("instance")
    assert str(path[framework]()) == str(expected)
