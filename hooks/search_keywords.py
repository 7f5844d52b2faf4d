"""MkDocs hook: the Flask names a page declares (`flask_api` front matter) become strong
search matches for that page.

Material's search index has a `tags` field, boosted far above titles and text. After the
search plugin has written `search/search_index.json`, this hook adds each page's declared
names, spelled as code spells them (`request.get_json`, `app.errorhandler`), as tags of the
page's entry (or of the section named by the declaration's anchor). Names with no counterpart
topic become tags of their section on the Flask API index. Hidden chips: `extra.css` shows only
the tags that matched the query.

Zensical does not run MkDocs hooks: its build has the same pages without these keywords.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidekit import flaskapi  # needs the repository root on sys.path (above)

_urls: dict[str, str] = {}


def on_page_context(context, page, config, nav):
    _urls[page.file.src_uri] = page.url
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
    index_file.write_text(json.dumps(index, separators=(",", ":")))
