"""Validating a JSON body with Pydantic in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from typing import Annotated

from fastapi import FastAPI
from pydantic import BaseModel, EmailStr, Field, field_validator

app = FastAPI()


class Address(BaseModel):
    city: Annotated[str, Field(min_length=1)]
    postcode: Annotated[str, Field(pattern=r"^[0-9]{5}$")]


class User(BaseModel):
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
