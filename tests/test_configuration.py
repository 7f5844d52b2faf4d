"""configuration: Flask's app.config.from_* vs pydantic-settings behind a cached dependency.

The environment must be set before a snippet is imported, so most tests load the app
themselves (the `load_app` fixture) instead of using the `client` fixture, in an empty working
directory so that no stray `.env` file is read.
"""

import os

import pytest
from pydantic import ValidationError

from guidekit.harness import SNIPPETS, client_for, load_module, load_module_from_path
from tests.expect import assert_not_found

DEFAULTS = {"app_name": "Demo shop", "items_per_page": 20, "beta_search": False}


@pytest.fixture
def load_app(framework, monkeypatch, tmp_path):
    """Import the snippet with exactly the given DEMO_* variables set; return its module."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.upper().startswith("DEMO_"):
            monkeypatch.delenv(name)

    def load(**env):
        env.setdefault("DEMO_SECRET_KEY", "not-a-real-secret")  # None: leave it unset
        for name, value in env.items():
            if value is not None:
                monkeypatch.setenv(name, value)
        return load_module("configuration", framework, env={})  # exactly what was set

    return load


def get_settings(framework, module):
    with client_for(framework, module.app) as client:
        r = client.get("/settings")
        assert r.status_code == 200
        return r.json()


def test_defaults(framework, load_app):
    assert get_settings(framework, load_app()) == DEFAULTS


def test_client_fixture_sees_the_defaults_too(client):
    assert client.get("/settings").json()["items_per_page"] == 20


def test_values_from_environment_variables(framework, load_app):
    module = load_app(DEMO_ITEMS_PER_PAGE="50", DEMO_BETA_SEARCH="true", DEMO_APP_NAME="Shop")
    assert get_settings(framework, module) == {
        "app_name": "Shop",
        "items_per_page": 50,
        "beta_search": True,
    }


def test_yes_is_a_string_in_flask_and_true_in_fastapi(framework, load_app):
    module = load_app(DEMO_BETA_SEARCH="yes")
    # json.loads("yes") fails, so Flask keeps the string (truthy, but not True).
    assert (
        get_settings(framework, module)["beta_search"]
        == {"flask": "yes", "fastapi": True}[framework]
    )


def test_bad_type_starts_flask_but_stops_fastapi(framework, load_app):
    if framework == "flask":
        module = load_app(DEMO_ITEMS_PER_PAGE="many")
        assert get_settings(framework, module)["items_per_page"] == "many"
    else:
        with pytest.raises(ValidationError, match="items_per_page") as info:
            load_app(DEMO_ITEMS_PER_PAGE="many")
        assert info.value.errors()[0]["type"] == "int_parsing"


def test_out_of_range_value(framework, load_app):
    if framework == "flask":
        assert get_settings(framework, load_app(DEMO_ITEMS_PER_PAGE="0"))["items_per_page"] == 0
    else:
        with pytest.raises(ValidationError, match="greater than or equal to 1"):
            load_app(DEMO_ITEMS_PER_PAGE="0")


def test_lower_case_variable_names(framework, load_app):
    """pydantic-settings matches names case-insensitively; Flask's prefix match is exact."""
    module = load_app(demo_items_per_page="50")
    assert (
        get_settings(framework, module)["items_per_page"] == {"flask": 20, "fastapi": 50}[framework]
    )


def test_settings_file_and_environment_precedence(framework, load_app, tmp_path):
    if framework == "flask":  # a Python file named by DEMO_SETTINGS
        path = tmp_path / "settings.cfg"
        path.write_text('APP_NAME = "From file"\nITEMS_PER_PAGE = 30\n')
        env = {"DEMO_SETTINGS": str(path)}
    else:  # a .env file in the working directory
        (tmp_path / ".env").write_text("DEMO_APP_NAME=From file\nDEMO_ITEMS_PER_PAGE=30\n")
        env = {}
    module = load_app(DEMO_ITEMS_PER_PAGE="40", **env)
    settings = get_settings(framework, module)
    assert settings["app_name"] == "From file"
    assert settings["items_per_page"] == 40  # the environment variable wins over the file


def test_a_missing_secret_key_stops_the_app(framework, load_app):
    """No default secret: without DEMO_SECRET_KEY neither app starts."""
    error = {"flask": RuntimeError, "fastapi": ValidationError}[framework]
    with pytest.raises(error, match=r"(?i)secret_key"):
        load_app(DEMO_SECRET_KEY=None)


def test_secret_is_not_shown(framework, load_app):
    module = load_app(DEMO_SECRET_KEY="not-a-real-secret-but-pretend")
    with client_for(framework, module.app) as client:
        assert "not-a-real-secret" not in client.get("/settings").text
    if framework == "flask":
        # A plain str: anything that prints the config prints the key.
        assert module.app.config["SECRET_KEY"] == "not-a-real-secret-but-pretend"
        assert "not-a-real-secret" in repr(module.app.config)
    else:
        settings = module.get_settings()
        assert settings.secret_key.get_secret_value() == "not-a-real-secret-but-pretend"
        assert "not-a-real-secret" not in repr(settings)
        assert "not-a-real-secret" not in settings.model_dump_json()


def test_settings_are_read_once(framework, load_app, monkeypatch):
    module = load_app()
    monkeypatch.setenv("DEMO_ITEMS_PER_PAGE", "99")  # too late: read at start-up
    assert get_settings(framework, module)["items_per_page"] == 20
    if framework == "fastapi":
        assert module.get_settings() is module.get_settings()  # lru_cache


def test_tests_can_override_settings(framework, app, client, snippet):
    if framework == "flask":
        app.config["ITEMS_PER_PAGE"] = 5  # or build the app in a factory with test config
    else:
        app.dependency_overrides[snippet.get_settings] = lambda: snippet.Settings(items_per_page=5)
    assert client.get("/settings").json()["items_per_page"] == 5


def test_title_comes_from_the_settings(framework, load_app):
    module = load_app(DEMO_APP_NAME="Shop")
    if framework == "flask":
        assert module.app.config["APP_NAME"] == "Shop"
    else:
        assert module.app.title == "Shop"


def test_unknown_route_is_404(client):
    assert client.get("/config").status_code == 404


def test_code_outside_a_view_reaches_the_settings_without_the_app(framework, load_app):
    """Flask code reads `current_app.config`, which exists only inside an app context (a
    request, a CLI command, or `with app.app_context()`); the port's modules call the
    cached `get_settings()`, which needs no app and hands every caller one object."""
    module = load_app(DEMO_ITEMS_PER_PAGE="7")
    if framework == "flask":
        from flask import current_app

        with pytest.raises(RuntimeError, match="Working outside of application context"):
            current_app.config["ITEMS_PER_PAGE"]
        with module.app.app_context():
            assert current_app.config["ITEMS_PER_PAGE"] == 7
    else:
        assert module.get_settings().items_per_page == 7
        assert module.get_settings() is module.get_settings()
    assert get_settings(framework, module)["items_per_page"] == 7  # what the views see


# --------------------------------------------------------------------- an app factory
# snippets/configuration/{flask,fastapi}_factory.py: `create_app()` reads the environment
# (a required variable, one with a default, one computed), a blueprint or router reads it.
FACTORY_ENV = ("DEMO_FACTORY_SECRET", "DEMO_PAGE_SIZE", "DEMO_INSECURE_COOKIES")


@pytest.fixture
def factory(framework, monkeypatch, tmp_path):
    """`make(**env)`: set exactly these variables (the secret unless given None), import
    the factory module afresh and call `create_app()`; returns (module, app)."""
    monkeypatch.chdir(tmp_path)
    for name in FACTORY_ENV:
        monkeypatch.delenv(name, raising=False)

    def make(**env):
        env.setdefault("DEMO_FACTORY_SECRET", "not-a-real-secret")
        for name, value in env.items():
            if value is not None:
                monkeypatch.setenv(name, value)
        path = SNIPPETS / "configuration" / f"{framework}_factory.py"
        module = load_module_from_path(path, f"snippet_configuration_factory_{framework}")
        return module, module.create_app()

    return make


def visit(framework, app, times=1):
    """GET /visits `times` times over https (so a Secure cookie comes back); the last answer."""
    with client_for(framework, app, base_url="https://testserver") as client:
        for _ in range(times):
            r = client.get("/visits")
    return r


def test_factory_defaults(framework, factory):
    _, app = factory()
    r = visit(framework, app, times=2)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"visits": 2, "page_size": 10}  # the session cookie came back


def test_factory_session_cookie_is_secure_unless_turned_off(framework, factory):
    _, app = factory()
    cookie = visit(framework, app).headers["set-cookie"].lower()
    assert "; secure" in cookie and "; httponly" in cookie
    _, app = factory(DEMO_INSECURE_COOKIES="1")
    cookie = visit(framework, app).headers["set-cookie"].lower()
    assert "; secure" not in cookie and "; httponly" in cookie


def test_factory_value_from_the_environment(framework, factory):
    """`os.environ.get` gives Flask a str; the field's type makes it an int."""
    _, app = factory(DEMO_PAGE_SIZE="25")
    r = visit(framework, app)
    assert r.status_code == 200
    assert r.json()["page_size"] == {"flask": "25", "fastapi": 25}[framework]


def test_factory_bad_value_starts_flask_but_stops_fastapi(framework, factory):
    if framework == "flask":
        _, app = factory(DEMO_PAGE_SIZE="many")
        assert visit(framework, app).json()["page_size"] == "many"
    else:
        with pytest.raises(ValidationError, match="DEMO_PAGE_SIZE") as info:
            factory(DEMO_PAGE_SIZE="many")
        assert info.value.errors()[0]["type"] == "int_parsing"


def test_factory_missing_required_variable_stops_create_app(framework, factory):
    error = {"flask": KeyError, "fastapi": ValidationError}[framework]
    with pytest.raises(error, match="DEMO_FACTORY_SECRET"):
        factory(DEMO_FACTORY_SECRET=None)


def test_factory_reads_the_environment_each_call_or_once(framework, factory, monkeypatch):
    """Flask's factory reads `os.environ` on every call; `get_settings` is cached, so a
    second `create_app()` in the same process sees the first one's values until
    `get_settings.cache_clear()`."""
    module, _ = factory(DEMO_PAGE_SIZE="3")
    monkeypatch.setenv("DEMO_PAGE_SIZE", "4")
    second = visit(framework, module.create_app()).json()["page_size"]
    assert second == {"flask": "4", "fastapi": 3}[framework]
    if framework == "fastapi":
        module.get_settings.cache_clear()
        assert visit(framework, module.create_app()).json()["page_size"] == 4


def test_factory_test_overrides_a_setting(framework, factory):
    module, app = factory()
    if framework == "flask":
        app.config["PAGE_SIZE"] = 5
    else:
        changed = module.get_settings().model_copy(update={"page_size": 5})
        app.dependency_overrides[module.get_settings] = lambda: changed
    assert visit(framework, app).json() == {"visits": 1, "page_size": 5}


def test_factory_unknown_route_is_404(framework, factory):
    _, app = factory()
    with client_for(framework, app) as client:
        assert_not_found(client.get("/settings"), framework)


@pytest.mark.only("fastapi", reason="Flask's factory reads os.environ by the exact name")
def test_factory_field_reads_its_alias_in_any_case_not_its_own_name(factory):
    module, _ = factory(demo_page_size="7", PAGE_SIZE="8")
    assert module.get_settings().page_size == 7
    with pytest.raises(ValidationError, match="page_size"):
        module.Settings(page_size=5)  # an unknown input: fields are set by the alias
    assert module.Settings(DEMO_PAGE_SIZE=5).page_size == 5


def test_factory_computed_field_is_also_read_by_its_own_name(framework, factory):
    """Flask's factory reads only the variables it names; a field without an alias reads
    the variable of its own name too."""
    _, app = factory(SESSION_COOKIE_SECURE="false")
    secure = "; secure" in visit(framework, app).headers["set-cookie"].lower()
    assert secure == {"flask": True, "fastapi": False}[framework]
