// Wide tables scroll sideways inside .md-typeset__scrollwrap. A keyboard user can only
// scroll a region that takes focus (WCAG 2.1.1), so give the ones that overflow a tab stop
// and a name. `document$` fires on every page load, instant navigation included.
// The widths are read in a ResizeObserver callback, which runs after the browser has laid
// the page out anyway: reading them in the page's start-up script forced that layout
// inside the script's own task, the longest task on a topic page (Lighthouse, mobile: about
// 400 ms of Total Blocking Time). It also follows a table that starts or stops overflowing
// when the window is resized.
document$.subscribe(() => {
  const observer = new ResizeObserver((entries) => {
    // Every width first, then the attributes: a write between two reads lays out again.
    const wide = entries.map(({ target }) => [target, target.scrollWidth > target.clientWidth]);
    for (const [wrap, overflows] of wide) {
      if (overflows) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table (scrolls sideways)");
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  });
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) observer.observe(wrap);
});
