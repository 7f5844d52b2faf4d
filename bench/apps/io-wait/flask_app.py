"""A Flask view that waits 50 ms, standing in for a database query or an API call.

Under gunicorn's sync worker each wait holds the whole process; under gthread it holds
one thread. Run it with: gunicorn -k gthread --threads 40 flask_app:app
"""

import time

from flask import Flask

app = Flask(__name__)

WAIT = 0.05  # seconds: a typical round trip to a database or another service


# --8<-- [start:routes]
@app.get("/wait")
def wait():
    time.sleep(WAIT)  # a blocking call: this thread does nothing else meanwhile
    return {"waited": WAIT}


# --8<-- [end:routes]
