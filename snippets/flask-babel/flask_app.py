"""Flask-Babel: the locale from Accept-Language, translated messages, dates and money.

Run it with: flask --app flask_app run
"""

import os
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import (
    Babel,
    format_currency,
    format_date,
    get_locale,
    gettext,
    lazy_gettext,
    ngettext,
)

TRANSLATIONS = Path(__file__).parent / "translations"  # <locale>/LC_MESSAGES/messages.po
LOCALES = ["en", "fr", "de"]  # en: the messages as written, no catalog


def compile_catalogs() -> None:
    """messages.po → messages.mo for each locale (in production: `pybabel compile`)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with tempfile.NamedTemporaryFile(dir=po.parent, delete=False) as out:
            write_mo(out, catalog)
        os.replace(out.name, po.with_suffix(".mo"))  # atomic: another process may read it


compile_catalogs()
app = Flask(__name__)
app.config["BABEL_DEFAULT_LOCALE"] = "en"
app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)


def select_locale() -> str:
    # q-values count; "de-CH" falls back to "de"; nothing acceptable falls back to "en".
    return request.accept_languages.best_match(LOCALES) or "en"


babel = Babel(app, locale_selector=select_locale)

# Defined at import, translated each time it is turned into a string, in that request's locale.
STATUS = {"shipped": lazy_gettext("Shipped")}
ORDER = {"status": "shipped", "items": 3, "placed": date(2026, 3, 14), "total": Decimal("1234.50")}


@app.get("/order")
def order():
    return {
        "locale": str(get_locale()),
        "title": gettext("Your order"),
        "status": str(STATUS[ORDER["status"]]),
        "items": ngettext("%(num)d item", "%(num)d items", ORDER["items"]),  # fills num
        "placed": format_date(ORDER["placed"], format="long"),
        "total": format_currency(ORDER["total"], "EUR"),
    }
