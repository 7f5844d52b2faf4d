"""Flask-WTF: a FlaskForm with validators, re-rendered with its errors; CSRF on every POST.

Run it with: flask --app flask_app run
Needs SECRET_KEY in the environment; it refuses to start without it.
"""

import os

from flask import Flask, redirect, render_template_string
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError


def secret(name: str) -> str:
    """A secret from the environment. No default: a value written here is public."""
    if value := os.environ.get(name):
        return value
    raise RuntimeError(f"{name} is not set: refusing to start without it")


app = Flask(__name__)
app.config.update(
    SECRET_KEY=secret("SECRET_KEY"),  # signs the session and the CSRF tokens
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_SAMESITE="Lax",
)
csrf = CSRFProtect(app)  # every POST, PUT, PATCH and DELETE needs the token

TAKEN = {"alice"}


class SignupForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 20)])
    email = StringField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords must match.")]
    )

    def validate_username(self, field):  # validate_<field>: runs after the field's validators
        if field.data.lower() in TAKEN:
            raise ValidationError("That username is taken.")


PAGE = """<form method="post">
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
{% for field in [form.username, form.email, form.password, form.confirm] %}
<p>{{ field.label }} {{ field() }}
{% for error in field.errors %}<span class="error">{{ error }}</span>{% endfor %}</p>
{% endfor %}
<button>Sign up</button></form>"""


def render(form: SignupForm, status: int = 200):
    return render_template_string(PAGE, form=form, csrf_token=generate_csrf()), status


@app.get("/signup")
def signup_form():
    return render(SignupForm())


@app.post("/signup")
def signup():
    form = SignupForm()  # reads request.form itself
    if not form.validate_on_submit():
        return render(form, 422)  # the same page, with the messages and the values sent
    TAKEN.add(form.username.data.lower())
    return redirect("/welcome", 303)


@app.get("/welcome")
def welcome():
    return "<p>Welcome!</p>"


@app.errorhandler(CSRFError)
def csrf_refused(error):
    return error.description, 400, {"content-type": "text/plain; charset=utf-8"}
