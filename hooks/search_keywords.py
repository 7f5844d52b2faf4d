"""MkDocs hook: what the theme's lunr search index holds beyond titles and text.

The site's search box answers from Pagefind now (hooks/pagefind_index.py, which empties the
theme's index after this hook): this index is kept, with KEEP_LUNR_INDEX=1, so that
`nox -s search_quality` compares Material's search tuned as far as it went with Pagefind.

- Keywords: the Flask names a page declares (`flask_api` front matter) become strong search
  matches for that page. Material's search index has a `tags` field, boosted above titles and
  text (mkdocs.yml). After the search plugin has written `search/search_index.json`, this hook
  adds each page's declared names, spelled as code spells them (`request.get_json`,
  `app.errorhandler`), as tags of the page's entry (or of the section named by the
  declaration's anchor). Names with no counterpart topic become tags of their section on the
  Flask API index. Hidden chips: `extra.css` shows only the tags that matched the query.
- Descriptions: a page's `description` front matter becomes the `description` field of its
  entry (boosted like a title in mkdocs.yml). Readers type tasks ("read a request header"),
  and descriptions say what a page does in such words; its text alone weighs too little.
- Stop words: `on_config` adds lunr's English stop words to the search separator, so a query
  drops them as the index does. The index's `stopWordFilter` removes them from pages, but
  Material appends a wildcard to every query word and lunr skips the pipeline for wildcard
  terms: `a` in "add a middleware" matched every indexed word starting with `a`
  (`add_url_rule`, `abort`, `after_request`), as strongly as a word the reader meant.

Measured in tests/site/test_search_quality.py (numbers in its module docstring).
Zensical does not run MkDocs hooks: its build has the same pages without these additions.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidekit import flaskapi  # needs the repository root on sys.path (above)

#: lunr 2.3.9's English stop words (`lunr.stopWordFilter`, bundled in Material's search
#: worker; tests/site/test_search_quality.py checks that the built worker has the same list).
STOP_WORDS = (  # noqa: SIM905 - 8 lines to read instead of a list literal of 119
    "a able about across after all almost also am among an and any are as at be because been"
    " but by can cannot could dear did do does either else ever every for from get got had has"
    " have he her hers him his how however i if in into is it its just least let like likely"
    " may me might most must my neither no nor not of off often on only or other our own"
    " rather said say says she should since so some than that the their them then there these"
    " they this tis to too twas us wants was we were what when where which while who whom why"
    " will with would yet you your"
).split()

_urls: dict[str, str] = {}
_descriptions: dict[str, str] = {}


def stop_word_separator(words=STOP_WORDS) -> str:
    """A separator alternative matching whole stop words, lower or capitalized ("The").

    Whole words only: `\\b` does not fall inside `is_json` or `get_json` (`_` is a word
    character), so identifiers keep their stop-word parts.
    """
    alternatives = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in sorted(words))
    return rf"\b(?:{alternatives})\b"


@event_priority(100)  # before the search plugin copies its settings into its index
def on_config(config):
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None or not search.config.separator:
        raise LookupError("mkdocs.yml's search plugin must set a separator (see its comment)")
    search.config.separator += "|" + stop_word_separator()
    return config


def on_page_context(context, page, config, nav):
    _urls[page.file.src_uri] = page.url
    if description := page.meta.get("description"):
        _descriptions[page.url] = html.escape(description)
    return context


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    index_file = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text())
    by_location = {doc["location"]: doc for doc in index["docs"]}
    for (page, anchor), keywords in flaskapi.search_keywords().items():
        url = _urls.get(page)
        if url is None:
            continue  # not built (a page outside the nav is reported by the strict build)
        doc = by_location.get(f"{url}#{anchor}" if anchor else url)
        if doc is None:
            raise LookupError(f"search index has no entry for {page}#{anchor}")
        doc["tags"] = [*doc.get("tags", []), *keywords]
    for url, description in _descriptions.items():
        if doc := by_location.get(url):
            doc["description"] = description
    index_file.write_text(json.dumps(index, separators=(",", ":")))
