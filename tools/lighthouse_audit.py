"""Run Lighthouse on the built site and print its four category scores and page weight.

An audit, not a test: scores move with Lighthouse releases and machine load. Usage (after
`mkdocs build`): `python tools/lighthouse_audit.py [PATH ...]`. It serves `site/` on
127.0.0.1, runs Lighthouse (npm, pinned below) in Debian's Chromium and prints a table.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

LIGHTHOUSE = "lighthouse@13.5.0"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ["/", "/routing/path-parameters/"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def audit(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    result = subprocess.run(
        ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", "--output-path=stdout",
         f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def main(paths: list[str]) -> int:
    server, base = serve(Path(os.environ.get("SITE_DIR", ROOT / "site")))
    try:
        print(f"{'page':32} " + " ".join(f"{c:>14}" for c in CATEGORIES) + f" {'weight (KiB)':>13}")
        for path in paths or DEFAULT_PATHS:
            report = audit(base + path)
            scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
            weight = report["audits"]["total-byte-weight"]["numericValue"] / 1024
            print(f"{path:32} " + " ".join(f"{s:>14}" for s in scores) + f" {weight:>13.0f}")
            for category in CATEGORIES:  # say what cost points, so a score can be acted on
                for ref in report["categories"][category]["auditRefs"]:
                    audit_result = report["audits"][ref["id"]]
                    if ref["weight"] and (audit_result.get("score") or 0) < 0.9:
                        print(f"    {category}: {audit_result['title']}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
