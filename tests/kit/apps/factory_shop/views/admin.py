from flask import Blueprint, g, session
from flask_wtf.csrf import CSRFProtect

bp = Blueprint("admin", __name__)
csrf = CSRFProtect()


@bp.before_request
def require_admin():
    g.user = session.get("user")


@bp.route("/")
def dashboard():
    return {"user": g.user}
