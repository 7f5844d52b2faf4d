"""A JSON request body in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


# The model is the schema: FastAPI parses the body, validates it against the model and
# answers 422 with every problem found before the function runs.
class Item(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    name: str
    price: float  # lax mode: "2" becomes 2.0 and true becomes 1.0; the Flask check refuses both


@app.post("/items", status_code=201)
def create_item(item: Item):
    # A parameter typed with a Pydantic model is read from the JSON body, which must
    # come with a JSON Content-Type (FastAPI >= 0.132, `strict_content_type`).
    # Unknown keys are ignored (Pydantic's default, `extra="ignore"`).
    return item
