"""flask-mail: Flask-Mail → aiosmtplib in a background task.

Each test starts a real SMTP server (aiosmtpd) on 127.0.0.1, on a free port, that
requires the app's credentials, and asserts on the messages it received. Both apps send
after the response: the Flask app from `call_on_close`, the FastAPI app in a background
task; both test clients return once that has run.
"""

import email
import smtplib
import socket
import traceback
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from guidekit.harness import client_for, demo_environ, load_module
from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

# The test server takes AUTH without TLS, on 127.0.0.1 only; aiosmtpd warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ENV = demo_environ("flask-mail")
RECEIPT_CSV = "item,quantity,price\nnotebook,2,7.50\npen,10,1.20\n"
SECRETS = ["MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER"]


class Inbox:
    """aiosmtpd handler: keeps each message it accepts, with its envelope and login."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope, session.auth_data))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        ENV["MAIL_USERNAME"].encode(),
        ENV["MAIL_PASSWORD"].encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_required=True,  # no mail without the credentials
        auth_require_tls=False,  # 127.0.0.1 only, in a test
        ready_timeout=5,
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def snippet(topic, framework, smtp):
    _, port = smtp
    return load_module(topic, framework, env={**ENV, "MAIL_PORT": str(port)})


@pytest.fixture
def inbox(smtp):
    return smtp[0].received


@pytest.mark.parametrize("missing", SECRETS)
def test_refuses_to_start_without_its_settings(framework, topic, missing, monkeypatch):
    monkeypatch.delenv(missing, raising=False)
    env = {name: value for name, value in ENV.items() if name != missing}
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        load_module(topic, framework, env=env)


def test_the_receipt_is_sent_after_the_response(client, inbox):
    r = client.post("/receipts", json={"to": "ada@example.com"})
    assert r.status_code == 202
    assert r.json() == {"status": "queued", "to": "ada@example.com"}
    [(envelope, login)] = inbox
    assert envelope.mail_from == ENV["MAIL_SENDER"]
    assert envelope.rcpt_tos == ["ada@example.com"]
    assert login.login == ENV["MAIL_USERNAME"].encode()


def test_the_message_has_text_html_and_the_attachment(client, inbox):
    client.post("/receipts", json={"to": "ada@example.com"})
    [(envelope, _)] = inbox
    message = email.message_from_bytes(envelope.original_content, policy=default)
    assert message["Subject"] == "Your receipt"
    assert message["From"] == ENV["MAIL_SENDER"]
    assert message["To"] == "ada@example.com"
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text.get_content().strip() == "Thank you for your order. Your receipt is attached."
    assert html.get_content().strip() == (
        "<h1>Thank you for your order</h1><p>Your receipt is attached.</p>"
    )
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "receipt.csv"
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_content().replace("\r\n", "\n") == RECEIPT_CSV


def test_the_address_is_normalised(client, inbox):
    r = client.post("/receipts", json={"to": "Ada@EXAMPLE.com"})
    assert r.json()["to"] == "Ada@example.com"  # the domain is lower-cased, not the local part
    assert inbox[0][0].rcpt_tos == ["Ada@example.com"]


@pytest.mark.parametrize(
    "body",
    [{}, {"to": ""}, {"to": "not-an-address"}, {"to": "a@b"}, {"to": 42}, {"to": None},
     {"to": ["ada@example.com"]}, {"to": "ada@example.com\r\nBcc: eve@example.com"},
     {"to": "ada@example.com, eve@example.com"},
     {"to": "ada\x00@example.com"}, [], "ada@example.com"],
    ids=["missing", "empty", "no-at", "no-dot", "number", "null", "list", "header-injection",
         "two-addresses", "nul", "array", "string"],
)  # fmt: skip
def test_a_bad_address_is_refused_and_nothing_is_sent(client, inbox, body):
    r = client.post("/receipts", json=body)
    assert r.status_code == 400
    assert r.json() == {"error": "to: an email address"}
    assert inbox == []


@pytest.mark.parametrize(
    "content", [b"", b"{", b"to=ada@example.com", b"\xff\xfe", b'{"to": "\\ud800@example.com"}']
)
def test_a_body_that_is_not_json_is_refused(client, inbox, content):
    r = client.post("/receipts", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json() == {"error": "to: an email address"}
    assert inbox == []


def test_deeply_nested_json_is_refused(client, framework, inbox):
    r = client.post(
        "/receipts", content=b"[" * 100_000, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    # FastAPI answers from its body parser, before validation: its own HTTPException body.
    assert (
        r.json()
        == {
            "flask": {"error": "to: an email address"},
            "fastapi": {"detail": "There was an error parsing the body"},
        }[framework]
    )
    assert inbox == []


def test_a_failed_send_is_logged_not_raised(framework, topic, caplog):
    # Nothing listens on this port: the response was already sent, so the error is logged.
    module = load_module(topic, framework, env={**ENV, "MAIL_PORT": str(free_port())})

    with client_for(framework, module.app) as client:
        r = client.post("/receipts", json={"to": "ada@example.com"})
    assert r.status_code == 202
    assert "receipt to" in caplog.text and "not sent" in caplog.text


@pytest.mark.only("fastapi", reason="Flask-Mail leaks its connection then: see the next test")
def test_wrong_credentials_send_nothing(framework, topic, smtp, caplog):
    inbox, port = smtp
    env = {**ENV, "MAIL_PORT": str(port), "MAIL_PASSWORD": "wrong"}
    module = load_module(topic, framework, env=env)
    with client_for(framework, module.app) as client:
        assert client.post("/receipts", json={"to": "ada@example.com"}).status_code == 202
    assert inbox.received == []
    assert "not sent" in caplog.text


@pytest.mark.only("flask", reason="a defect of Flask-Mail's Connection")
def test_flask_mail_leaves_the_connection_open_when_login_fails(framework, topic, smtp):
    _, port = smtp
    env = {**ENV, "MAIL_PORT": str(port), "MAIL_PASSWORD": "wrong"}
    module = load_module(topic, framework, env=env)
    with module.app.app_context(), pytest.raises(smtplib.SMTPAuthenticationError) as error:
        module.mail.connect().__enter__()  # what `mail.send` does first
    frame = next(f for f, _ in traceback.walk_tb(error.tb) if f.f_code.co_name == "configure_host")
    host = frame.f_locals["host"]
    assert host.sock is not None  # connected, logged in, never closed: __exit__ never ran
    host.close()


def test_unknown_route_and_wrong_method(client, framework):
    assert_not_found(client.get("/nope"), framework)
    assert_method_not_allowed(client.get("/receipts"), framework, route_methods("POST"))
