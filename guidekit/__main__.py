"""`python -m guidekit [--check] [TOPIC ...]`: regenerate the committed fragments."""

from __future__ import annotations

import argparse
import sys

from guidekit import (
    cheatsheet,
    exchanges,
    extensions,
    flaskapi,
    floors,
    kitdata,
    traps,
    versions,
    yourapp,
)
from guidekit.topics import ROOT

#: Every generator of committed fragments but the per-topic responses (`exchanges`), each a
#: module with `generate(check: bool) -> list[Path]` (the stale or rewritten files).
#: tests/tooling/test_generated.py checks each, so a suite that passed proves `--check` would.
GENERATORS = (versions, cheatsheet, extensions, flaskapi, kitdata, yourapp, floors, traps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guidekit", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale fragments")
    parser.add_argument("topics", nargs="*", help="only these topics (default: all)")
    args = parser.parse_args(argv)
    stale = [path for module in GENERATORS for path in module.generate(args.check)]
    stale += exchanges.generate(args.check, args.topics)
    for path in stale:
        verb = "stale" if args.check else "wrote"
        print(f"{verb}: {path.relative_to(ROOT)}")
    if args.check and stale:
        print("Regenerate with: nox -s generate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
