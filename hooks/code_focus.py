"""MkDocs hook: every code block is a keyboard stop from the start, so the theme can mount
code blocks lazily (`content.lazy` in mkdocs.yml).

Mounting a code block (copy button, the check that it scrolls sideways) reads its width,
and the theme did it for every block of a page while the page started: one forced style
recalculation and layout per block, 20 on a topic page, each block laid out alone because
off-screen code is skipped (`content-visibility: auto`, docs/stylesheets/extra.css). That
was the longest task of the load on a phone (tools/audit/longtasks.py). With `content.lazy`
the theme mounts a block when its first pixel comes into view (an IntersectionObserver,
threshold 0): the copy button is there by the time the reader hovers the block.

What the lazy mount gives a block late is its keyboard stop: the theme adds `tabindex="0"`
to code that scrolls sideways, which a keyboard user needs to scroll it (WCAG 2.1.1; axe:
scrollable-region-focusable), and one who tabs down the page reaches blocks never seen.
So each `<pre><code>` gets it here, in the HTML; the theme takes it off a block that turns
out not to scroll (or on a device without hover) when it mounts the block, as it does for
eagerly mounted blocks.

Zensical runs no MkDocs hooks: a site it builds has lazy code blocks without the early
keyboard stop.
"""

from __future__ import annotations

import re

#: The `<code>` that opens a highlighted block: Pygments puts an empty `<span>` before it.
CODE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)")


def add_focus(html: str) -> str:
    """`html` with `tabindex="0"` on each `<code>` directly inside a `<pre>`."""
    return CODE.sub(r'\1 tabindex="0"', html)


def on_page_content(html: str, **kwargs) -> str:
    return add_focus(html)
