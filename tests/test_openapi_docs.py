"""openapi-docs: what FastAPI publishes at /openapi.json, /docs and /redoc (Flask: nothing)."""

import pytest

from tests.expect import HTML, JSON, assert_not_found

EXAMPLE = {"name": "Hammer", "price": 9.5}
NO_SCHEMA = "Flask publishes no schema (a 404: test_openapi_json_is_fastapis_alone)"


@pytest.fixture
def schema(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def test_openapi_json_is_fastapis_alone(client, framework):
    r = client.get("/openapi.json")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 200
        assert r.headers["content-type"] == JSON


@pytest.mark.only("fastapi", reason=NO_SCHEMA)
def test_schema_lists_paths_with_tags_summaries_and_docstrings(schema):
    assert schema["openapi"].startswith("3.1")
    assert schema["info"] == {
        "title": "Inventory API",
        "description": "Items in stock.",
        "version": "1.0.0",
    }
    assert schema["tags"] == [{"name": "items", "description": "Operations on items."}]
    read = schema["paths"]["/items/{item_id}"]["get"]
    create = schema["paths"]["/items"]["post"]
    assert (read["tags"], read["summary"]) == (["items"], "Read one item")
    assert read["description"] == "Return the item with this id, or 404."
    assert (create["summary"], create["description"]) == (
        "Create an item",
        "Add an item to the inventory.",
    )
    assert set(create["responses"]) == {"201", "422"}
    assert read["parameters"][0]["schema"] == {"type": "integer", "title": "Item Id"}


@pytest.mark.only("fastapi", reason=NO_SCHEMA)
def test_schema_holds_the_model_with_its_example_and_constraints(schema):
    item = schema["components"]["schemas"]["Item"]
    assert item["examples"] == [EXAMPLE]
    assert item["required"] == ["name", "price"]
    assert item["properties"]["price"]["exclusiveMinimum"] == 0
    assert item["properties"]["name"]["description"] == "Display name"
    body = schema["paths"]["/items"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Item"}


def test_docs_serves_swagger_ui_from_a_cdn(client, framework):
    r = client.get("/docs")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 200
        assert r.headers["content-type"] == HTML
        assert "<title>Inventory API - Swagger UI</title>" in r.text
        assert "url: '/openapi.json'" in r.text
        cdn = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
        assert f'src="{cdn}swagger-ui-bundle.js"' in r.text
        assert f'href="{cdn}swagger-ui.css"' in r.text
        assert 'href="https://fastapi.tiangolo.com/img/favicon.png"' in r.text


def test_redoc_loads_its_script_and_google_fonts_from_other_hosts(client, framework):
    r = client.get("/redoc")
    if framework == "flask":
        assert_not_found(r, framework)
    else:
        assert r.status_code == 200
        assert r.headers["content-type"] == HTML
        assert '<redoc spec-url="/openapi.json"></redoc>' in r.text
        assert "https://cdn.jsdelivr.net/npm/redoc@2/" in r.text
        assert "https://fonts.googleapis.com/" in r.text


def test_documented_routes_work(client):
    r = client.get("/items/1")
    assert r.status_code == 200
    assert r.json() == EXAMPLE
    assert client.get("/items/9").status_code == 404


def test_create_item(client, framework):
    r = client.post("/items", json={"name": "Saw", "price": 12})
    assert r.status_code == 201
    assert r.json() == {"name": "Saw", "price": 12}
    # The model's float type shows on the way out: 12 comes back as 12.0 from FastAPI.
    assert (
        r.text
        == {
            "flask": '{"name":"Saw","price":12}\n',
            "fastapi": '{"name":"Saw","price":12.0}',
        }[framework]
    )


@pytest.mark.parametrize(
    "body",
    [{"name": "Saw", "price": -1}, {"name": "Saw"}, {"name": 1, "price": 2}, ["Saw", 12]],
    ids=["negative-price", "missing-price", "name-not-a-string", "not-an-object"],
)
def test_bad_items_are_refused(client, framework, body):
    r = client.post("/items", json=body)
    # By hand in Flask (400, HTML); from the documented schema in FastAPI (422, JSON).
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    if framework == "fastapi":
        assert r.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.only("fastapi", reason=NO_SCHEMA)
def test_a_route_left_out_of_the_schema_is_still_served(framework):
    """`include_in_schema=False` hides a route from /openapi.json (and so from /docs);
    it does not protect it: the route answers as before."""
    from fastapi import FastAPI

    from guidekit.harness import client_for

    app = FastAPI()

    @app.get("/internal/health", include_in_schema=False)
    def health():
        return {"ok": True}

    @app.get("/items")
    def items():
        return []

    with client_for(framework, app) as client:
        assert list(client.get("/openapi.json").json()["paths"]) == ["/items"]
        assert client.get("/internal/health").json() == {"ok": True}


@pytest.mark.only("fastapi", reason=NO_SCHEMA)
def test_a_hand_written_schema_replaces_the_generated_one(framework):
    """A spec kept in a file (flasgger's YAML, say), returned by a function put in place of
    `app.openapi`, is what /openapi.json serves and /docs shows."""
    from fastapi import FastAPI

    from guidekit.harness import client_for

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Kept by hand", "version": "2"},
        "paths": {"/items": {"get": {"responses": {"200": {"description": "the items"}}}}},
    }
    app = FastAPI()

    @app.get("/items")
    def items():
        return []

    app.openapi = lambda: spec  # e.g. yaml.safe_load(Path("openapi.yml").read_text())
    with client_for(framework, app) as client:
        assert client.get("/openapi.json").json() == spec
        assert "/openapi.json" in client.get("/docs").text
