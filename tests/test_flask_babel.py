"""flask-babel: Flask-Babel → Babel directly, with a locale dependency.

Both apps compile the committed .po catalogs (snippets/flask-babel/translations) to .mo
when they start, with Babel's own reader and writer, so the catalogs tested are the
committed ones. Babel's CLDR data gives the separators: U+202F (narrow no-break space)
groups thousands in French, U+00A0 (no-break space) precedes the euro sign.
"""

import pytest

from tests.expect import assert_method_not_allowed, assert_not_found, route_methods

ENGLISH = {
    "locale": "en",
    "title": "Your order",
    "status": "Shipped",
    "items": "3 items",
    "placed": "March 14, 2026",
    "total": "€1,234.50",
}
FRENCH = {
    "locale": "fr",
    "title": "Votre commande",
    "status": "Expédiée",
    "items": "3 articles",
    "placed": "14 mars 2026",
    "total": "1\u202f234,50\u00a0€",
}
GERMAN = {
    "locale": "de",
    "title": "Ihre Bestellung",
    "status": "Versandt",
    "items": "3 Artikel",
    "placed": "14. März 2026",
    "total": "1.234,50\u00a0€",
}


def order(client, accept_language: str | None = None) -> dict:
    headers = {} if accept_language is None else {"accept-language": accept_language}
    r = client.get("/order", headers=headers)
    assert r.status_code == 200
    return r.json()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr", FRENCH),
        ("fr-FR,fr;q=0.9,en;q=0.8", FRENCH),
        ("de", GERMAN),
        ("de-CH", GERMAN),  # a regional variant falls back to its language
        ("de;q=0.5, fr;q=0.8", FRENCH),  # q-values decide, not the order
        ("en-US,en;q=0.9", ENGLISH),
    ],
)
def test_the_locale_comes_from_accept_language(client, accept_language, expected):
    assert order(client, accept_language) == expected


@pytest.mark.parametrize(
    "accept_language",
    [None, "", "es", "*", "de;q=0", "fr;q=abc", "x" * 5000, "zz-ZZ-123456789", ";;,,"],
    ids=["none", "empty", "unsupported", "wildcard", "refused", "bad-q", "long", "odd", ";"],
)
def test_anything_else_falls_back_to_english(client, accept_language):
    assert order(client, accept_language) == ENGLISH


def test_a_lazy_message_is_translated_per_request(client):
    # STATUS is built once, at import; each request sees it in its own locale.
    assert [order(client, lang)["status"] for lang in ("fr", "de", "en", "fr")] == [
        "Expédiée",
        "Versandt",
        "Shipped",
        "Expédiée",
    ]


def test_the_catalogs_are_compiled_from_the_committed_po_files(snippet):
    for locale in ("fr", "de"):
        po = snippet.TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime


@pytest.mark.only("fastapi", reason="Flask-Babel's ngettext fills %(num)d itself")
def test_babels_ngettext_leaves_the_placeholder(snippet):
    t = snippet.translations("fr")
    assert t.ngettext("%(num)d item", "%(num)d items", 3) == "%(num)d articles"


@pytest.mark.only("flask", reason="Flask-Babel's ngettext")
def test_flask_babels_ngettext_fills_num(snippet):
    with snippet.app.test_request_context(headers={"Accept-Language": "fr"}):
        assert snippet.ngettext("%(num)d item", "%(num)d items", 3) == "3 articles"


def test_unknown_route_and_wrong_method(client, framework):
    assert_not_found(client.get("/nope"), framework)
    assert_method_not_allowed(client.post("/order"), framework, route_methods("GET"))
