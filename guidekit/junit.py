"""`python -m guidekit.junit REPORT.xml`: which topics a pytest run broke, from its JUnit XML.

`nox -s latest` runs the suite against the newest framework releases and asks this
module for a summary a maintainer can act on: the topics to look at, with their failing
test ids, rather than a thousand lines of pytest output.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from guidekit.topics import topic_from_test_module, topics

#: Where failures of tests that belong to no topic (meta-tests, generators) are listed.
NOT_A_TOPIC = "(not a topic)"


def topic_of(classname: str, name: str, known: set[str]) -> str:
    """`tests.test_cors` → `cors`; `test_x[cors]` in another module → `cors`; else NOT_A_TOPIC."""
    module = classname.rpartition(".")[2]
    if module.startswith("test_") and (topic := topic_from_test_module(module)) in known:
        return topic
    _, _, param = name.partition("[")
    return param.removesuffix("]") if param.removesuffix("]") in known else NOT_A_TOPIC


def broken(report: Path) -> dict[str, list[str]]:
    """Topic → ids of its failed or erroring tests, from a JUnit XML report."""
    known = set(topics())
    found: dict[str, list[str]] = defaultdict(list)
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own pytest's report
        if case.find("failure") is not None or case.find("error") is not None:
            classname, name = case.get("classname", ""), case.get("name", "")
            found[topic_of(classname, name, known)].append(f"{classname}::{name}")
    return dict(sorted(found.items()))


def summary(found: dict[str, list[str]]) -> str:
    """Topics first (what a maintainer fixes), then each failing test id under its topic."""
    if not found:
        return "No test failed: no topic broke."
    names = [topic for topic in found if topic != NOT_A_TOPIC]
    lines = [f"Topics that broke ({len(names)}): {', '.join(names) or 'none'}"]
    for topic, ids in found.items():
        lines.append(f"  {topic}:")
        lines += [f"    {test_id}" for test_id in ids]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    found = broken(Path(args[0]))
    print(summary(found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
