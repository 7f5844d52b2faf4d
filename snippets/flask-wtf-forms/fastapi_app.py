"""The same WTForms form in FastAPI: WTForms directly, with a CSRF token in the session.

Run it with: fastapi dev fastapi_app.py
Needs SECRET_KEY in the environment; it refuses to start without it.
"""

import hmac
import os
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from jinja2 import Environment
from starlette.middleware.sessions import SessionMiddleware
from wtforms import Form as WTForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = FastAPI()
app.add_middleware(
    SessionMiddleware, secret_key=secret("SECRET_KEY"), https_only=True, same_site="lax"
)

TAKEN = {"alice"}


class SignupForm(WTForm):  # wtforms.Form instead of FlaskForm: the fields do not change
    username = StringField("Username", validators=[DataRequired(), Length(3, 20)])
    email = StringField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords must match.")]
    )

    def validate_username(self, field):
        if field.data.lower() in TAKEN:
            raise ValidationError("That username is taken.")


class CSRFError(Exception):
    """Raised by `check_csrf`; the handler below answers 400, as Flask-WTF's CSRFProtect."""


def generate_csrf(request: Request) -> str:
    """One random token per session (the signed session cookie keeps it from forgery)."""
    return request.session.setdefault("csrf_token", secrets.token_urlsafe(32))


def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    if not csrf_token:
        raise CSRFError("The CSRF token is missing.")
    expected = request.session.get("csrf_token")
    if expected is None:
        raise CSRFError("The CSRF session token is missing.")
    if not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        raise CSRFError("The CSRF tokens do not match.")


@app.exception_handler(CSRFError)
async def csrf_refused(request: Request, exc: CSRFError):
    return PlainTextResponse(str(exc), 400)


PAGE = Environment(autoescape=True).from_string("""<form method="post">
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
{% for field in [form.username, form.email, form.password, form.confirm] %}
<p>{{ field.label }} {{ field() }}
{% for error in field.errors %}<span class="error">{{ error }}</span>{% endfor %}</p>
{% endfor %}
<button>Sign up</button></form>""")


def render(request: Request, form: SignupForm, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.render(form=form, csrf_token=generate_csrf(request)), status)


@app.get("/signup")
def signup_form(request: Request):
    return render(request, SignupForm())


@app.post("/signup", dependencies=[Depends(check_csrf)])
async def signup(request: Request):
    form = SignupForm(await request.form())  # Starlette's FormData has the getlist WTForms needs
    if not form.validate():
        return render(request, form, 422)
    TAKEN.add(form.username.data.lower())
    return RedirectResponse("/welcome", 303)


@app.get("/welcome", response_class=HTMLResponse)
def welcome():
    return "<p>Welcome!</p>"
