"""gunicorn settings for the FastAPI app. Start it with: gunicorn -c gunicorn_fastapi.conf.py

Needs `pip install uvicorn-worker`: the old `uvicorn.workers` module is deprecated.
"""

import multiprocessing
import os

wsgi_app = "fastapi_app:app"  # gunicorn's name for the setting; an ASGI app is fine here
worker_class = "uvicorn_worker.UvicornWorker"
bind = os.environ.get("BIND", "0.0.0.0:8000")
# One event loop per process serves many requests at once: start from one process per
# CPU core, and measure. WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# The uvicorn worker passes this on to uvicorn: proxies whose X-Forwarded-* it believes.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
timeout = 30
