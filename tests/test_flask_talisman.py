"""flask-talisman: Flask-Talisman's default headers and HTTPS redirect → `secure` + Starlette.

The client talks to https://testserver unless a test says otherwise; over http both apps
redirect.
"""

import pytest

from guidekit.harness import client_for, demo_environ, load_module
from tests.expect import (
    allowed,
    assert_default_error,
    assert_not_found,
    assert_redirect,
    has,
    route_methods,
)

TALISMAN_HEADERS = {
    "content-security-policy": "default-src 'self'; object-src 'none'",
    "strict-transport-security": "max-age=31556926; includeSubDomains",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "browsing-topics=()",
}
NO_HSTS = {k: v for k, v in TALISMAN_HEADERS.items() if k != "strict-transport-security"}


@pytest.fixture
def client(client):
    client.base_url = "https://testserver"
    return client


@pytest.fixture
def http_client(client):
    client.base_url = "http://testserver"
    return client


def test_refuses_to_start_without_its_secret(framework, topic, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        load_module(topic, framework, env={})


@pytest.mark.parametrize(("name", "value"), TALISMAN_HEADERS.items())
def test_every_default_header_over_https(client, name, value):
    r = client.get("/")
    assert r.status_code == 200
    assert r.text == "<h1>Hello</h1>"
    assert r.headers[name] == value
    assert r.headers.get_list(name) == [value]  # set once, never duplicated


def test_headers_on_errors_too(client, framework):
    r = client.get("/nope")
    assert_not_found(r, framework)
    assert {k: r.headers[k] for k in TALISMAN_HEADERS} == TALISMAN_HEADERS
    r = client.delete("/")
    assert r.status_code == 405
    assert allowed(r) == route_methods("GET")[framework]
    assert r.headers["x-frame-options"] == "SAMEORIGIN"


@pytest.mark.parametrize("path", ["/", "/?page=2", "/nope", "/a%20b?q=%00&x=1"])
def test_http_get_redirects_to_https(http_client, framework, path):
    r = http_client.get(path)
    # Talisman answers 302 (301 with force_https_permanent=True); Starlette 307.
    status = {"flask": 302, "fastapi": 307}[framework]
    assert_redirect(r, status, "https://testserver" + path)


def test_http_post_redirect_keeps_the_method_only_in_fastapi(http_client, framework):
    r = http_client.post("/login")
    # A browser follows a 302 with GET (the form is lost), a 307 with the same POST.
    assert_redirect(r, {"flask": 302, "fastapi": 307}[framework], "https://testserver/login")
    assert "set-cookie" not in r.headers


@pytest.mark.change("trusted-hosts")
@pytest.mark.parametrize(("method", "path"), [("GET", "/?page=2"), ("POST", "/login")])
def test_the_redirect_never_names_a_spoofed_host(http_client, framework, method, path):
    """Both redirects build Location from Host: `Host: evil.example` would send the browser
    to that site. Only the hosts in ALLOWED_HOSTS are served; any other is a 400."""
    r = http_client.request(method, path, headers={"host": "evil.example"})
    if framework == "flask" and not has("trusted-hosts"):  # TRUSTED_HOSTS is not read
        assert_redirect(r, 302, "https://evil.example" + path)
    else:
        assert_default_error(r, framework, 400, fastapi_text="Invalid host header")
        assert "location" not in r.headers


def test_redirect_carries_the_headers_and_hsts_only_from_fastapi(http_client, framework):
    r = http_client.get("/")
    assert {k: r.headers[k] for k in NO_HSTS} == NO_HSTS
    # Talisman sends HSTS over https only; secure sends it always (browsers ignore it
    # over http, RFC 6797 section 8.1).
    hsts = {"flask": None, "fastapi": TALISMAN_HEADERS["strict-transport-security"]}[framework]
    assert r.headers.get("strict-transport-security") == hsts


def test_proxy_forwarded_https_is_served(http_client):
    r = http_client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 200
    assert r.headers["strict-transport-security"] == TALISMAN_HEADERS["strict-transport-security"]


@pytest.mark.parametrize("proto", ["http", "", "https, http"])
def test_other_forwarded_protos_still_redirect(http_client, framework, proto):
    r = http_client.get("/", headers={"X-Forwarded-Proto": proto})
    assert r.status_code == {"flask": 302, "fastapi": 307}[framework]


def test_forwarded_proto_from_an_untrusted_client(framework, topic):
    """Talisman believes X-Forwarded-Proto from anyone; uvicorn only from trusted proxies."""
    env = demo_environ(topic) | {"FORWARDED_ALLOW_IPS": "127.0.0.1"}
    app = load_module(topic, framework, env=env).app
    with client_for(framework, app) as client:
        r = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == {"flask": 200, "fastapi": 307}[framework]


def test_session_cookie_flags(client):
    r = client.post("/login")
    assert r.status_code == 200
    assert r.text == "Logged in"
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("session=")
    assert "; secure" in cookie
    assert "; httponly" in cookie
    assert "samesite=lax" in cookie


@pytest.mark.only("fastapi", reason="pins a preset of the secure package")
def test_secure_presets_are_not_talismans_defaults(snippet):
    from secure import Secure

    preset = {k.lower(): v for k, v in Secure.with_default_headers().headers.items()}
    ours = {k.lower(): v for k, v in snippet.talisman_headers.headers.items()}
    assert ours == TALISMAN_HEADERS
    assert preset["content-security-policy"] != ours["content-security-policy"]
    assert preset["strict-transport-security"] != ours["strict-transport-security"]
    assert set(preset) > set(ours) - {"permissions-policy"}


@pytest.mark.only("flask", reason="pins where Flask-Talisman reads the scheme")
def test_talisman_reads_forwarded_proto_even_without_proxyfix(app):
    app.wsgi_app = app.wsgi_app.app  # unwrap ProxyFix: Flask now sees plain http
    with client_for("flask", app) as client:
        assert client.get("/").status_code == 302
        assert client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
