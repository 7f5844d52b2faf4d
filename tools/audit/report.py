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


def main(directory: Path) -> int:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    header = " ".join(f"{c:>14}" for c in CATEGORIES)
    print(f"{'page':30} {header} {'transfer KiB':>13}")
    for entry in manifest:
        if not entry["isRepresentativeRun"]:
            continue
        report = json.loads(Path(entry["jsonPath"]).read_text(encoding="utf-8"))
        runs = [
            other["summary"]["performance"] for other in manifest if other["url"] == entry["url"]
        ]
        every = " ".join(str(round(score * 100)) for score in runs)
        scores = " ".join(f"{round(entry['summary'][c] * 100):>14}" for c in CATEGORIES)
        # Bytes over the wire, after compression: what a reader on a metered line pays.
        kib = report["audits"]["total-byte-weight"]["numericValue"] / 1024
        page = urlsplit(entry["url"]).path
        print(f"{page:30} {scores} {kib:>13.0f}  (performance of each run: {every})")
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
