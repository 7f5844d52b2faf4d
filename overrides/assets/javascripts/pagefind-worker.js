// Material's search worker protocol, answered by Pagefind.
//
// Material's theme runs its search box (header, `/` and `s`, arrows, Enter, result list) and
// talks to a worker: {type: 0, data: {config, docs}} sets it up (answer {type: 1}), {type: 2,
// data: query} asks (answer {type: 3, data: {items}}, one group of documents per page, best
// first). overrides/main.html points the theme at this worker instead of its lunr one, and
// hooks/pagefind_index.py leaves the theme's own index empty, so a page downloads no search
// data until the reader types: then Pagefind's module, its WebAssembly and the index chunks
// the words need (pagefind/, written by the same build).
//
// Ranking (measured in tests/site/test_search_quality.py, which drives this very worker):
// Pagefind's own (stemmed words, headings weighted, the page's Flask names weighted by the
// hook), with these additions for what readers paste and type:
// - code punctuation becomes spaces and the owners `app.`/`bp.` go;
// - a page whose matched words stand together as typed counts more (PHRASE), a summary page
//   less (SUMMARY_FACTOR, hook's filter `page`);
// - so does a page whose title, description or one section heading holds every content word
//   of the query (HEADING);
// - a query fewer than FULL topic pages match in full gets, after them, the pages that match
//   most of its content words (a long pasted title often matches only a summary page or one
//   of the guide's tool pages, which then wait among those);
// - a query that is exactly a Flask name puts the pages declaring it (filter `name`) first,
//   and so does a name's attribute, call or subscript that is no name itself
//   (`request.form.get`, `session['user_id']`: the pages declaring the owner); a page that
//   declares the name for one section only (filter `section`) comes after those declaring
//   it for the whole page; a pasted traceback line (`werkzeug.exceptions.BadRequestKeyError:
//   400 Bad Request...`) is looked up by its exception's name too.

const root = new URL("../../", self.location.href);
const RESULTS = 10;
let pagefind;

function load() {
  // A failed start (a fetch refused by a busy server) is not kept: the next query retries.
  pagefind ??= import(new URL("pagefind/pagefind.js", root).href)
    .then(async (module) => {
      await module.options({ baseUrl: root.pathname, excerptLength: 24 });
      await module.init();
      return module;
    })
    .catch((error) => {
      pagefind = undefined;
      throw error;
    });
  return pagefind;
}

const words = (query) =>
  query
    .replace(/[.()[\]@="'<>:{},`;!?+*|]+/g, " ")
    .split(/\s+/)
    .filter((w) => w && w !== "app" && w !== "bp");

const asName = (query) =>
  query
    .trim()
    .replace(/^from flask import /, "")
    .replace(/^@/, "")
    .replace(/\(.*\)$/, "")
    .toLowerCase();

/** The Flask names a query may be: itself, else without its subscript or last attribute, as
 *  code uses a name (`session['user_id']` → `session`, `request.form.get` → `request.form`). */
const asNames = (query) => {
  const name = asName(query);
  const owner = name.includes("[") ? name.replace(/\[.*\]$/, "") : name.replace(/\.\w+$/, "");
  const names = /^[\w.]+$/.test(owner) && owner !== name ? [name, owner] : [name];
  // A traceback's last line: the exception's name, a colon, its message.
  const raised = query.trim().match(/^([A-Za-z_][\w.]*(?:Error|Exception)): /);
  return raised ? [...names, raised[1].toLowerCase()] : names;
};

/** A summary page's score counts this much when results are ordered: a topic page with a
 *  comparable score comes first (measured: no first result changed, 4 misses moved up). */
const SUMMARY_FACTOR = 0.3;
/** How much a page whose matched words stand together counts: its score times 1 + PHRASE × the
 *  share of the query's words in its longest run of adjacent matched words (a pasted error
 *  message or title found as written). Measured on the 408 queries: 1 wins 10 first results
 *  and loses 2 (0.5: +6 -2, 3: same first results as 1 and 2 more out of the top 3). */
const PHRASE = 1;

/** How much more a page counts whose title, description or one h2/h3 holds every content word
 *  of the query (a reader types the task a heading names). Measured on the 408 queries: 1 wins
 *  4 first results and loses none (a heading holding only some of the words, share-weighted:
 *  -1 first result, +3 in the first three; 2 or 0.5 instead of 1: one first result fewer). */
const HEADING = 1;
/** Fewer topic pages than this matching every word: the partial matches join them. Measured
 *  on 441 queries: 5 or 10 win one first result over 3 ("Migrating from Flask to FastAPI,
 *  Part 3": a tool page matched in full, with two topic pages) and lose none; 4 changes none. */
const FULL = 5;
/** How many of the first results are read for their headings (each page's data is read once). */
const HEADING_DEPTH = 20;
/** Words that say nothing about which page answers: grammar and the two frameworks' names. */
const STOP = new Set(
  ("a an and are as at be by can do does for from how i in is it my of on or the to with " +
    "what when why not no fastapi flask").split(" "),
);
/** A word as headings are compared: lower case, an English plural or -ing/-ed ending dropped
 *  (Pagefind stems its index, but its stemmer is not exposed to the worker). */
const stem = (word) =>
  word
    .toLowerCase()
    .replace(/'s$/, "")
    .replace(/(?<=\w{3})(ing|ed|es|s)$/, "");
const content = (text) =>
  text
    .toLowerCase()
    .split(/[^\w]+/)
    .filter((w) => w && !STOP.has(w))
    .map(stem);

/** `{id: [[title's stemmed words], [description's], [each h2/h3's], ...]}`, read once a page. */
const headings = new Map();
const headingsOf = (result) => {
  if (!headings.has(result.id)) {
    headings.set(
      result.id,
      result.data().then((data) => [
        content(data.meta.title || ""),
        content(data.meta.description || ""),
        ...(data.anchors || [])
          .filter((a) => /^h[23]$/i.test(a.element))
          .map((a) => content(a.text || "")),
      ]),
    );
  }
  return headings.get(result.id);
};

/** The ids of the pages of a kind (hooks/pagefind_index.py's filter `page`), read once. */
const kinds = new Map();
const pagesOf = (module, kind) => {
  if (!kinds.has(kind)) {
    kinds.set(
      kind,
      module
        .search(null, { filters: { page: kind } })
        .then(({ results }) => new Set(results.map((r) => r.id))),
    );
  }
  return kinds.get(kind);
};

/** The pages declaring the first of a query's possible names that some page declares, ranked
 *  by that name's words, and which of them declare it for one section only
 *  (hooks/pagefind_index.py's filters `name` and `section`). */
async function declaring(module, query) {
  for (const name of asNames(query)) {
    const all = (await module.search(null, { filters: { name } })).results;
    if (!all.length) continue;
    const ranked = (await module.search(words(name).join(" "), { filters: { name } })).results;
    const section = (await module.search(null, { filters: { section: name } })).results;
    return {
      named: [...ranked, ...all.filter((r) => !ranked.some((x) => x.id === r.id))],
      section: new Set(section.map((r) => r.id)),
    };
  }
  return { named: [], section: new Set() };
}

/** Pagefind's results for a query, best first (see the ranking note above). */
async function rank(query) {
  const all = words(query);
  if (!all.length) return []; // the theme asks with "" on focus: load nothing yet
  const module = await load();
  const summary = await pagesOf(module, "summary");
  const tool = await pagesOf(module, "tool");
  const weighed = (r) => r.score * (summary.has(r.id) ? SUMMARY_FACTOR : 1);
  // `r.words`: the positions in the page of the words matched (Pagefind's result).
  const near = (r) => {
    if (all.length < 2) return 1;
    const at = [...new Set(r.words)].sort((a, b) => a - b);
    let run = 1;
    let best = 1;
    for (let i = 1; i < at.length; i++) {
      run = at[i] === at[i - 1] + 1 ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return 1 + PHRASE * (Math.min(best, all.length) - 1) / (all.length - 1);
  };
  let found = (await module.search(all.join(" "))).results;
  const asked = [...new Set(content(all.join(" ")))];
  const headed = new Set();
  if (asked.length) {
    for (const r of found.slice(0, HEADING_DEPTH)) {
      const holds = (heading) => asked.every((w) => heading.includes(w));
      if ((await headingsOf(r)).some(holds)) headed.add(r.id);
    }
  }
  const head = (r) => (headed.has(r.id) ? 1 + HEADING : 1);
  found.sort((a, b) => weighed(b) * near(b) * head(b) - weighed(a) * near(a) * head(a));
  const topics = found.filter((r) => !summary.has(r.id) && !tool.has(r.id));
  if (topics.length < FULL && all.length > 1) {
    const scores = new Map();
    const kept = all.filter((w) => !STOP.has(w.toLowerCase()));
    for (const word of kept.length ? kept : all) {
      for (const r of (await module.search(word)).results) {
        scores.set(r.id, { r, score: (scores.get(r.id)?.score || 0) + weighed(r) });
      }
    }
    // A summary page matching every word (it lists everything) waits among the partial ones,
    // and so does a tool page (its examples quote every task), unless its title, description
    // or a heading holds the query: then the tool is what is asked about.
    const first = found.filter((r) => !summary.has(r.id) && (!tool.has(r.id) || headed.has(r.id)));
    const ids = new Set(first.map((r) => r.id));
    const more = [...scores.values()].filter((x) => !ids.has(x.r.id));
    found = [...first, ...more.sort((a, b) => b.score - a.score).map((x) => x.r)];
  }
  const { named, section } = await declaring(module, query);
  if (named.length) {
    // The declaring pages first: those the whole query found in its order, then the others;
    // a page declaring the name for the whole page before one declaring it for a section.
    const ids = new Set(named.map((r) => r.id));
    let first = found.filter((r) => ids.has(r.id));
    first = [...first, ...named.filter((r) => !first.some((f) => f.id === r.id))];
    first = [...first.filter((r) => !section.has(r.id)), ...first.filter((r) => section.has(r.id))];
    found = [...first, ...found.filter((r) => !ids.has(r.id))];
  }
  return found;
}

const escape = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** A site URL as Material locates documents: relative to the site root. */
const locate = (url) => new URL(url, root).href.slice(root.href.length);

/** One page as Material's result list draws it: the page, then its matching sections. */
async function group(result, score, query) {
  const data = await result.data();
  const page = {
    location: locate(data.url),
    title: escape(data.meta.title || data.url),
    text: data.excerpt,
    score,
    terms: {},
  };
  const name = asName(query);
  const names = data.filters?.name || [];
  if (names.includes(name)) page.tags = [`<mark>${escape(name)}</mark>`];
  const sections = (data.sub_results || [])
    .filter((s) => s.url.includes("#") && s.title !== data.meta.title) // not the h1 again
    .slice(0, 3)
    .map((s, i) => ({
      location: locate(s.url),
      title: escape(s.title),
      text: s.excerpt,
      score: i === 0 ? score : score / 2, // the best section shows, the rest fold
      terms: {},
    }));
  return [page, ...sections];
}

/** The page a result belongs to, as Material locates it; a page's URL never changes, so it
 *  is read once per page (Pagefind's `data()` also builds the excerpts: most of a query's time). */
const pages = new Map();
const pageOf = (result) => {
  if (!pages.has(result.id)) pages.set(result.id, result.data().then((data) => locate(data.url)));
  return pages.get(result.id);
};

/** Many queries at once, pages only: `{query: [location, ...]}`, best first, as `answer`
 *  ranks them (tests/site/search_queries.py measures the ranking with it). */
async function rankAll(queries) {
  const out = {};
  for (const query of queries) {
    const found = (await rank(query)).slice(0, RESULTS);
    out[query] = await Promise.all(found.map(pageOf));
  }
  return out;
}

async function answer(query) {
  const found = (await rank(query)).slice(0, RESULTS);
  const top = found.length;
  return Promise.all(found.map((r, i) => group(r, top - i, query)));
}

// Zensical's UI speaks another protocol: pagefind-zensical.js answers it with rank().
importScripts("pagefind-zensical.js");

let queue = Promise.resolve();
let latest = 0;
addEventListener("message", ({ data: message }) => {
  // One query at a time, in order; a query overtaken by a newer one (the reader kept typing)
  // gets no answer, so the list never shows results for what the box no longer holds.
  const ticket = message.type === 2 ? ++latest : latest;
  queue = queue.then(async () => {
    switch (message.type) {
      case 0:
        zensical.setup(message.data);
        postMessage({ type: 1 });
        break;
      case 2:
        if (ticket !== latest) break;
        try {
          const data = zensical.speaks(message.data)
            ? await zensical.answer(message.data)
            : { items: await answer(message.data) };
          postMessage({ type: 3, data });
        } catch (error) {
          console.warn("search:", message.data, error);
          const none = zensical.speaks(message.data) ? zensical.none() : { items: [] };
          postMessage({ type: 3, data: none });
        }
        break;
      case "rank": // not Material's: the query set's batch (rankAll)
        try {
          postMessage({ type: "rank", data: await rankAll(message.data) });
        } catch (error) {
          postMessage({ type: "rank", error: String(error) });
        }
        break;
      default:
        throw new TypeError("Invalid message type");
    }
  });
});
