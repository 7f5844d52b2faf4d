"""A Flask app ready to run behind a reverse proxy.

Run it with gunicorn and the settings in gunicorn_flask.conf.py:
    gunicorn -c gunicorn_flask.conf.py
"""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/whoami")
def whoami():
    return {"scheme": request.scheme, "client": request.remote_addr}


# Take X-Forwarded-For and X-Forwarded-Proto from exactly one proxy hop (nginx, a load
# balancer). ProxyFix counts hops; it does not check who sent the headers, so the app
# must be reachable only through that proxy.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
