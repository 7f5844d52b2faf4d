"""aiosmtplib: an HTML email with an attachment, sent in a background task.

Run it with: fastapi dev fastapi_app.py
Needs MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD and MAIL_SENDER in the
environment; it refuses to start without them. MAIL_USE_TLS=false turns STARTTLS off.
"""

import logging
import os
from email.message import EmailMessage

import aiosmtplib
from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr


def required_env(name: str) -> str:
    """A required setting from the environment: no default, so a missing one stops the app."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


MAIL_SERVER = required_env("MAIL_SERVER")
MAIL_PORT = int(required_env("MAIL_PORT"))
MAIL_USERNAME = required_env("MAIL_USERNAME")
MAIL_PASSWORD = required_env("MAIL_PASSWORD")
MAIL_SENDER = required_env("MAIL_SENDER")
MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true") != "false"

app = FastAPI()
log = logging.getLogger(__name__)

RECEIPT_CSV = "item,quantity,price\nnotebook,2,7.50\npen,10,1.20\n"


class ReceiptRequest(BaseModel):
    to: EmailStr  # email-validator, as the Flask app uses


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    # The Flask app's answer. FastAPI's own 422 echoes the input, and answers 500 when
    # JSON cannot carry it (a lone surrogate).
    return JSONResponse({"error": "to: an email address"}, status_code=400)


def receipt(to: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Your receipt"
    message["From"] = MAIL_SENDER
    message["To"] = to
    message.set_content("Thank you for your order. Your receipt is attached.")
    message.add_alternative(
        "<h1>Thank you for your order</h1><p>Your receipt is attached.</p>", subtype="html"
    )
    message.add_attachment(RECEIPT_CSV, subtype="csv", filename="receipt.csv")
    return message


async def send(message: EmailMessage) -> None:
    try:
        await aiosmtplib.send(
            message,
            hostname=MAIL_SERVER,
            port=MAIL_PORT,
            username=MAIL_USERNAME,
            password=MAIL_PASSWORD,
            start_tls=MAIL_USE_TLS,
        )
    except (aiosmtplib.SMTPException, OSError):
        log.exception("receipt to %s not sent", message["To"])


@app.post("/receipts", status_code=202)
async def send_receipt(data: ReceiptRequest, background_tasks: BackgroundTasks):
    background_tasks.add_task(send, receipt(data.to))  # runs after the response is sent
    return {"status": "queued", "to": data.to}
