"""Hello world in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello():
    return "Hello, World!"  # a str is serialised as a JSON string


@app.get("/info")
def info():
    return {"framework": "FastAPI", "ok": True}  # a dict becomes JSON
