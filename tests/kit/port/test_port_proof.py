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
