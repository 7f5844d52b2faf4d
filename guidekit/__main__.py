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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guidekit", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale fragments")
    parser.add_argument("topics", nargs="*", help="only these topics (default: all)")
    args = parser.parse_args(argv)
    stale = versions.generate(args.check) + cheatsheet.generate(args.check)
    stale += extensions.generate(args.check) + flaskapi.generate(args.check)
    stale += kitdata.generate(args.check) + yourapp.generate(args.check)
    stale += floors.generate(args.check) + traps.generate(args.check)
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
