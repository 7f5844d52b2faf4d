"""CORS with Starlette's CORSMiddleware. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware  # Starlette's, re-exported
from pydantic import BaseModel

app = FastAPI()

app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],  # the default is none at all
    allow_methods=["GET", "POST"],  # the default is GET only
    allow_headers=["Content-Type", "Authorization"],  # the default: only CORS-safelisted ones
    allow_credentials=True,  # cookies and Authorization from the browser
    max_age=600,  # the default
)


class ItemIn(BaseModel):
    name: str


@app.get("/items")
def list_items():
    return [{"id": 1, "name": "hammer"}]


@app.post("/items", status_code=201)
def create_item(item: ItemIn):
    return {"id": 2, "name": item.name}
