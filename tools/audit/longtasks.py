"""What the long main-thread tasks of a page spend their time on, by source line.

tools/audit/mainthread.py says how long the tasks are; this says why. One cold load per
run, as mainthread.py loads it (Lighthouse's phone, its Chromium flags), with a trace and
V8's sampling profiler (one sample every 100 µs). For each task whose CPU time, times
Lighthouse's slowdown (4), is over 50 ms after First Contentful Paint, it prints:

- the task's CPU time x4 (ms) and what Chromium did inside it (x1, ms): script, style
  recalculations (count and the most elements one of them restyled), layouts;
- the source lines with the most samples, mapped through the theme bundle's source map to
  Material's TypeScript (`components/palette/index.ts:181`). Time a script spends in a
  style or layout it forced (reading `offsetWidth` after a DOM write) counts at the line
  that read it: those lines are where the theme waits on the renderer.
- each large style recalculation a script forced (over `LARGE` elements): the line that
  forced it and what had invalidated the styles before it (the change and the line that
  made it, from Chromium's invalidation tracking), e.g. a class set on <html>. The tracking
  slows the load down: its times run higher than tools/audit/mainthread.py's.

Usage: `python tools/audit/longtasks.py [--runs N] [--site DIR] [PATH...]` after
`nox -s docs`; without paths, the pages tools/audit/lighthouserc.json audits. Sample counts
move with machine load; the attribution (which lines) does not.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import functools
import http.server
import json
import os
import string
import threading
from pathlib import Path

from mainthread import ARGS, AUDITED, BLOCKING_MS, CATEGORIES, CHROMIUM, SLOWDOWN, _Quiet, phone
from playwright.sync_api import Browser, sync_playwright

SAMPLE_US = 100
LARGE = 100  # elements: a forced recalculation this large is worth naming its cause
#: Chromium's record of who invalidated styles, with the script's stack.
INVALIDATIONS = ["disabled-by-default-devtools.timeline.invalidationTracking"]
BASE64 = {
    c: i
    for i, c in enumerate(string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/")
}
THEME_PREFIX = "src/templates/assets/javascripts/"


def _vlq(segment: str) -> list[int]:
    """One source-map segment: its base64 VLQ fields as integers (Source Map v3)."""
    values, value, shift = [], 0, 0
    for char in segment:
        digit = BASE64[char]
        value += (digit & 31) << shift
        if digit & 32:  # continuation bit
            shift += 5
        else:
            values.append(-(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    return values


class SourceMap:
    """Generated (line, column), 0-based, to `source:line` (1-based) through a v3 map."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        sources = [s.removeprefix(THEME_PREFIX) for s in data["sources"]]
        self.lines: list[tuple[list[int], list[str]]] = []
        source = line = 0
        for generated in data["mappings"].split(";"):
            column, columns, places = 0, [], []
            for segment in filter(None, generated.split(",")):
                fields = _vlq(segment)
                column += fields[0]
                if len(fields) >= 4:
                    source += fields[1]
                    line += fields[2]
                    columns.append(column)
                    places.append(f"{sources[source]}:{line + 1}")
            self.lines.append((columns, places))

    def place(self, line: int, column: int) -> str | None:
        columns, places = self.lines[line] if line < len(self.lines) else ([], [])
        index = bisect.bisect_right(columns, column) - 1
        return places[index] if index >= 0 else None


def load(browser: Browser, url: str) -> tuple[list[dict], dict]:
    """One cold load of `url`: its trace events and its CPU profile."""
    context = phone(browser)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLE_US})
    cdp.send("Profiler.start")
    browser.start_tracing(page=page, categories=CATEGORIES + INVALIDATIONS)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(2500)
    profile = cdp.send("Profiler.stop")["profile"]
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    return events, profile


def report(events: list[dict], profile: dict, maps: dict[str, SourceMap]) -> None:
    paint = [e for e in events if e.get("name") == "firstContentfulPaint"][-1]
    main = [
        e
        for e in events
        if (e.get("pid"), e.get("tid")) == (paint["pid"], paint["tid"]) and e.get("ph") == "X"
    ]
    thread = [e for e in events if (e.get("pid"), e.get("tid")) == (paint["pid"], paint["tid"])]
    nodes = {node["id"]: node for node in profile["nodes"]}
    stamps, now = [], profile["startTime"]  # the profile's clock is the trace's
    for delta in profile["timeDeltas"]:
        now += delta
        stamps.append(now)

    def place(frame: dict) -> str:
        url = frame["url"]
        script = maps.get(url.rsplit("/", 1)[-1])
        mapped = script.place(frame["lineNumber"], frame["columnNumber"]) if script else None
        name = frame["functionName"] or "(anonymous)"
        return mapped or (
            f"{name} {url.rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}" if url else name
        )

    for task in main:
        cpu = task.get("tdur", task["dur"]) / 1000
        end = task["ts"] + task["dur"]
        if task["name"] != "RunTask" or SLOWDOWN * cpu <= BLOCKING_MS or end < paint["ts"]:
            continue
        inside = [e for e in main if task["ts"] <= e["ts"] < end and e is not task]
        styles = [e for e in inside if e["name"] == "UpdateLayoutTree"]
        most = max((e.get("args", {}).get("elementCount", 0) for e in styles), default=0)

        def ms(name: str, inside=inside) -> float:
            return sum(e.get("tdur", e["dur"]) for e in inside if e["name"] == name) / 1000

        script = ms("EvaluateScript") + ms("FunctionCall")
        print(
            f"  task at +{(task['ts'] - paint['ts']) / 1000:.0f} ms after FCP:"
            f" {SLOWDOWN * cpu:.0f} ms x4; x1: script {script:.1f} ms, {len(styles)} style"
            f" recalcs {ms('UpdateLayoutTree'):.1f} ms (up to {most} elements),"
            f" layout {ms('Layout'):.1f} ms"
        )
        lines: collections.Counter[str] = collections.Counter()
        for sample, stamp in zip(profile["samples"], stamps, strict=True):
            if task["ts"] <= stamp < end:
                frame = nodes[sample]["callFrame"]
                if frame["functionName"] not in ("(idle)", "(root)"):
                    lines[place(frame)] += 1
        total = sum(lines.values()) or 1
        for where, count in lines.most_common(6):
            print(f"      {100 * count / total:3.0f}%  {where}")
        for line in forced(thread, task, place):
            print(f"      {line}")


def _top(event: dict) -> dict | None:
    """The innermost frame of a trace event's stack, 0-based as the profiler's frames."""
    data = event.get("args", {}).get("data") or event.get("args", {}).get("beginData") or {}
    stack = data.get("stackTrace") or []
    if not stack:
        return None
    frame = stack[0]  # the trace counts lines and columns from 1
    return {
        **frame,
        "lineNumber": frame["lineNumber"] - 1,
        "columnNumber": frame["columnNumber"] - 1,
    }


def forced(main: list[dict], task: dict, place) -> list[str]:
    """The task's forced style recalculations over LARGE elements, each with its cause;
    `main` is every event of the page's main thread."""
    end, lines = task["ts"] + task["dur"], []
    styles = sorted((e for e in main if e["name"] == "UpdateLayoutTree"), key=lambda e: e["ts"])
    since = 0.0  # the end of the previous recalculation, in whichever task
    for event in styles:
        count, reader = event.get("args", {}).get("elementCount", 0), _top(event)
        if task["ts"] <= event["ts"] < end and count >= LARGE and reader:
            lines.append(f"restyle of {count} elements forced at {place(reader)}")
            lines.extend(f"  after {cause}" for cause in causes(main, since, event["ts"], place))
        since = event["ts"] + event["dur"]
    return lines


def causes(main: list[dict], start: float, end: float, place) -> list[str]:
    """What invalidated whole subtrees between `start` and `end` (trace µs), and which
    script line did it: a change to an element whose invalidation set covers all its
    descendants, or a change of the page's colours (a `color-scheme` meta)."""
    found, scheduled, last = [], {}, "?"
    for event in sorted((e for e in main if start <= e["ts"] < end), key=lambda e: e["ts"]):
        data = event.get("args", {}).get("data") or {}
        node, top = data.get("nodeName", "?").split(" ")[0], _top(event)
        if top and event["name"].endswith("InvalidationTracking"):
            last = place(top)
        if event["name"] == "ScheduleStyleInvalidationTracking" and top:
            change = data.get("changedAttribute") or data.get("changedClass") or "structure"
            scheduled[node] = f"{change} of {node} changed at {place(top)}"
        lists = data.get("invalidationList") or []
        whole = any(s.get("allDescendantsMightBeInvalid") for s in lists)
        if event["name"] == "StyleInvalidatorInvalidationTracking" and whole:
            # A change of an element's children has no stack of its own: the last line
            # that changed something is named instead.
            what = scheduled.get(node, f"a change of {node}'s children, last change at {last}")
            found.append(f"{what} (its whole subtree)")
        if data.get("reason") == "PlatformColorChange" and top:
            found.append(f"a colour-scheme change at {place(top)} (the whole document)")
    return list(dict.fromkeys(found))  # each cause once, in order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=AUDITED, help="site paths, e.g. /")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("SITE_DIR", "site")))
    args = parser.parse_args()
    maps = {
        script.name: SourceMap(script.with_name(script.name + ".map"))
        for script in (args.site / "assets/javascripts").glob("*.js")
        if script.with_name(script.name + ".map").is_file()
    }
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for run in range(args.runs):
                for path in args.paths:
                    print(f"{path} (run {run + 1}): tasks over {BLOCKING_MS} ms at x{SLOWDOWN}")
                    report(*load(browser, base + path), maps)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
