"""`flask2fastapi port`: rewrite a Flask app into its FastAPI port, one small rule at a time.

Each rule (`flask2fastapi.rules`, kind `port`) follows one tested page of the guide and
refuses to guess: what it cannot convert with that page's behaviour stays as it was, with
`# TODO(flask2fastapi <rule>): <what to do> — <page address>` on that line. Built on
LibCST (the kit's `port` extra), so comments and layout come out as they went in.
"""

from flask2fastapi.port.driver import (
    RULE_IDS,
    PortError,
    PortReport,
    Todo,
    port_source,
    port_tree,
    selected_rules,
    unified_diff,
)

__all__ = [
    "RULE_IDS", "PortError", "PortReport", "Todo", "port_source", "port_tree",
    "selected_rules", "unified_diff",
]  # fmt: skip
