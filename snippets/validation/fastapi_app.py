"""Validating a JSON body with Pydantic in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    try:  # FastAPI's own 422, which fails on inputs JSON cannot carry: see "Hostile input"
        return await request_validation_exception_handler(request, exc)
    except ValueError:
        errors = [{**error, "input": repr(error.get("input"))} for error in exc.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


class Address(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    city: Annotated[str, Field(min_length=1)]
    postcode: Annotated[str, Field(pattern=r"^[0-9]{5}$")]


class User(BaseModel):
    # No NaN, no lone surrogate: JSON cannot carry them back (see "Hostile input").
    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    username: Annotated[str, Field(min_length=3, max_length=20)]
    email: EmailStr  # needs the email-validator package (part of fastapi[standard])
    age: Annotated[int, Field(gt=0, le=150)]
    address: Address  # a nested model: its errors carry the full path in "loc"

    @field_validator("username")
    @classmethod
    def no_spaces(cls, value: str) -> str:
        # Runs after the length check; raising ValueError becomes a "value_error" entry.
        if " " in value:
            raise ValueError("must not contain spaces")
        return value.lower()  # a validator may also normalise the value


@app.post("/users", status_code=201)
def create_user(user: User):
    # Only a valid User reaches this line; every problem is reported at once as a 422.
    return user
