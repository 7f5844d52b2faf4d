"""Print the table of a Lighthouse CI run: four category scores and bytes transferred.

`nox -s audit` runs it after `lhci collect` and `lhci upload --target=filesystem` (which
writes .lighthouseci/reports/manifest.json) and before `lhci assert` (which fails the
session below the targets of lighthouserc.json), so the numbers show even when an
assertion fails. For each page it reports the run lhci marks as representative (the
median run, the one `aggregationMethod: median-run` judges) and, under it, the audits that
cost points. Usage: `python tools/audit/report.py [.lighthouseci/reports]`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def _tbt(entry: dict) -> float:
    """Total Blocking Time (ms) of one run of the manifest."""
    report = json.loads(Path(entry["jsonPath"]).read_text(encoding="utf-8"))
    return report["audits"]["total-blocking-time"]["numericValue"]


def main(directory: Path) -> int:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    header = " ".join(f"{c:>14}" for c in CATEGORIES)
    print(f"{'page':30} {header} {'transfer KiB':>13}")
    for entry in manifest:
        if not entry["isRepresentativeRun"]:
            continue
        report = json.loads(Path(entry["jsonPath"]).read_text(encoding="utf-8"))
        runs = [other for other in manifest if other["url"] == entry["url"]]
        # Per run, performance and Total Blocking Time: on a busy machine they vary together.
        every = ", ".join(
            f"{round(run['summary']['performance'] * 100)} / {_tbt(run):.0f} ms" for run in runs
        )
        scores = " ".join(f"{round(entry['summary'][c] * 100):>14}" for c in CATEGORIES)
        # Bytes over the wire, after compression: what a reader on a metered line pays.
        kib = report["audits"]["total-byte-weight"]["numericValue"] / 1024
        page = urlsplit(entry["url"]).path
        print(f"{page:30} {scores} {kib:>13.0f}  (performance / TBT of each run: {every})")
        # Facts the machine's load moves little, and how fast Lighthouse found the machine.
        dom = report["audits"]["dom-size"]["numericValue"]
        bench = report["environment"]["benchmarkIndex"]
        print(f"    {dom:.0f} elements; CPU benchmark index {bench:.0f}")
        for category in CATEGORIES:  # what cost points, so that a score can be acted on
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                    shown = audit.get("displayValue", "")
                    print(f"    {category}: {audit['title']} {shown}".rstrip())
    print(f"Lighthouse {report['lighthouseVersion']}, {report['configSettings']['formFactor']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".lighthouseci/reports")))
