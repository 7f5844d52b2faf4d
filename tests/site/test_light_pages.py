"""What the start-up savings of docs/stylesheets/extra.css, overrides/main.html and
hooks/startup_markup.py must not cost a reader (tools/audit/mainthread.py measures the
savings): the phone's drawer, skipped while closed, still opens and leads somewhere; code
skipped while off screen still copies whole; a heading below skipped code is still where a
link lands; the search box still answers the keyboard; code mounted late is a keyboard stop
in time; the palette still switches. Tabs linked across pages and axe on every page:
test_site.py. And the saving itself, in counts a busy machine does not move: how often the
load restyles the whole document."""

from __future__ import annotations

import importlib.util
import json
from urllib.parse import urlsplit

import pytest

from guidekit.topics import ROOT

_spec = importlib.util.spec_from_file_location("markup", ROOT / "hooks/startup_markup.py")
markup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(markup)

TOPIC = "/routing/path-parameters/"
PHONE = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(new_context):
    return new_context(**PHONE).new_page()


def test_the_closed_drawer_is_skipped_and_opens_with_working_links(phone):
    phone.goto(TOPIC)
    wrap = phone.locator(".md-sidebar--primary .md-sidebar__scrollwrap")
    link = phone.locator(".md-sidebar--primary a.md-nav__link", has_text="Query parameters")
    # Closed: not drawn (extra.css), so its ~490 elements cost no style or layout.
    assert wrap.evaluate("el => getComputedStyle(el).contentVisibility") == "hidden"
    assert not link.is_visible()
    phone.locator("label.md-header__button[for=__drawer]").click()
    assert wrap.evaluate("el => getComputedStyle(el).contentVisibility") == "visible"
    link.click()
    phone.wait_for_url("**/routing/query-parameters/")


def test_code_skipped_off_screen_still_copies_whole(new_context):
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(TOPIC)
    block = page.locator(".md-content .tabbed-block:first-child .highlight").last  # shown tab
    # Off screen, it is not drawn (content-visibility: auto on .tabbed-content).
    assert not block.evaluate("el => el.checkVisibility({contentVisibilityAuto: true})")
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == block.locator("code").inner_text().rstrip("\n")


def test_a_link_to_a_heading_below_skipped_code_lands_on_it(phone):
    heading = phone.locator(".md-content h2").last
    phone.goto(TOPIC)
    anchor = heading.get_attribute("id")
    phone.goto(f"{TOPIC}#{anchor}")
    # Content between the top and the heading is sized by an estimate until drawn; the
    # browser must still bring the heading itself into view.
    heading.wait_for()
    assert phone.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }",
        heading.element_handle(),
    )


@pytest.mark.parametrize("key", ["/", "s"])
def test_the_search_box_answers_the_keyboard_on_a_topic_page(page, key):
    page.goto(TOPIC)
    page.keyboard.press(key)
    box = page.locator("input.md-search__input")
    assert box.evaluate("el => el === document.activeElement")
    # One key event with the whole query (see test_site.search): typed key by key, an
    # earlier prefix's answer could replace the list while Enter is pressed.
    box.fill("upload a file")
    box.press("End")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for()
    paths = [urlsplit(h).path for h in results.evaluate_all("ls => ls.map(a => a.href)")]
    assert "/requests/file-uploads/" in paths[:5], paths[:5]
    page.keyboard.press("Enter")  # from the box: the theme opens the best result
    # Instant navigation swaps the page in place, with no new `load` event.
    page.wait_for_url(f"**{paths[0]}**", wait_until="commit")


def test_code_is_a_keyboard_stop_before_the_theme_mounts_it(page):
    """content.lazy: the theme mounts a code block when it comes into view; until then the
    block is a keyboard stop from the HTML (hooks/startup_markup.py) and has no copy button."""
    page.goto(TOPIC)
    block = page.locator(".md-content pre").last
    code = block.locator("> code")
    assert code.get_attribute("tabindex") == "0"
    assert block.locator("nav.md-code__nav").count() == 0  # not mounted: never seen
    block.scroll_into_view_if_needed()
    block.locator("button[data-md-type=copy]").wait_for()
    # Mounted: the theme keeps the stop only on code that scrolls sideways.
    scrolls = code.evaluate("el => el.scrollWidth > el.clientWidth")
    assert (code.get_attribute("tabindex") == "0") == scrolls


def test_the_page_starts_in_the_states_the_theme_sets_and_the_palette_still_switches(page):
    """overrides/main.html sets `js` and `data-md-color-switching` before the first paint;
    the theme's start-up still ends with transitions back on, and the toggle still works."""
    page.goto(TOPIC)
    assert page.evaluate("document.documentElement.className.split(' ')").count("js") == 1
    assert "no-js" not in page.evaluate("document.documentElement.className")
    body = page.locator("body")
    # The palette takes the attribute off once its colours are applied.
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("label.md-header__button[for=__palette_1]").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
    assert page.locator("meta[name=color-scheme]").get_attribute("content") == "dark"


def test_the_hook_marks_block_code_and_holds_bare_tables_only():
    page = (
        '<pre class="x"><span></span><code>a</code></pre><pre><code tabindex="-1">b</code>'
        "</pre><p><code>inline</code></p><table>\n<tr><td>c</td></tr>\n</table>"
        '<table class="own"></table>'
    )
    assert markup.hold_tables(markup.add_focus(page)) == (
        '<pre class="x"><span></span><code tabindex="0">a</code></pre><pre><code tabindex="-1">'
        "b</code></pre><p><code>inline</code></p>"
        '<div class="table-holder"><table>\n<tr><td>c</td></tr>\n</table></div>'
        '<table class="own"></table>'
    )


def test_the_theme_wraps_a_held_table_inside_its_holder(page):
    page.goto(TOPIC)
    table = page.locator(".md-typeset > .table-holder > .md-typeset__scrollwrap table")
    table.first.wait_for()
    assert page.locator(".md-typeset table").count() == table.count()


#: A style recalculation that restyles this many elements restyles the whole document: a
#: topic page keeps about 520 of its 1,800 drawn on a phone (the rest is skipped by
#: extra.css or hidden); the article alone is about 400.
WHOLE = 400


def test_the_load_restyles_the_whole_document_three_times_at_most(browser, base_url):
    """On the phone, after First Contentful Paint, the load restyled the whole document six
    times (Chromium 156; 519, 519, 519, 521, 462 and 560 elements): the bundle's classes on
    <html> (`js` and the focus-visible polyfill's), the palette's `<meta name="color-scheme">`
    added, its `data-md-color-switching` on <body>, the meta filled in (Chromium restyles
    everything for a color-scheme meta: PlatformColorChange), the theme moving the table
    into its scrolling container (the article), and the palette's attribute removed. The
    classes and the attribute are now set before the first paint (overrides/main.html), the
    table moves inside its holder (hooks/startup_markup.py): three remain, the meta's two and
    the attribute's removal, all made by the theme's bundle. Element counts, not times."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    page.goto(f"{base_url}{TOPIC}", wait_until="load")
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
    page.wait_for_timeout(300)  # the frame after the removal restyles
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    paint = [e for e in events if e.get("name") == "firstContentfulPaint"][-1]
    whole = [
        e["args"]["elementCount"]
        for e in events
        if e.get("name") == "UpdateLayoutTree"
        and (e["pid"], e["tid"]) == (paint["pid"], paint["tid"])
        and e["ts"] > paint["ts"]
        and e.get("args", {}).get("elementCount", 0) >= WHOLE
    ]
    assert len(whole) <= 3, f"whole-document restyles after FCP (elements each): {whole}"
