"""The port proof page is generated (`nox -s port_proof`); it is stale when any input
changed since. Its check compares the inputs' hash, so the proof is not rerun here."""

from __future__ import annotations

from guidekit import portproof


def test_port_proof_is_fresh():
    stale = portproof.generate(check=True)
    assert not stale, f"stale: {stale}; regenerate with: nox -s port_proof"


def test_every_port_rule_is_registered_with_a_page():
    from flask2fastapi.knowledge import Knowledge
    from flask2fastapi.port.driver import RULE_IDS
    from flask2fastapi.rules import RULES

    assert {r for r, rule in RULES.items() if rule.kind == "port"} == set(RULE_IDS)
    for rule in RULE_IDS:
        assert Knowledge.load().page(RULES[rule].page).url


def test_the_sample_shop_s_port_answers_like_the_flask_sample_but_where_a_todo_says():
    """Issue 21's done-when, as the committed proof records it: the sample's port is a
    FastAPI app, and `parity` against the Flask sample finds no unexpected answer outside
    the routes a TODO marks."""
    import re

    text = portproof.PROOF_FILE.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("**The sample shop**"))
    assert "The port is a fastapi app" in line
    found = re.search(r"against the Flask sample gives ([^;(]+)", line)
    assert found and "0 unexpected" in found[1], line
