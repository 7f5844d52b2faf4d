"""MkDocs hook (and command): the Pagefind search index of the built site.

Pagefind (https://pagefind.app, `pagefind[bin]` from PyPI) indexes built HTML into chunks
that the browser fetches on demand, stems words and weights headings. This hook runs it on
`site_dir` after every build, so the index ships with whatever built the site:
`mkdocs build`, `mkdocs gh-deploy` (which rebuilds before it pushes) and, through
`python hooks/pagefind_index.py SITE_DIR`, the Zensical build, which runs no MkDocs hooks
(there it also trims Zensical's own `search.json`: `trim_zensical_index`).

What it indexes beyond the HTML, without changing the pages written to disk (the HTML is
handed to Pagefind in memory):

- only the article of each page (`data-pagefind-body`), not the navigation, header or footer;
- the Flask names a page declares (`flask_api` front matter, `guidekit.flaskapi`) as
  strongly weighted words at the top of the page or of the declaring section, spelled as
  code spells them and as words (`get_json get json`), so a typed name finds its topic;
- every spelling of those names (`flask.Request.get_json`, `request.get_json`, `get_json`),
  lower-cased, as values of the Pagefind filter `name`, so that a query that is exactly a
  Flask name puts the page declaring it first (the Flask API index for a name no topic
  explains), and the spellings a page declares for one section only as values of the
  filter `section`; the worker's `rank` (overrides/assets/javascripts/pagefind-worker.js)
  is the lookup the search box runs;
- the `description` front matter, weighted like a heading: readers type tasks in such words;
- summary pages (`SUMMARY_PAGES`) with a low weight, so the topic that explains a name ranks
  above the pages that list it; extension pages' body text a little lower (`EXTENSION_WEIGHT`),
  the guide's tool pages' lower still (`TOOL_WEIGHT`); the three kinds as the filter `page`
  (`summary`, `extension`, `tool`), which the worker reads;
- the description as Pagefind metadata too (`data-pagefind-meta`), which measured better.

Measured in tests/site/test_search_quality.py (figures in data/search-results.json).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.utils.meta import get_data

from guidekit import flaskapi  # needs the repository root on sys.path (above)
from guidekit.topics import DOCS

#: Pages that list many names or traps and link to the topics that explain them.
SUMMARY_PAGES = frozenset(
    {
        "migrating/cheat-sheet.md",
        "migrating/migration-checklist.md",
        "migrating/known-traps.md",
        "migrating/extensions-map.md",
        flaskapi.INDEX_PAGE,
    }
)
SUMMARY_WEIGHT = "0.2"
#: An extension page's body text (not its title, headings, names or description): a reader who
#: does not name the extension wants the core topic first. Measured on 408 queries: 0.7 wins
#: 2 first results over 1, 0.5 one; top-3 unchanged.
EXTENSION_WEIGHT = "0.7"
#: The guide's own tool pages (the kit's `scan`, `port`, `parity` and reference, the
#: contributors' harness): their body text quotes Flask and FastAPI code as examples of what
#: the tools read and write, so it holds every word of a task; their titles, headings and
#: descriptions keep full weight for a reader who looks for the tool.
TOOL_PAGES = ("your-app/", "contributing/")
TOOL_WEIGHT = "0.5"  # with the worker's waiting rule: +2 first results of 438, no loss
#: Weight of a page's declared names; Pagefind's h1 is 7, its maximum 10.
NAME_WEIGHT = "10"
DESCRIPTION_WEIGHT = "5"
HEADING_WEIGHT = "9"
#: Pagefind's settings (CLI flags): one English index, stemmed.
PAGEFIND_FLAGS = ("--force-language", "en")
#: Where the index goes, inside the site: the worker loads `pagefind/pagefind.js`.
OUTPUT_DIR = "pagefind"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>')


def page_html_path(site_dir: Path, page: str) -> Path:
    """Where a docs/-relative page is built with directory URLs: `a/b.md` → `a/b/index.html`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site_dir / stem.removesuffix("index") / "index.html"
    return site_dir / stem / "index.html"


def words_of(name: str) -> str:
    """A keyword spelled as code and as words: `get_json` → `get_json get json`,
    `MAX_CONTENT_LENGTH` → `MAX_CONTENT_LENGTH MAX CONTENT LENGTH`."""
    parts = [p for p in re.split(r"[_.]", name) if p]
    return " ".join([name, *parts]) if len(parts) > 1 else name


def spellings(name: str, bare: bool = True) -> set[str]:
    """How readers type a name, lower-cased: full, as an app's code spells it, and the bare
    leaf when `bare` and the leaf names it (`flaskapi.keyword`)."""
    group, _, leaf = name.rpartition(".")
    out = {name.lower(), name.removeprefix("flask.").lower()}
    if group in flaskapi.CODE_OWNER:
        out.add(flaskapi.as_code(name).lower())
    if bare and flaskapi.keyword(name):
        out.add(leaf.lower())
    return out


def name_filters() -> dict[str, tuple[set[str], set[str]]]:
    """`{page: (names, section names)}`: the values of each page's filters `name` (every
    spelling of the names it declares, module docstring) and `section` (the spellings it
    declares only for one of its sections, `anchor` in its `flask_api`: the worker ranks a
    page that declares a name for the whole page above one that uses it in a section)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    every = flaskapi.entries()
    for name, found in every.items():
        pages = {e.page for e in found if e.page} or {flaskapi.INDEX_PAGE}
        whole = {e.page for e in found if e.page and not e.anchor}
        # A bare `errorhandler` means the app's method, not the blueprint's mirror of it.
        bare = not flaskapi._mirrors_declared_app_name(name, every)
        for page in pages:
            values, section_only = out.setdefault(page, (set(), set()))
            values.update(spellings(name, bare))
            if page not in whole and page != flaskapi.INDEX_PAGE:
                section_only.update(spellings(name, bare))
    return out


def _filters(values: set[str], key: str = "name") -> str:
    return "".join(
        f'<span data-pagefind-filter="{key}:{html.escape(v)}"></span>' for v in sorted(values)
    )


def _weighted(text: str, weight: str) -> str:
    return f'<p data-pagefind-weight="{weight}">{html.escape(text)}</p>'


def annotate(
    page_html: str,
    *,
    page_keywords: list[str],
    section_keywords: dict[str, list[str]],
    description: str | None,
    summary: bool,
    names: set[str] = frozenset(),
    section_names: set[str] = frozenset(),
    extension: bool = False,
    tool: bool = False,
) -> str:
    """The page's HTML as Pagefind should read it (see the module docstring).

    Raises LookupError when the page has no Material article or a declared section's
    heading is missing: the index would silently lose those names.
    """
    found = _ARTICLE.search(page_html)
    if not found:
        raise LookupError("no Material article in the page")
    attributes = " data-pagefind-body"
    if summary:
        attributes += f' data-pagefind-weight="{SUMMARY_WEIGHT}"'
    elif extension:
        attributes += f' data-pagefind-weight="{EXTENSION_WEIGHT}"'
    elif tool:
        attributes += f' data-pagefind-weight="{TOOL_WEIGHT}"'
    if description:  # as metadata too: measured +4 top-1, +3 top-3 of 408 (test_search_quality)
        attributes += f' data-pagefind-meta="description:{html.escape(description)}"'
    head = found.group(0)[:-1] + attributes + ">"
    top = ""
    if description:
        top += _weighted(description, DESCRIPTION_WEIGHT)
    if page_keywords:
        top += _weighted(" ".join(words_of(k) for k in page_keywords), NAME_WEIGHT)
    top += _filters(names) + _filters(section_names, "section")
    if kind := "summary" if summary else "extension" if extension else "tool" if tool else "":
        top += f'<span data-pagefind-filter="page:{kind}"></span>'  # read by the worker's ranking
    out = page_html[: found.start()] + head + page_html[found.end() :]
    if summary:
        # A heading's own weight (Pagefind's default, 7 for an h1) beats the article's: without
        # this, a summary page's headings ("Responses") outrank the topics they link to.
        out = re.sub(r"<h([1-6])(?=[\s>])", rf'<h\1 data-pagefind-weight="{SUMMARY_WEIGHT}"', out)
    else:
        # Section headings name what a section answers ("The 422 body"): weighted like the title.
        out = re.sub(r"<h([23]) id=", rf'<h\1 data-pagefind-weight="{HEADING_WEIGHT}" id=', out)
    # The names go after the h1 (Pagefind starts the page's first section there).
    h1_end = out.find("</h1>", found.start())
    insert_at = h1_end + len("</h1>") if h1_end != -1 else found.start() + len(head)
    out = out[:insert_at] + top + out[insert_at:]
    for anchor, keywords in section_keywords.items():
        heading = re.search(rf'<h([1-6])[^>]* id="{re.escape(anchor)}"[^>]*>.*?</h\1>', out, re.S)
        if not heading:
            raise LookupError(f"no heading #{anchor}")
        text = _weighted(" ".join(words_of(k) for k in keywords), NAME_WEIGHT)
        out = out[: heading.end()] + text + out[heading.end() :]
    return out


def annotations() -> dict[str, dict]:
    """`{page: {page_keywords, section_keywords, description, summary}}` for every topic page
    with something to add, from front matter (`guidekit.pages`, `guidekit.flaskapi`)."""
    out: dict[str, dict] = {}

    def entry(page: str) -> dict:
        return out.setdefault(
            page,
            {
                "page_keywords": [],
                "section_keywords": {},
                "description": None,
                "summary": page in SUMMARY_PAGES,
                "extension": page.startswith("extensions/") and page != "extensions/index.md",
                "tool": page.startswith(TOOL_PAGES) and page not in SUMMARY_PAGES,
                "names": set(),
                "section_names": set(),
            },
        )

    for (page, anchor), keywords in flaskapi.search_keywords().items():
        if anchor:
            entry(page)["section_keywords"].setdefault(anchor, []).extend(keywords)
        else:
            entry(page)["page_keywords"].extend(keywords)
    for path in sorted(DOCS.rglob("*.md")):
        meta = get_data(path.read_text(encoding="utf-8"))[1]
        if description := meta.get("description"):
            entry(path.relative_to(DOCS).as_posix())["description"] = description
    for page, (values, section_only) in name_filters().items():
        entry(page)["names"] |= values
        entry(page)["section_names"] |= section_only
    for page in SUMMARY_PAGES:
        entry(page)
    return out


def pages_to_index(site_dir: Path) -> list[tuple[str, str]]:
    """`[(path in the site, HTML as Pagefind reads it), ...]` for every built page with a
    Material article (the 404 page and redirects have none)."""
    extra = annotations()
    plain = {"page_keywords": [], "section_keywords": {}, "description": None, "summary": False}
    out = []
    for path in sorted(site_dir.rglob("index.html")):
        relative = path.relative_to(site_dir).as_posix()
        page_html = path.read_text(encoding="utf-8")
        if _ARTICLE.search(page_html):
            out.append(
                (relative, annotate(page_html, **extra.get(_source_of(relative, extra), plain)))
            )
    return out


def _build(pages: list[tuple[str, str]], output: Path) -> None:
    """Index `pages` (`(path in the site, annotated HTML)`) into `output` with Pagefind's CLI.

    The pages are written to a scratch folder at their site paths for the CLI to read. Not
    the Python API: leaving its context sends the backend SIGTERM as soon as it answers
    WriteFiles, before the last file writes reach the disk; on a busy machine the site then
    shipped a `pagefind.js` cut at 32,768 bytes, and a worker whose import failed never
    answered. The CLI writes everything and exits on its own; a failure stops the build.
    """
    with tempfile.TemporaryDirectory(prefix="pagefind-") as scratch:
        for relative, page_html in pages:
            target = Path(scratch, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_html, encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", scratch, "--output-path", output]
        subprocess.run([*command, *PAGEFIND_FLAGS, "--quiet"], check=True)  # noqa: S603


def _source_of(built: str, pages: dict[str, dict]) -> str | None:
    for page in pages:
        if page_html_path(Path("."), page).as_posix() == built:
            return page
    return None


def build_index(site_dir: Path) -> int:
    """Index `site_dir` into `site_dir/pagefind/`; the number of pages indexed."""
    pages = pages_to_index(Path(site_dir))
    _build(pages, Path(site_dir).resolve() / OUTPUT_DIR)
    return len(pages)


#: Where the theme's lunr index is kept when KEEP_LUNR_INDEX is set (`nox -s search_quality`
#: compares it with Pagefind); never shipped otherwise.
LUNR_INDEX = "search/lunr_index.json"


def empty_theme_index(site_dir: Path) -> None:
    """Leave the theme's `search/search_index.json` with its settings and no documents.

    The theme fetches it on every page load and hands it to its worker, which is
    Pagefind's now (overrides/main.html): its 1.3 MB (301 KiB with gzip) were most of
    what a page cost to open.
    """
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.is_file():
        return
    if os.environ.get("KEEP_LUNR_INDEX"):
        shutil.copyfile(index_file, site_dir / LUNR_INDEX)
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["docs"] = []
    index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


#: What Zensical's search UI reads of each entry of its `search.json` to draw a result row
#: (its bundle.*.min.js); the rest, mostly each section's whole text, took the file from
#: 0.22 MB to 1.6 MB (17 KB to 355 KB with gzip), fetched by every page on load.
ZENSICAL_ITEM_KEYS = ("location", "title", "path")


def trim_zensical_index(site_dir: Path) -> None:
    """Leave Zensical's `search.json` with its settings and, of each page and section, only
    what the UI draws a row from: no text to search (Pagefind's worker, loaded in its place
    by overrides/main.html, searches) and an empty excerpt.

    The page fetches the file on load and draws a result row from entry `id` of it, so it
    stays, one entry for each of Zensical's (pagefind-zensical.js answers with those ids).
    Leaves a site without the file (a MkDocs build) as it is.
    """
    index_file = site_dir / "search.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["items"] = [
        {**{k: item[k] for k in ZENSICAL_ITEM_KEYS if k in item}, "text": ""}
        for item in index["items"]
    ]
    index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


@event_priority(-200)  # after hooks/search_keywords.py has finished the theme's index
def on_post_build(config):
    empty_theme_index(Path(config["site_dir"]))
    count = build_index(Path(config["site_dir"]))
    if count == 0:
        raise LookupError("Pagefind indexed no page: is the theme still Material?")


if __name__ == "__main__":
    trim_zensical_index(Path(sys.argv[1]))
    indexed = build_index(Path(sys.argv[1]))
    print(f"pagefind: {indexed} pages indexed")
    sys.exit(0 if indexed else "pagefind: no page has a Material article: nothing indexed")
