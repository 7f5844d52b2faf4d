from flask import Blueprint, make_response, render_template_string
from werkzeug.middleware.proxy_fix import ProxyFix

bp = Blueprint("public", __name__, url_prefix="/pages")
unused = ProxyFix


@bp.get("/<slug>")
def page(slug):
    return make_response(render_template_string("<p>{{ slug }}</p>", slug=slug))
