"""Trailing slashes and redirects in FastAPI. Run it with: fastapi dev fastapi_app.py"""

import os

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

# Absolute URLs are built from the Host header: answer only for our own names.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
app = FastAPI()  # redirect_slashes=True by default: it redirects both ways, with 307
app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)  # others: 400


@app.get("/items/")  # /items is redirected here (307)
def items():
    return {"items": ["hammer", "saw"]}


@app.get("/about")  # /about/ is redirected here too (307), not a 404
def about():
    return {"page": "about"}


@app.get("/old-about")
def old_about(request: Request):
    # 307 Temporary Redirect unless you pass status_code=; url_for gives an absolute URL
    return RedirectResponse(request.url_for("about"))


@app.get("/legacy-about")
def legacy_about(request: Request):
    return RedirectResponse(request.url_for("about"), status_code=301)  # permanent


@app.post("/subscribe")
def subscribe(request: Request):
    # 303, not the default 307: a 307 tells the client to POST again to the new URL.
    return RedirectResponse(request.url_for("about"), status_code=303)
