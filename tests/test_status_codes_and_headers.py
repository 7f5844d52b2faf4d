"""status-codes-and-headers: `return body, status, headers` vs `status_code=` and `Response`."""


def test_create_is_201_with_location(client):
    r = client.post("/items", json={"name": "pear"})
    assert r.status_code == 201
    assert r.headers["location"] == "/items/2"
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"id": 2, "name": "pear"}
    assert client.get("/items/2").json() == {"id": 2, "name": "pear"}


def test_custom_header_on_a_200(client):
    r = client.get("/items/1")
    assert r.status_code == 200
    assert r.headers["x-cache"] == "miss"
    assert r.json() == {"id": 1, "name": "apple"}


def test_not_found_is_the_same_json_in_both(client):
    r = client.get("/items/9")
    assert r.status_code == 404
    assert r.json() == {"detail": "Item not found"}
    assert "x-cache" not in r.headers


def test_dynamic_status_201_then_200(client):
    first = client.put("/items/5", json={"name": "kiwi"})
    assert (first.status_code, first.headers["x-created"]) == (201, "true")
    assert first.json() == {"id": 5, "name": "kiwi"}
    second = client.put("/items/5", json={"name": "lime"})
    assert (second.status_code, second.headers["x-created"]) == (200, "false")
    assert second.json() == {"id": 5, "name": "lime"}


def test_delete_is_204_with_an_empty_body(client, framework):
    r = client.delete("/items/1")
    assert r.status_code == 204
    assert r.content == b""
    assert "content-length" not in r.headers
    # Neither drops the content-type header, though there is no content.
    expected = {"flask": "text/html; charset=utf-8", "fastapi": "application/json"}
    assert r.headers["content-type"] == expected[framework]
    assert client.get("/items/1").status_code == 404


def test_delete_missing_is_404(client):
    r = client.delete("/items/9")
    assert r.status_code == 404
    assert r.json() == {"detail": "Item not found"}


def test_non_integer_id_is_404_in_flask_422_in_fastapi(client, framework):
    r = client.get("/items/abc")
    assert r.status_code == {"flask": 404, "fastapi": 422}[framework]


def test_bad_body_is_400_in_flask_422_in_fastapi(client, framework):
    r = client.post("/items", json={"title": "pear"})
    assert r.status_code == {"flask": 400, "fastapi": 422}[framework]
    [error] = r.json()["detail"]
    assert error["type"] == "missing"
    assert error["loc"] == {"flask": ["name"], "fastapi": ["body", "name"]}[framework]
    assert "location" not in r.headers


def test_only_the_route_status_code_is_documented(client, framework):
    r = client.get("/openapi.json")
    assert r.status_code == {"flask": 404, "fastapi": 200}[framework]
    if framework == "fastapi":
        paths = r.json()["paths"]
        assert sorted(paths["/items"]["post"]["responses"]) == ["201", "422"]
        # PUT answers 201 or 200 at run time, but the schema knows only the default 200.
        assert sorted(paths["/items/{item_id}"]["put"]["responses"]) == ["200", "422"]
