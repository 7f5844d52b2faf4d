// Zensical's search UI protocol, answered by the same Pagefind ranking as Material's.
//
// Loaded by pagefind-worker.js (importScripts: one classic worker, one global scope), whose
// `rank()`, `RESULTS` and `root` it uses. Zensical 0.0.73 starts the worker that
// `__config.search` names, like Material, but speaks another protocol (read from its
// bundle.*.min.js and workers/search.*.min.js):
//
// - setup: {type: 0, data: {config, items}}, `items` being the site's search.json (which
//   hooks/pagefind_index.py trims to each page's and section's location, title and path);
//   answer {type: 1};
// - query: {type: 2, data: {input, filter, aggregation, page}}, `input` the box's text with
//   `&`, `<`, `>` escaped as entities (an object when the box is empty and tags are picked);
//   answer {type: 3, data: {items: [{id, matches}], pagination: {total}}}. The UI draws each
//   item from `search.json`'s items[id] (title, path as breadcrumbs, text as excerpt) and
//   highlights the ranges `matches` give; none are given here. With no `pagination.prev`, the
//   answer replaces the list; with no `pagination.next`, the UI asks for no further page.
//
// The rows: each Pagefind result's page, then its matching sections, as group() shows them to
// Material. A page or section missing from search.json (the UI could not draw it) is skipped.

const zensical = {
  /** `{absolute URL: index in the UI's items}`, set by a Zensical setup message. */
  ids: null,

  /** Whether a setup message is Zensical's: it carries `items` where Material's has `docs`. */
  setup(data) {
    if (!Array.isArray(data?.items)) return false;
    // The UI has already made each location absolute against the site's base.
    this.ids = new Map(data.items.map((item, id) => [new URL(item.location, root).href, id]));
    return true;
  },

  /** Whether a query message is Zensical's: an object where Material's is a string. */
  speaks: (query) => typeof query !== "string",

  /** The box's text from a Zensical query: `input` unescaped, "" when it is not text. */
  text: (query) =>
    typeof query?.input === "string"
      ? query.input.replace(/&(amp|lt|gt);/g, (_, e) => ({ amp: "&", lt: "<", gt: ">" })[e])
      : "",

  /** The answer to a Zensical query, ranked by `rank()` (pagefind-worker.js). */
  async answer(query) {
    const found = (await rank(this.text(query))).slice(0, RESULTS);
    const rows = [];
    const seen = new Set();
    const add = (url) => {
      const id = this.ids?.get(new URL(url, root).href);
      if (id === undefined || seen.has(id)) return;
      seen.add(id);
      rows.push({ id, matches: [] });
    };
    // Each result's data is a fragment file: fetched all at once, as group() does.
    for (const data of await Promise.all(found.map((result) => result.data()))) {
      add(data.url);
      (data.sub_results || [])
        .filter((s) => s.url.includes("#") && s.title !== data.meta.title) // not the h1 again
        .slice(0, 3)
        .forEach((s) => add(s.url));
    }
    return this.none(rows);
  },

  /** An answer listing `rows` (none by default): one page of results, nothing to append. */
  none: (rows = []) => ({ items: rows, pagination: { total: rows.length } }),
};
