"""Start-up and shut-down work in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, Query, Request

EVENTS: list[str] = []  # what ran, in order (the tests read it)


def load_model() -> dict[str, float]:
    """Stands in for slow start-up work: reading weights, opening a connection pool."""
    EVENTS.append("startup")
    return {"weight": 2.0, "bias": 1.0}


def release_model(model: dict[str, float]) -> None:
    model.clear()
    EVENTS.append("shutdown")


# --8<-- [start:lifecycle]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Start-up: runs when the server starts, before the first request, not at import.
    app.state.model = load_model()
    yield
    # Shut-down: runs when the server stops, after the last request.
    release_model(app.state.model)


app = FastAPI(lifespan=lifespan)  # replaces the deprecated @app.on_event("startup")
# --8<-- [end:lifecycle]


# --8<-- [start:routes]
@app.get("/predict")
def predict(x: Annotated[float, Query(allow_inf_nan=False)], request: Request):
    # allow_inf_nan=False: "nan" and "inf" parse as floats, and JSON cannot carry them back.
    model = request.app.state.model
    return {"x": x, "y": model["weight"] * x + model["bias"]}


# --8<-- [end:routes]
