"""The theme's bundle carries V8's compile hint (hooks/compile_hints.py), and it works: the
functions the bundle calls while it starts are compiled before it runs, not one by one on
the main thread. Counts of compile events, not times, so that a busy machine cannot fail it."""

from __future__ import annotations

import importlib.util
import json

from guidekit.topics import ROOT

from .conftest import SITE_DIR

_spec = importlib.util.spec_from_file_location("compile_hints", ROOT / "hooks/compile_hints.py")
compile_hints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_hints)
HINT, add_hint = compile_hints.HINT, compile_hints.add_hint

#: Trace categories with V8's lazy compilation on the main thread (`V8.CompileCode`).
V8_COMPILE = ["devtools.timeline", "v8", "disabled-by-default-v8.compile"]


def test_the_hint_goes_on_the_first_line_once_and_the_map_follows(tmp_path):
    script = tmp_path / "bundle.0.min.js"
    script.write_text('"use strict";(()=>{})();\n//# sourceMappingURL=bundle.0.min.js.map\n')
    source_map = tmp_path / "bundle.0.min.js.map"
    source_map.write_text(json.dumps({"version": 3, "mappings": "AAAA;AACA"}))
    assert add_hint(script) is True
    assert add_hint(script) is False  # a rebuild into the same site_dir
    text = script.read_text()
    assert text.startswith(HINT) and text.count(HINT) == 1
    assert text.removeprefix(HINT).startswith('"use strict"')
    assert json.loads(source_map.read_text())["mappings"] == ";AAAA;AACA"


def test_the_built_bundle_carries_the_hint():
    bundles = list((SITE_DIR / "assets/javascripts").glob("bundle.*.min.js"))
    assert bundles, "no theme bundle in the built site"
    for bundle in bundles:
        assert bundle.read_text().startswith(HINT)
        assert json.loads(bundle.with_name(bundle.name + ".map").read_text())["mappings"][0] == ";"


def test_the_bundle_starts_without_compiling_on_the_main_thread(browser, base_url):
    """Up to the copy buttons, a topic page's load compiled 665 functions lazily on its main
    thread without the hint (`V8.CompileCode` events; Chromium 156) and 66 with it: the
    bundle's functions arrive compiled. The bound leaves room for the page's inline scripts
    and for functions that V8 compiles again after dropping their code."""
    context = browser.new_context()
    page = context.new_page()
    browser.start_tracing(page=page, categories=V8_COMPILE)
    page.goto(f"{base_url}/routing/path-parameters/", wait_until="load")
    page.wait_for_function("() => document.querySelector('.md-code__button') !== null")
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    paint = [e for e in events if e.get("name") == "firstContentfulPaint"][-1]
    main = (paint["pid"], paint["tid"])
    lazy = [
        e
        for e in events
        if e.get("name") == "V8.CompileCode" and (e.get("pid"), e.get("tid")) == main
    ]
    assert len(lazy) < 200, f"{len(lazy)} functions compiled lazily on the main thread"
