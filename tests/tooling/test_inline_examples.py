"""Python blocks typed into pages (not included from snippets/) are linted and run.

Blocks that include a snippet file are skipped here: the parity harness tests those.
A block that should not run says so in its fence: ```python {test="skip"}.
Update `#>` output comments with:
  nox -s tests -- tests/tooling/test_inline_examples.py --update-examples
"""

from __future__ import annotations

import re

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from guidekit.topics import DOCS, pages

FOUND = list(find_examples(str(DOCS)))
# Blocks that include a snippet file are tested by their topic's module.
EXAMPLES = [example for example in FOUND if "--8<--" not in example.source]
_PYTHON_FENCE = re.compile(r"^\s*```(python|py)\b", re.MULTILINE)


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_inline_example(example: CodeExample, eval_example: EvalExample) -> None:
    if example.prefix_settings().get("test") == "skip":
        pytest.skip("marked test=skip in its fence")
    eval_example.set_config(target_version="py311", line_length=100)
    # On Python 3.11 an exception escaping run_print_check crashes pytest-examples' own
    # traceback handling; catch it here and fail outside the except block.
    error = None
    try:
        if eval_example.update_examples:
            eval_example.format(example)
            eval_example.run_print_update(example)
        else:
            eval_example.lint(example)
            eval_example.run_print_check(example)
    except Exception as exc:  # any error is a failing example
        error = f"{type(exc).__name__}: {exc}"
    if error:
        pytest.fail(f"{example.path}:{example.start_line}: {error}", pytrace=False)


def test_every_python_block_is_seen():
    """pytest-examples silently skips whole files in some fence styles; count blocks ourselves."""
    expected = sum(len(_PYTHON_FENCE.findall(p.read_text())) for p in pages())
    assert len(FOUND) == expected
    assert EXAMPLES, "pages should have inline examples to test"


def test_inline_blocks_stay_short():
    """Anything longer than 12 lines belongs in a snippet file, included with --8<--."""
    long = [str(example) for example in EXAMPLES if len(example.source.splitlines()) > 12]
    assert long == []
