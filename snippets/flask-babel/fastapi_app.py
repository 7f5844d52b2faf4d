"""Babel directly: a locale dependency, translated messages, dates and money.

Run it with: fastapi dev fastapi_app.py
"""

import os
import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations
from fastapi import Depends, FastAPI, Header
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

TRANSLATIONS = Path(__file__).parent / "translations"  # the same catalogs, unchanged
LOCALES = ["en", "fr", "de"]


def compile_catalogs() -> None:
    """messages.po → messages.mo for each locale (in production: `pybabel compile`)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with tempfile.NamedTemporaryFile(dir=po.parent, delete=False) as out:
            write_mo(out, catalog)
        os.replace(out.name, po.with_suffix(".mo"))


compile_catalogs()
app = FastAPI()


def request_locale(accept_language: Annotated[str, Header()] = "") -> Locale:
    # Werkzeug's parser, the one Flask's request.accept_languages uses: same q-values,
    # same "de-CH" → "de" fallback.
    best = parse_accept_header(accept_language, LanguageAccept).best_match(LOCALES)
    return Locale.parse(best or "en")


@lru_cache
def translations(locale: str) -> NullTranslations:
    return Translations.load(TRANSLATIONS, [locale])  # NullTranslations without a catalog


def N_(message: str) -> str:
    """Marks a message for `pybabel extract`; translated later, per request."""
    return message


STATUS = {"shipped": N_("Shipped")}  # lazy_gettext's role: the id now, the text per request
ORDER = {"status": "shipped", "items": 3, "placed": date(2026, 3, 14), "total": Decimal("1234.50")}


@app.get("/order")
def order(locale: Annotated[Locale, Depends(request_locale)]):
    t = translations(str(locale))
    count = ORDER["items"]
    return {
        "locale": str(locale),
        "title": t.gettext("Your order"),
        "status": t.gettext(STATUS[ORDER["status"]]),
        "items": t.ngettext("%(num)d item", "%(num)d items", count) % {"num": count},
        "placed": format_date(ORDER["placed"], format="long", locale=locale),
        "total": format_currency(ORDER["total"], "EUR", locale=locale),
    }
