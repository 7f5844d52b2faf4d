"""json-responses: what jsonify / a returned dict sends in Flask vs a dict / model in FastAPI."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

ORDER_ID = "12345678-1234-5678-1234-567812345678"
INSERTION_ORDER = ["id", "customer", "total", "placed_at"]


@pytest.mark.parametrize("path", ["/order", "/orders"])
def test_content_type_is_json_without_charset(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"


def test_key_order(client, framework):
    keys = list(client.get("/order").json())
    if framework == "flask":
        assert keys == sorted(INSERTION_ORDER)  # app.json.sort_keys is True by default
    else:
        assert keys == INSERTION_ORDER


def test_non_ascii(client, framework):
    r = client.get("/order")
    assert r.json()["customer"] == "Zoë"  # the same value once decoded
    if framework == "flask":
        assert '"customer":"Zo\\u00eb"' in r.text  # ensure_ascii: escaped
        assert r.content.isascii()
    else:
        assert '"customer":"Zoë"'.encode() in r.content  # raw UTF-8


def test_datetime(client, framework):
    placed_at = client.get("/order").json()["placed_at"]
    expected = {
        "flask": "Wed, 21 Oct 2015 07:28:00 GMT",  # an HTTP date (RFC 822 style)
        "fastapi": "2015-10-21T07:28:00+00:00",  # ISO 8601, datetime.isoformat()
    }
    assert placed_at == expected[framework]


def test_fastapi_can_keep_flasks_http_dates(client):
    [order] = client.get("/orders/http-dates").json()
    assert order["placed_at"] == "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.only("fastapi", reason="checks the FastAPI snippet's serializer against Flask's")
@pytest.mark.parametrize(
    "value",
    [
        datetime(2015, 10, 21, 7, 28, tzinfo=UTC),
        datetime(2015, 10, 21, 9, 28, 5, 123456, tzinfo=timezone(timedelta(hours=2))),
        datetime(1999, 12, 31, 23, 59, 59),  # naive: both take it as UTC
    ],
    ids=["utc", "plus-two-hours", "naive"],
)
def test_the_serializer_writes_what_werkzeug_writes(snippet, framework, value):
    from werkzeug.http import http_date

    assert snippet.http_date(value) == http_date(value)
    order = snippet.LegacyOrder(**{**snippet.ORDER, "placed_at": value})
    assert order.model_dump(mode="json")["placed_at"] == http_date(value)


def test_decimal(client, framework):
    total = client.get("/order").json()["total"]
    assert total == {"flask": "9.90", "fastapi": 9.9}[framework]


def test_uuid_is_a_string_in_both(client):
    assert client.get("/order").json()["id"] == ORDER_ID


def test_top_level_list(client, framework):
    r = client.get("/orders")
    [order] = r.json()
    expected_keys = {"flask": sorted(INSERTION_ORDER), "fastapi": INSERTION_ORDER}[framework]
    assert list(order) == expected_keys  # FastAPI: the model's field order
    # FastAPI's /orders has a return type, so Pydantic serialises it: the Decimal stays
    # an exact string and UTC is written "Z".
    assert order == {
        "id": ORDER_ID,
        "customer": "Zoë",
        "total": "9.90",
        "placed_at": {
            "flask": "Wed, 21 Oct 2015 07:28:00 GMT",
            "fastapi": "2015-10-21T07:28:00Z",
        }[framework],
    }


def test_flask_ends_the_body_with_a_newline(client, framework):
    assert client.get("/orders").text.endswith("\n") is (framework == "flask")


def test_flask_can_send_what_fastapi_sends_for_a_dict(client, snippet, framework):
    """With FastAPILikeJSONProvider installed, Flask's /order matches FastAPI's in key
    order, encoding and dates; only the Decimal still differs."""
    if framework == "flask":
        snippet.app.json = snippet.FastAPILikeJSONProvider(snippet.app)
    r = client.get("/order")
    assert list(r.json()) == INSERTION_ORDER
    assert '"customer":"Zoë"'.encode() in r.content
    assert r.json()["placed_at"] == "2015-10-21T07:28:00+00:00"
    assert r.json()["total"] == {"flask": "9.90", "fastapi": 9.9}[framework]
    assert r.json()["id"] == ORDER_ID  # other types still reach the default encoder
