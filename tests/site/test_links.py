"""Every internal link and #anchor in the built site resolves (LinkChecker, offline)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CONFIG = Path(__file__).with_name("linkcheckerrc")


def test_internal_links_and_anchors_resolve(base_url):
    linkchecker = shutil.which("linkchecker")
    assert linkchecker, "linkchecker is installed with the lock (requirements.txt)"
    # Over HTTP from the test server: LinkChecker drops root privileges to "nobody", who
    # may not read the build directory. Only URLs on this host are checked (no --check-extern).
    result = subprocess.run(
        [
            linkchecker,
            "--config", str(CONFIG),
            "--no-status",
            "--no-warnings",
            "--threads", "4",
            # Pygments' per-line anchors: thousands of links that only point at their own line.
            "--ignore-url", "__codelineno",
            # The Flask API index: a heading per name, each with its permalink; LinkChecker
            # fetches the page again for every one (>10 min). The headings' ids are pinned by
            # tests/test_flask_api_index.py::test_the_index_page_gives_every_name_a_heading.
            "--ignore-url", "flask-api-index/#",
            base_url + "/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
    assert "0 errors found" in result.stdout
