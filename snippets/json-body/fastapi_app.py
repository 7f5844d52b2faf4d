"""A JSON request body in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


# The model is the schema: FastAPI parses the body, validates it against the model and
# answers 422 with every problem found before the function runs.
class Item(BaseModel):
    name: str
    price: float  # lax mode: "2" becomes 2.0 and true becomes 1.0; the Flask check refuses both


@app.post("/items", status_code=201)
def create_item(item: Item):
    # A parameter typed with a Pydantic model is read from the JSON body, which must
    # come with a JSON Content-Type (FastAPI >= 0.132, `strict_content_type`).
    # Unknown keys are ignored (Pydantic's default, `extra="ignore"`).
    return item
