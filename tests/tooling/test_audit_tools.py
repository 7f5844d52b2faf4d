"""tools/audit/longtasks.py reads source maps right: a place it prints is a place in the source."""

from __future__ import annotations

import json
import sys

from guidekit.topics import ROOT

sys.path.insert(0, str(ROOT / "tools/audit"))  # longtasks imports its sibling, mainthread

import longtasks


def test_segments_decode_as_source_map_v3_says():
    # Examples worked by hand from the v3 spec: "A" is 0, "C" 1, "D" -1, "gB" 16.
    assert longtasks._vlq("AAAA") == [0, 0, 0, 0]
    assert longtasks._vlq("ACDgB") == [0, 1, -1, 16]


def test_generated_places_map_to_source_lines(tmp_path):
    source_map = tmp_path / "bundle.min.js.map"
    mapping = {
        "version": 3,
        "sources": ["src/templates/assets/javascripts/a.ts", "node_modules/b.js"],
        "names": [],
        # line 0: col 0 -> a.ts:1, col 10 -> b.js:3; line 1 empty (a hint); line 2: col 4 -> a.ts:2
        "mappings": "AAAA,UCEA;;IDDA",
    }
    source_map.write_text(json.dumps(mapping))
    places = longtasks.SourceMap(source_map)
    assert places.place(0, 0) == "a.ts:1"
    assert places.place(0, 9) == "a.ts:1"
    assert places.place(0, 10) == "node_modules/b.js:3"
    assert places.place(1, 5) is None
    assert places.place(2, 3) is None
    assert places.place(2, 4) == "a.ts:2"
    assert places.place(9, 0) is None
