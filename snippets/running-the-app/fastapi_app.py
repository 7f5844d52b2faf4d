"""Running a FastAPI app: the same file in development and in production.

Development (auto-reload, 127.0.0.1):
    fastapi dev fastapi_app.py        (uvicorn underneath: uvicorn fastapi_app:app --reload)
Production (4 processes, 0.0.0.0):
    fastapi run --workers 4 fastapi_app.py
    (uvicorn underneath: uvicorn fastapi_app:app --host 0.0.0.0 --workers 4)
"""

import os

from fastapi import FastAPI

# No CLI flag sets FastAPI's debug mode. `fastapi dev` only sets FASTAPI_ENV=development
# (if unset) before importing this file; deriving debug from it is our choice. With
# debug=True an unhandled error answers 500 with the traceback: never in production.
DEVELOPMENT = os.environ.get("FASTAPI_ENV") == "development"
app = FastAPI(debug=DEVELOPMENT)


@app.get("/")
def index():
    return {"mode": "development" if app.debug else "production"}
