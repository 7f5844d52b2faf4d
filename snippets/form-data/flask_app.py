"""Form fields in Flask. Run it with: flask --app flask_app run"""

from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

app = Flask(__name__)


# --8<-- [start:fields]
@app.post("/orders")
def create_order():
    # A missing key raises BadRequestKeyError: the client gets a 400 HTML page.
    item = request.form["item"]
    # type=int swallows a bad value: "abc" quietly becomes the default.
    quantity = request.form.get("quantity", 1, type=int)
    tags = request.form.getlist("tag")  # repeated fields: tag=a&tag=b
    return {"item": item, "quantity": quantity, "tags": tags}


# --8<-- [end:fields]


# --8<-- [start:model]
class Signup(BaseModel):
    username: str = Field(min_length=3)
    age: int


@app.post("/signup")
def signup():
    # Flask has no form validation of its own; run the same Pydantic model by hand.
    try:
        data = Signup.model_validate(request.form.to_dict())
    except ValidationError as exc:
        return {"detail": exc.errors(include_url=False, include_context=False)}, 400
    return data.model_dump()


# --8<-- [end:model]


# --8<-- [start:empty]
@app.post("/profile")
def update_profile():
    # A field sent empty is "": present, so the view's own check answers. A field not
    # sent at all raises BadRequestKeyError: Flask's 400 page, before that check.
    username = request.form["username"]
    if not username:
        return {"error": "Username is required."}, 400
    return {"username": username}


# --8<-- [end:empty]


# --8<-- [start:limits]
# Flask 3.1's defaults: MAX_FORM_MEMORY_SIZE (500 kB per text field of a multipart form)
# and MAX_FORM_PARTS (1000 parts); over either, 413. Set them in app.config for the whole
# app, or per request, as here, before the form is first read.
@app.post("/notes")
def create_note():
    request.max_form_memory_size = 2 * 1024 * 1024  # this view takes text up to 2 MiB
    return {"length": len(request.form["text"])}


# --8<-- [end:limits]
