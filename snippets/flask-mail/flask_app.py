"""Flask-Mail: an HTML email with an attachment, sent after the response.

Run it with: flask --app flask_app run
Needs MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD and MAIL_SENDER in the
environment; it refuses to start without them. MAIL_USE_TLS=false turns STARTTLS off.
"""

import logging
import os
import smtplib

from email_validator import EmailNotValidError, validate_email
from flask import Flask, request
from flask_mail import Mail, Message


def required_env(name: str) -> str:
    """A required setting from the environment: no default, so a missing one stops the app."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config.update(
    MAIL_SERVER=required_env("MAIL_SERVER"),
    MAIL_PORT=int(required_env("MAIL_PORT")),
    MAIL_USERNAME=required_env("MAIL_USERNAME"),
    MAIL_PASSWORD=required_env("MAIL_PASSWORD"),
    MAIL_DEFAULT_SENDER=required_env("MAIL_SENDER"),
    MAIL_USE_TLS=os.environ.get("MAIL_USE_TLS", "true") != "false",  # STARTTLS
)
mail = Mail(app)
log = logging.getLogger(__name__)

RECEIPT_CSV = "item,quantity,price\nnotebook,2,7.50\npen,10,1.20\n"


def receipt(to: str) -> Message:
    message = Message("Your receipt", recipients=[to])  # sender: MAIL_DEFAULT_SENDER
    message.body = "Thank you for your order. Your receipt is attached."
    message.html = "<h1>Thank you for your order</h1><p>Your receipt is attached.</p>"
    message.attach("receipt.csv", "text/csv", RECEIPT_CSV)
    return message


def send(message: Message) -> None:
    with app.app_context():  # runs after the request, outside its context
        try:
            mail.send(message)
        except (smtplib.SMTPException, OSError):
            log.exception("receipt to %s not sent", message.recipients)


@app.post("/receipts")
def send_receipt():
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # deep JSON: not a ValueError, silent=True lets it out ("Hostile input")
        data = None
    to = data.get("to") if isinstance(data, dict) else None
    try:
        to = validate_email(to, check_deliverability=False).normalized
    except (EmailNotValidError, TypeError):
        return {"error": "to: an email address"}, 400
    message = receipt(to)  # inside the request: Message reads MAIL_DEFAULT_SENDER
    response = app.make_response(({"status": "queued", "to": to}, 202))
    # Flask has no background tasks: this runs once the response has been sent.
    response.call_on_close(lambda: send(message))
    return response
