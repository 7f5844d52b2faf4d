"""A FastAPI app ready to run behind a reverse proxy.

Run it with: fastapi run fastapi_app.py
(or gunicorn with uvicorn workers: gunicorn -c gunicorn_fastapi.conf.py)
"""

import os

from fastapi import FastAPI, Request
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

app = FastAPI()


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/whoami")
def whoami(request: Request):
    return {"scheme": request.url.scheme, "client": request.client.host}


# uvicorn already applies this middleware (--proxy-headers is on by default) for peers
# listed in --forwarded-allow-ips / FORWARDED_ALLOW_IPS. Adding it to the app does the
# same under any ASGI server, and lets the tests exercise it. Unlike ProxyFix, it only
# believes the headers when the peer's address is in the trusted list.
TRUSTED_PROXIES = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=TRUSTED_PROXIES)
