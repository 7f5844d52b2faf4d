"""MkDocs hook: markup that spares the theme's start-up work on a phone's main thread.

Two changes to each page's HTML, measured with tools/audit/longtasks.py (Lighthouse's
phone, a topic page: /routing/path-parameters/):

- Code blocks are keyboard stops from the start, so the theme can mount them lazily
  (`content.lazy` in mkdocs.yml). Mounting a block (copy button, the check that it
  scrolls sideways) reads its width, and the theme mounted every block of a page while the
  page started: one forced style recalculation and layout per block, 20 on a topic page,
  each block laid out alone because off-screen code is skipped (`content-visibility: auto`,
  docs/stylesheets/extra.css). It was the longest task of the load. With `content.lazy` the
  theme mounts a block when its first pixel comes into view (an IntersectionObserver,
  threshold 0): the copy button is there by the time the reader hovers the block.
  What the lazy mount would give a block late is its keyboard stop: the theme adds
  `tabindex="0"` to code that scrolls sideways, which a keyboard user needs to scroll it
  (WCAG 2.1.1; axe: scrollable-region-focusable), and one who tabs down the page reaches
  blocks never seen. So each `<pre><code>` gets it here; when the theme mounts a block that
  turns out not to scroll (or on a device without hover), it takes the stop off, as it
  does for blocks it mounts at once.
- Each table sits in a plain `<div>`. The theme wraps a table in its scrolling container
  (`.md-typeset__scrollwrap`) when the page starts: the table leaves the article's list of
  children, which restyled the whole article (about 400 elements, one of the load's largest
  recalculations). Inside this div, the move changes only the div's children; the div has
  no style, and the margins of the theme's container pass through it as before.

Zensical runs no MkDocs hooks: a site it builds has lazy code blocks without the early
keyboard stop, and tables without the div.
"""

from __future__ import annotations

import re

#: The `<code>` that opens a highlighted block: Pygments puts an empty `<span>` before it.
CODE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)")
#: A table the theme wraps (it takes `table:not([class])`; Markdown's tables have none).
TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
HOLDER = '<div class="table-holder">'


def add_focus(html: str) -> str:
    """`html` with `tabindex="0"` on each `<code>` directly inside a `<pre>`."""
    return CODE.sub(r'\1 tabindex="0"', html)


def hold_tables(html: str) -> str:
    """`html` with each attribute-less `<table>` inside a `<div class="table-holder">`."""
    return TABLE.sub(lambda m: f"{HOLDER}{m.group(0)}</div>", html)


def on_page_content(html: str, **kwargs) -> str:
    return hold_tables(add_focus(html))
