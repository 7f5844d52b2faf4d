"""gunicorn settings for the Flask app. Start it with: gunicorn -c gunicorn_flask.conf.py"""

import multiprocessing
import os

wsgi_app = "flask_app:app"
# All interfaces, as in a container. On a host behind nginx, bind to 127.0.0.1 instead.
bind = os.environ.get("BIND", "0.0.0.0:8000")
# gunicorn's rule of thumb: (2 x CPU cores) + 1 processes; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# More than one thread turns the default sync worker into the threaded "gthread" worker:
# each process then serves this many requests at once.
threads = 4
timeout = 30
