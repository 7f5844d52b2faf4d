"""Flask-Talisman's headers in FastAPI: the `secure` package's ASGI middleware.

Run it with: fastapi dev fastapi_app.py (behind a TLS proxy: uvicorn --proxy-headers)
Needs SECRET_KEY in the environment; it refuses to start without it.
"""

import os

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from secure import (
    ContentSecurityPolicy,
    PermissionsPolicy,
    ReferrerPolicy,
    Secure,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)
from secure.middleware import SecureASGIMiddleware
from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


# Talisman's defaults, header by header (Secure.with_default_headers() sets more, and
# other values: compare before you switch to it).
talisman_headers = Secure(
    csp=ContentSecurityPolicy().default_src("'self'").object_src("'none'"),
    hsts=StrictTransportSecurity().max_age(31556926).include_subdomains(),
    xfo=XFrameOptions().sameorigin(),
    xcto=XContentTypeOptions().nosniff(),
    referrer=ReferrerPolicy().strict_origin_when_cross_origin(),
    permissions=PermissionsPolicy().add_directive("browsing-topics"),
)

app = FastAPI()
# The last one added runs first: proxy headers, security headers, host check, redirect.
app.add_middleware(
    SessionMiddleware,
    secret_key=secret("SECRET_KEY"),
    https_only=True,  # the Secure flag; HttpOnly is always set
    same_site="lax",
)
app.add_middleware(HTTPSRedirectMiddleware)  # 307 from http to https
# The https redirect's Location is built from the Host header: answer only for our names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)  # others: 400
app.add_middleware(SecureASGIMiddleware, secure=talisman_headers)
# uvicorn --proxy-headers does this in the server; here it is part of the app. Only the
# addresses in FORWARDED_ALLOW_IPS (uvicorn's variable and default) may set the scheme.
app.add_middleware(
    ProxyHeadersMiddleware, trusted_hosts=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
)


@app.get("/", response_class=HTMLResponse)
def home():
    return "<h1>Hello</h1>"


@app.post("/login", response_class=PlainTextResponse)
def login(request: Request):
    request.session["user"] = "alice"
    return "Logged in"
