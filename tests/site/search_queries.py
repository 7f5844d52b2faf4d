"""The search query set (data/search-queries.toml) and the two engines that answer it.

`queries()` reads the set, adding the titles of data/field-reports.toml; `flask_names()`
gives the 533 names of the Flask API index typed as code and as full dotted names, each with
the locations that count as right. `run_batch(page, engine, queries)` answers many queries
in one loaded page of the built site:

- "pagefind": the search the site ships: the worker the search box talks to
  (overrides/assets/javascripts/pagefind-worker.js) on the index hooks/pagefind_index.py
  made in the same build, asked for the whole batch in one message (its `rankAll`: the
  ranking the search box gets, pages only); test_search_quality.py also types into the box;
- "material": the theme's own lunr worker on the theme's index, with the settings of
  mkdocs.yml and hooks/search_keywords.py, as the site shipped it before; the build keeps
  that index (`LUNR_INDEX`) only with KEEP_LUNR_INDEX=1, as `nox -s search_quality` sets.

`nox -s search_quality` writes both engines' figures to `RESULTS_FILE`.

Results are `{query: [location, ...]}`, best first, one location per page
(`requests/json-body/`, `""` for the home page).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from guidekit import flaskapi
from guidekit.topics import ROOT

QUERY_FILE = ROOT / "data" / "search-queries.toml"
RESULTS_FILE = ROOT / "data" / "search-results.json"
FIELD_REPORTS = ROOT / "data" / "field-reports.toml"
KINDS = ("names", "errors", "tasks", "unseen")


@dataclass(frozen=True)
class Query:
    text: str
    pages: tuple[str, ...]  # docs/-relative pages that answer it
    kind: str  # "names", "errors", "tasks", "unseen" (held out) or "report"

    @property
    def locations(self) -> set[str]:
        return {location(p) for p in self.pages}


def location(page: str) -> str:
    """A docs/-relative page as the site locates it: `requests/json-body/`, "" for index.md."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def queries() -> list[Query]:
    """Every query of the set, with the field reports' titles (each answered by its topic;
    a report's `query`, title and first lines, where its title names nothing but "it")."""
    data = tomllib.loads(QUERY_FILE.read_text(encoding="utf-8"))
    out = [Query(text, tuple(pages), kind) for kind in KINDS for text, pages in data[kind].items()]
    out += [Query(r["title"], tuple(r["pages"]), "report") for r in data.get("report", [])]
    topics = _topic_pages()
    for path in _field_report_files():
        reports = tomllib.loads(path.read_text(encoding="utf-8")).get("report", [])
        for report in reports:
            # `query`: the title and the author's first line(s), where the title says only "it"
            text = report.get("query") or report.get("title")
            if text and report.get("topic") in topics:
                out.append(Query(text, (topics[report["topic"]],), "report"))
    seen: set[str] = set()
    unique = []
    for query in out:  # a field report's title may repeat one of ours: keep the first
        if query.text not in seen:
            seen.add(query.text)
            unique.append(query)
    return unique


def _field_report_files() -> list[Path]:
    """data/field-reports.toml, or the files SEARCH_FIELD_REPORTS lists (`:`-separated), to
    measure against a corpus still being written elsewhere."""
    if listed := os.environ.get("SEARCH_FIELD_REPORTS"):
        return [Path(p) for p in listed.split(":")]
    return [FIELD_REPORTS] if FIELD_REPORTS.is_file() else []


def _topic_pages() -> dict[str, str]:
    """`{topic folder: docs/-relative page}`: `json-body` → `requests/json-body.md`."""
    return {p.stem: p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}


def topics_of(entries: list[flaskapi.Entry]) -> set[str]:
    """The pages that count as right for a name: its declaring page; for a name with no
    counterpart topic, the Flask API index or the topic its entry names (`see`)."""
    out = set()
    for entry in entries:
        if entry.page:
            out.add(entry.page)
        else:
            out.add(flaskapi.INDEX_PAGE)
            if entry.see:
                out.add(entry.see)
    return out


def flask_names() -> dict[str, list[Query]]:
    """`{"as code": [...], "full name": [...]}`: one query per name of the Flask API index."""
    out: dict[str, list[Query]] = {"as code": [], "full name": []}
    for name, found in flaskapi.entries().items():
        pages = tuple(sorted(topics_of(found)))
        out["as code"].append(Query(flaskapi.as_code(name), pages, "flask-name"))
        out["full name"].append(Query(name, pages, "flask-name"))
    return out


# A search worker driven as the theme drives it: set up (0 → 1), then one query at a time
# (2 → 3). Results come grouped by page, best page first.
_WORKER_BATCH = """
async ([queries, worker_url, index_url]) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base + "/", location.href);
  const index = await (await fetch(new URL(index_url, base))).json();
  const worker = new Worker(new URL(worker_url, base));
  const next = () => new Promise(resolve =>
    worker.addEventListener("message", event => resolve(event.data), { once: true }));
  worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs,
                                        options: { suggest: false } } });
  while ((await next()).type !== 1) {}  // 1: ready
  const out = {};
  for (const query of queries) {
    worker.postMessage({ type: 2, data: query });  // 2: query
    let message;
    while ((message = await next()).type !== 3) {}  // 3: result
    out[query] = message.data.items.map(group => group[0].location.split("#")[0]);
  }
  worker.terminate();
  return out;
}
"""

# The site's worker answers a whole batch in one message ("rank": its `rankAll`, the ranking
# the search box gets, with each page's location read once instead of every result's
# excerpts built): the query set costs seconds instead of minutes.
_PAGEFIND_BATCH = """
async ([queries, worker_url, timeout_ms]) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const worker = new Worker(new URL(worker_url, new URL(config.base + "/", location.href)));
  const answered = new Promise((resolve, reject) => {
    worker.addEventListener("message", ({ data }) =>
      data.error ? reject(new Error(data.error)) : resolve(data.data), { once: true });
    worker.addEventListener("error", event => reject(new Error(event.message)), { once: true });
    setTimeout(() => reject(new Error(`no answer in ${timeout_ms} ms`)), timeout_ms);
  });
  worker.postMessage({ type: "rank", data: queries });
  try {
    return await answered;
  } finally {
    worker.terminate();
  }
}
"""

ENGINES = ("pagefind", "material")


#: The longest a batch may take: about 1,500 queries took 43 s on 2 busy cores.
BATCH_TIMEOUT_MS = 300_000
#: The worker the site ships (overrides/assets/javascripts/pagefind-worker.js).
PAGEFIND_WORKER = "assets/javascripts/pagefind-worker.js"
#: The theme's index as hooks/search_keywords.py finished it, kept by KEEP_LUNR_INDEX=1.
LUNR_INDEX = "search/lunr_index.json"


def run_batch(page, engine: str, texts: list[str]) -> dict[str, list[str]]:
    """Answer `texts` with `engine` in `page` (already on a page of the built site):
    the site's own worker, or the theme's lunr worker on the theme's full index."""
    if engine == "pagefind":
        return page.evaluate(_PAGEFIND_BATCH, [texts, PAGEFIND_WORKER, BATCH_TIMEOUT_MS])
    from .conftest import SITE_DIR

    worker = next((SITE_DIR / "assets" / "javascripts" / "workers").glob("search.*.js"))
    args = [texts, worker.relative_to(SITE_DIR).as_posix(), LUNR_INDEX]
    return page.evaluate(_WORKER_BATCH, args)


@dataclass(frozen=True)
class Score:
    total: int
    top1: int
    top3: int
    empty: int
    misses: tuple[str, ...]  # not in the first three: "query → what came first"

    def line(self, label: str) -> str:
        return (
            f"{label:28} top-1 {self.top1 / self.total:6.1%}  top-3 {self.top3 / self.total:6.1%}"
            f"  ({self.top1}/{self.top3}/{self.total}, {self.empty} empty)"
        )

    def as_dict(self) -> dict:
        return {
            "queries": self.total,
            "top1": round(self.top1 / self.total, 4),
            "top3": round(self.top3 / self.total, 4),
            "empty": self.empty,
        }


def score(set_: list[Query], results: dict[str, list[str]]) -> Score:
    top1 = top3 = empty = 0
    misses = []
    for query in set_:
        found = results[query.text]
        if not found:
            empty += 1
        top1 += bool(found) and found[0] in query.locations
        if query.locations & set(found[:3]):
            top3 += 1
        else:
            misses.append(f"{query.text!r} → {found[:3]} (expected {sorted(query.locations)})")
    return Score(len(set_), top1, top3, empty, tuple(misses))


def figures(results: dict[str, list[str]]) -> dict[str, Score]:
    """An engine's scores: the whole set, each kind of query, the Flask names two ways."""
    set_ = queries()
    out = {"set": score(set_, results)}
    for kind in (*KINDS, "report"):
        out[kind] = score([q for q in set_ if q.kind == kind], results)
    for form, names in flask_names().items():
        out[f"flask names {form}"] = score(names, results)
    return out


def all_texts() -> list[str]:
    """Every query an engine is asked: the set and both forms of the Flask names."""
    texts = {q.text for q in queries()}
    texts |= {q.text for names in flask_names().values() for q in names}
    return sorted(texts)
