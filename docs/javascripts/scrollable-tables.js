// Wide tables scroll sideways inside .md-typeset__scrollwrap. A keyboard user can only
// scroll a region that takes focus (WCAG 2.1.1), so give the ones that overflow a tab stop
// and a name. `document$` fires on every page load, instant navigation included.
document$.subscribe(() => {
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
    }
  }
});
