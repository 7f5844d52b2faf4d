"""Main-thread work of pages of the built site, in figures that a busy machine moves little.

Lighthouse's Total Blocking Time is wall-clock time, and on a shared machine it follows the
load more than the page. This loads each page in Debian's Chromium as Lighthouse's phone
does (412 x 823 CSS pixels, 1.75 device pixels per pixel, touch), records a trace, and
counts each main-thread task by the CPU time its thread used (trace field `tdur`), not by
its wall time: other processes' turns on the CPU drop out. Tasks are scaled by Lighthouse's
mobile CPU slowdown (4) before the 50 ms threshold, as its simulation does.

Printed per page: the median over the runs of the estimated blocking time (the sum, over
tasks that end after First Contentful Paint, of 4 x CPU time - 50 ms), each run's figure,
the main-thread CPU time of the whole load (1x, ms), the number of elements, the bytes of
JavaScript the page ran, and the five longest tasks (x4, ms). Then two counts that no load
on the machine moves: after First Contentful Paint, the style recalculations (and the
elements they restyled in all) and how many of the recalculations and layouts a script
forced by reading styles or sizes (the trace gives those a stack). The estimate is for comparing
two builds on the same machine; Lighthouse's own figure is its simulation (`nox -s audit`).

Usage: `python tools/audit/mainthread.py [--runs N] [--site DIR] [PATH...]` after
`nox -s docs`; without paths, the pages tools/audit/lighthouserc.json audits. `nox -s audit`
runs it after Lighthouse. What the long tasks spend their time on, by source line:
tools/audit/longtasks.py.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import threading
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Lighthouse CI's settings: the same pages, launched with the same Chromium flags.
LHCI = json.loads((Path(__file__).parent / "lighthouserc.json").read_text())["ci"]["collect"]
ARGS = LHCI["settings"]["chromeFlags"].split()
SLOWDOWN = 4  # Lighthouse's mobile `throttling.cpuSlowdownMultiplier`
BLOCKING_MS = 50  # a task blocks input for what it runs beyond 50 ms
SETTLE_MS = 2500  # after `load`: the theme's timers and observers run in this window
AUDITED = [urlsplit(url).path for url in LHCI["url"]]  # the pages Lighthouse CI audits
CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",  # the script behind a forced layout
    "loading",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def phone(browser: Browser):  # type: ignore[no-untyped-def]
    """A browser context shaped like Lighthouse's mobile device (Moto G Power's screen)."""
    return browser.new_context(
        viewport={"width": 412, "height": 823},
        device_scale_factor=1.75,
        is_mobile=True,
        has_touch=True,
    )


def measure(browser: Browser, url: str) -> dict:
    """One cold load of `url`: blocking estimate and CPU time (ms), elements, JS bytes."""
    context = phone(browser)
    page = context.new_page()
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(SETTLE_MS)
    elements = page.evaluate("document.getElementsByTagName('*').length")
    js_bytes = page.evaluate(  # decoded size of the scripts the page loaded
        "performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script')"
        ".reduce((n, r) => n + r.decodedBodySize, 0)"
    )
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    # The page's main thread is the one that painted it.
    paint = [e for e in events if e.get("name") == "firstContentfulPaint"][-1]
    tasks = [
        e
        for e in events
        if e.get("name") == "RunTask"
        and e.get("ph") == "X"
        and (e["pid"], e["tid"]) == (paint["pid"], paint["tid"])
    ]
    cpu = [e.get("tdur", e["dur"]) / 1000 for e in tasks]  # ms; wall time if no thread time
    after = [c for c, e in zip(cpu, tasks, strict=True) if e["ts"] + e["dur"] > paint["ts"]]
    rendering = [
        e
        for e in events
        if e.get("name") in ("UpdateLayoutTree", "Layout")
        and (e["pid"], e["tid"]) == (paint["pid"], paint["tid"])
        and e["ts"] > paint["ts"]
    ]
    styles = [e for e in rendering if e["name"] == "UpdateLayoutTree"]
    return {
        "recalcs": len(styles),
        "restyled": sum(e.get("args", {}).get("elementCount", 0) for e in styles),
        "forced": sum(1 for e in rendering if (e["args"].get("beginData") or {}).get("stackTrace")),
        "blocking": sum(max(0.0, SLOWDOWN * c - BLOCKING_MS) for c in after),
        "cpu": sum(cpu),
        "elements": elements,
        "js_bytes": js_bytes,
        "longest": sorted((round(SLOWDOWN * c) for c in after), reverse=True)[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=AUDITED, help="site paths, e.g. /")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("SITE_DIR", "site")))
    args = parser.parse_args()
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    runs: dict[str, list[dict]] = {path: [] for path in args.paths}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(args.runs):  # pages interleaved, so that load drifts hit each alike
                for path in args.paths:
                    runs[path].append(measure(browser, base + path))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    head = f"{'blocking x4 (median; runs)':>34} {'CPU 1x':>7} {'elements':>9} {'JS KiB':>7}"
    print(f"{'page':30} {head}")
    for path, results in runs.items():
        each = ", ".join(str(round(r["blocking"])) for r in results)
        blocking = f"{statistics.median(r['blocking'] for r in results):.0f} ms ({each})"
        middle = sorted(results, key=lambda r: r["blocking"])[len(results) // 2]
        print(
            f"{path:30} {blocking:>34} {statistics.median(r['cpu'] for r in results):>5.0f} ms"
            f" {middle['elements']:>9} {middle['js_bytes'] / 1024:>7.0f}"
            f"  longest tasks x4: {middle['longest']} ms"
        )
        print(
            f"{'':30} after FCP: {middle['recalcs']} style recalcs restyling"
            f" {middle['restyled']} elements; {middle['forced']} recalcs and layouts forced"
            " by a script"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
