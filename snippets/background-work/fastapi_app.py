"""Work after the response in FastAPI. Run it with: fastapi dev fastapi_app.py"""

from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel

app = FastAPI()

OUTBOX: list[dict[str, str]] = []  # stands in for an email service (the tests read it)


# --8<-- [start:task]
def send_welcome_email(email: str, name: str) -> None:
    """Slow work the client should not wait for."""
    OUTBOX.append({"to": email, "subject": f"Welcome, {name}!"})


# --8<-- [end:task]


class Signup(BaseModel):
    email: str
    name: str


# --8<-- [start:route]
@app.post("/signup", status_code=202)
def signup(data: Signup, background_tasks: BackgroundTasks):
    # Runs after the response has been sent; a `def` task runs in the thread pool,
    # an `async def` task on the event loop.
    background_tasks.add_task(send_welcome_email, data.email, data.name)
    return {"status": "queued", "email": data.email}


# --8<-- [end:route]
