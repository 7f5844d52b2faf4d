// Wide tables scroll sideways inside .md-typeset__scrollwrap. A keyboard user can only
// scroll a region that takes focus (WCAG 2.1.1), so give the ones that overflow a tab stop
// and a name. `document$` fires on every page load, instant navigation included.
// All widths are read before any attribute is written: interleaving the two would make the
// browser lay the page out again for every table (Lighthouse: long main-thread tasks).
document$.subscribe(() => {
  const overflowing = [...document.querySelectorAll(".md-typeset__scrollwrap")].filter(
    (wrap) => wrap.scrollWidth > wrap.clientWidth,
  );
  for (const wrap of overflowing) {
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Table (scrolls sideways)");
  }
});
