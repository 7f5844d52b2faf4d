"""flask-compress: Flask-Compress → starlette-compress's CompressMiddleware (and GZipMiddleware).

The test clients decode every encoding they receive (gzip, deflate, br, zstd), so `r.content`
is the original body and `content-encoding` says how it travelled.
"""

import gzip

import pytest
from starlette.middleware.gzip import GZipMiddleware

from guidekit.harness import client_for
from tests.expect import assert_method_not_allowed, assert_not_found, has, route_methods

REPORT = "All 40 parcels left the warehouse on time. " * 15
LOG = "line of a log file\n" * 100


def get(client, path: str, accept_encoding: str = ""):
    # httpx sends its own Accept-Encoding unless the request sets one ("" = none accepted).
    return client.get(path, headers={"accept-encoding": accept_encoding})


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_a_large_json_body_is_compressed_with_the_accepted_encoding(client, encoding):
    plain = get(client, "/report")
    r = get(client, "/report", encoding)
    assert r.status_code == 200
    assert r.headers["content-encoding"] == encoding
    assert r.headers["vary"] == "Accept-Encoding"
    assert int(r.headers["content-length"]) < int(plain.headers["content-length"]) // 3
    assert r.json() == {"report": REPORT}


@pytest.mark.parametrize("accept_encoding", ["", "identity", "compress"])
def test_without_an_accepted_encoding_the_body_is_sent_as_it_is(client, accept_encoding):
    r = get(client, "/report", accept_encoding)
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.json() == {"report": REPORT}


def test_several_accepted_the_server_order_decides(client):
    assert get(client, "/report", "gzip, br, zstd").headers["content-encoding"] == "zstd"
    assert get(client, "/report", "gzip, br").headers["content-encoding"] == "br"
    assert get(client, "/report", "*").headers["content-encoding"] == "zstd"


def test_q_values_count_in_flask_compress_only(client, framework):
    r = get(client, "/report", "br;q=0.5, gzip")
    assert r.headers["content-encoding"] == {"flask": "gzip", "fastapi": "br"}[framework]


def test_q_zero_refuses_an_encoding_in_starlette_compress_only(client, framework):
    # RFC 9110: q=0 means "not acceptable"; Flask-Compress 1.x still picks gzip.
    r = get(client, "/report", "gzip;q=0")
    assert r.headers.get("content-encoding") == {"flask": "gzip", "fastapi": None}[framework]
    assert r.json() == {"report": REPORT}


def test_deflate_is_offered_by_flask_compress_only(client, framework):
    r = get(client, "/report", "deflate")
    assert r.headers.get("content-encoding") == {"flask": "deflate", "fastapi": None}[framework]
    assert r.json() == {"report": REPORT}


def test_a_body_under_the_minimum_size_is_sent_as_it_is(client, framework):
    r = get(client, "/small", "gzip, br, zstd")
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert r.json() == {"status": "ok"}
    # Flask-Compress adds Vary to every response; CompressMiddleware only where it could
    # have compressed.
    assert r.headers.get("vary") == {"flask": "Accept-Encoding", "fastapi": None}[framework]


def test_an_image_type_is_not_compressed(client, framework):
    r = get(client, "/logo.png", "gzip, br, zstd")
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG") and len(r.content) == 608
    assert r.headers.get("vary") == {"flask": "Accept-Encoding", "fastapi": None}[framework]


@pytest.mark.parametrize("accept_encoding", ["", "br", "zstd", "gzip"])
def test_an_already_encoded_body_is_left_alone(client, accept_encoding):
    r = get(client, "/archive", accept_encoding)
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"  # the view's own, even to "" or "br"
    assert int(r.headers["content-length"]) == len(gzip.compress(LOG.encode()))
    assert r.text == LOG


def test_an_error_status_is_compressed_by_starlette_compress_only(client, framework):
    r = get(client, "/missing", "gzip")
    assert r.status_code == 404
    assert r.headers.get("content-encoding") == {"flask": None, "fastapi": "gzip"}[framework]
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.json() == {"error": "not found", "report": REPORT}


@pytest.mark.parametrize("encoding", ["br", "zstd"])
def test_a_streamed_body_is_compressed_chunk_by_chunk(client, encoding):
    r = get(client, "/feed", encoding)
    assert r.status_code == 200
    assert r.headers["content-encoding"] == encoding
    assert "content-length" not in r.headers
    assert r.text == "".join(f"event {n}: left the warehouse\n" for n in range(50))


def test_a_streamed_body_is_not_gzipped_by_flask_compress(client, framework):
    # COMPRESS_ALGORITHM_STREAMING leaves gzip out by default.
    r = get(client, "/feed", "gzip")
    assert r.headers.get("content-encoding") == {"flask": None, "fastapi": "gzip"}[framework]
    assert r.text.startswith("event 0: left the warehouse\n")


def test_a_streamed_csv_is_not_compressed(client, framework):
    r = get(client, "/export", "gzip, br, zstd")
    assert r.status_code == 200
    assert "content-encoding" not in r.headers
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.count("\n") == 50
    assert r.headers.get("vary") == {"flask": "Accept-Encoding", "fastapi": None}[framework]


@pytest.mark.parametrize(
    "accept_encoding",
    ["gzip;q=abc", "gzip;q=nan", "br;q=1e999", ",,;,", "gzip" * 500, "GZIP", "gzip;q=-1"],
)
def test_odd_accept_encoding_headers_are_no_error(client, accept_encoding):
    r = get(client, "/report", accept_encoding)
    assert r.status_code == 200
    assert r.json() == {"report": REPORT}


def test_unknown_route_and_wrong_method(client, framework):
    assert_not_found(get(client, "/nope", "gzip"), framework)
    assert_method_not_allowed(client.post("/report"), framework, route_methods("GET"))


@pytest.fixture
def gzip_client(snippet):
    """The FastAPI app with Starlette's GZipMiddleware in place of CompressMiddleware."""
    snippet.app.user_middleware.clear()
    snippet.app.add_middleware(GZipMiddleware, minimum_size=500)
    with client_for("fastapi", snippet.app) as client:
        yield client


@pytest.mark.only("fastapi", reason="Starlette's GZipMiddleware is an ASGI middleware")
def test_starlette_gzip_middleware_offers_gzip_only(gzip_client):
    assert get(gzip_client, "/report", "gzip").headers["content-encoding"] == "gzip"
    for accepted in ("br", "zstd", "deflate"):
        r = get(gzip_client, "/report", accepted)
        assert "content-encoding" not in r.headers
        assert r.headers["vary"] == "Accept-Encoding"
    # It looks for "gzip" in the header and ignores q-values, q=0 included.
    assert get(gzip_client, "/report", "gzip;q=0").headers["content-encoding"] == "gzip"


@pytest.mark.change("gzip-skips-compressed-types")
@pytest.mark.only("fastapi", reason="Starlette's GZipMiddleware is an ASGI middleware")
def test_starlette_gzip_middleware_what_it_skips_and_what_it_does_not(gzip_client):
    r = get(gzip_client, "/small", "gzip")
    assert "content-encoding" not in r.headers and "vary" not in r.headers
    r = get(gzip_client, "/logo.png", "gzip")
    if not has("gzip-skips-compressed-types"):  # the old answer: a PNG compressed again
        assert r.headers["content-encoding"] == "gzip"
    else:
        assert "content-encoding" not in r.headers and "vary" not in r.headers
    assert get(gzip_client, "/archive", "gzip").text == LOG  # left alone
    for path in ("/missing", "/feed", "/export"):  # error status, streams, text/csv too
        assert get(gzip_client, path, "gzip").headers["content-encoding"] == "gzip"
