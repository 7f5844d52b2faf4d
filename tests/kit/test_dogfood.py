"""The guide's own harness and exchange runner are the kit's code, not a copy of it."""

from __future__ import annotations

import flask2fastapi.apps
import flask2fastapi.traffic

from guidekit import exchanges, harness


def test_the_harness_is_the_kits():
    assert harness.client_for is flask2fastapi.apps.client_for
    assert harness.print_tracebacks is flask2fastapi.apps.print_tracebacks
    assert harness.BASE_URL == flask2fastapi.apps.BASE_URL
    assert set(harness.__all__) == {
        "BASE_URL", "client_for", "demo_environ", "environ", "load_app", "load_module",
        "print_tracebacks",
    }  # fmt: skip


def test_the_exchange_runner_is_the_kits():
    assert exchanges.Exchange is flask2fastapi.traffic.Exchange
    items = exchanges.load_exchanges("path-parameters")
    assert items and all(isinstance(i, flask2fastapi.traffic.Exchange) for i in items)
