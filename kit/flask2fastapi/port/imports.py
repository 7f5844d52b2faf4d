"""Settle the imports the rules asked for, on the module's top-level statements only.

The rules ask for imports the `libcst.codemod.visitors` way (`AddImportsVisitor` /
`RemoveImportsVisitor` entries in the context's scratch). Running those two visitors on
the whole module is most of a port's time: each copies the module, walks all of it with
matchers, and the removal resolves scopes and walks it three more times. What they edit,
though, is a handful of import lines, so `settle_imports` gives them only those lines:

* adding: `AddImportsVisitor` reads and edits nothing but the leading import block (after
  a docstring) and the first statement after it (a blank line before it), so it runs on a
  module of those statements and the rest of the body is put back after them;
* removing (when every import is on a top-level line): a name is dropped when nothing uses it: no reference in scope, not in
  `__all__`, not in a string annotation (`GatherUnusedImportsVisitor`'s test). A name
  that does not occur outside the import lines at all is unused without further ado; one
  that does is looked up in the module's `ScopeProvider` scopes (one walk, no copy); one
  that occurs in a string literal is left to libcst's own gatherers. `RemoveImportsVisitor`
  then edits only the top-level import lines, so commas and parentheses come out as libcst
  writes them.

A module with an import anywhere but on a top-level line (in a function, under `try:`…)
has its removals made by the whole-module visitor, as before: same output, only slower.
"""

from __future__ import annotations

import io
import re
import tokenize

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.codemod.visitors._gather_unused_imports import MODULES_IGNORED_BY_DEFAULT
from libcst.helpers import get_absolute_module_from_package_for_import
from libcst.metadata import ImportAssignment, MetadataWrapper, ScopeProvider

_IMPORT_WORD = re.compile(r"\bimport\b")


def settle_imports(module: cst.Module, context: CodemodContext) -> cst.Module:
    """`module` with the imports asked for in `context.scratch` added, then the unused ones
    among those asked to be dropped removed: the same module `AddImportsVisitor` then
    `RemoveImportsVisitor` would give, in a fraction of the time."""
    adding = bool(context.scratch.get(AddImportsVisitor.CONTEXT_KEY))
    removing = bool(context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY))
    if not adding and not removing:
        return module
    if adding:
        module = _add(module, context)
    if removing:
        module = _remove(module, context)
    return module


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _imports_only_on_top_lines(module: cst.Module) -> bool:
    """True when every `import` word of the source is in a top-level import line (a word
    in a string or a comment counts too: that only sends the module the slow way)."""
    top = sum(
        len(_IMPORT_WORD.findall(module.code_for_node(s)))
        for s in module.body
        if _is_import_line(s)
    )
    return top == len(_IMPORT_WORD.findall(module.code))


def _add(module: cst.Module, context: CodemodContext) -> cst.Module:
    body = module.body
    start = 1 if _has_docstring_or_strict(body) else 0
    end = start
    while end < len(body) and _only_imports(body[end]):
        end += 1
    # The visitor reads body[:end] and puts a blank line before body[end].
    head = module.with_changes(body=body[: end + 1])
    done = AddImportsVisitor(context).transform_module(head)
    return module.with_changes(body=(*done.body, *body[end + 1 :]))


def _only_imports(statement: cst.CSTNode) -> bool:
    # AddImportsVisitor's test: a line holding exactly one import statement.
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _has_docstring_or_strict(body) -> bool:  # type: ignore[no-untyped-def]
    """AddImportsVisitor's `_skip_first`: a first line `"docstring"` or `__strict__ = …`."""
    if not body or not isinstance(body[0], cst.SimpleStatementLine) or not body[0].body:
        return False
    first = body[0].body[0]
    if isinstance(first, cst.Expr):
        return isinstance(first.value, cst.SimpleString)
    return (
        isinstance(first, cst.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0].target, cst.Name)
        and first.targets[0].target.value == "__strict__"
    )


class _Remover(RemoveImportsVisitor):
    """`RemoveImportsVisitor` with the unused aliases given instead of gathered (its
    `visit_Module` gathers them; this one is run on single statements)."""

    def __init__(self, context: CodemodContext, unused: dict[cst.ImportAlias, cst.CSTNode]):
        super().__init__(context)
        self._unused_imports = unused  # type: ignore[assignment]


def _remove(module: cst.Module, context: CodemodContext) -> cst.Module:
    wanted = RemoveImportsVisitor(context)  # parses the requests; not run on the module
    if wanted.unused_module_imports or not _imports_only_on_top_lines(module):
        # `import a.b` (the rules never drop one) or an import out of reach: libcst's way.
        return wanted.transform_module(module)
    lines = [i for i, s in enumerate(module.body) if _is_import_line(s)]
    candidates: list[tuple[cst.ImportAlias, cst.CSTNode, str]] = []
    for i in lines:
        for small in module.body[i].body:  # type: ignore[union-attr]
            candidates += _requested(small, wanted)
    if not candidates:
        return module
    outside = _text_outside(module, lines)
    unused: dict[cst.ImportAlias, cst.CSTNode] = {}
    scopes = strings = None
    for alias, parent, local in candidates:
        occurs = re.compile(rf"(?<!\w){re.escape(local)}(?!\w)")
        if not occurs.search(outside):
            unused[alias] = parent
            continue
        if strings is None:
            strings = _string_tokens(module.code)
        if any(local in s for s in strings):
            # `__all__` or a string annotation may name it: libcst's own test decides.
            return RemoveImportsVisitor(context).transform_module(module)
        if scopes is None:
            scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
        scope = scopes.get(parent)
        if scope is not None and not any(
            isinstance(a, ImportAssignment) and a.references for a in scope[local]
        ):
            unused[alias] = parent
    if not unused:
        return module
    remover = _Remover(context, unused)
    body = []
    for i, statement in enumerate(module.body):
        if i in lines:
            statement = statement.visit(remover)
            if isinstance(statement, cst.RemovalSentinel):
                continue
        body.append(statement)
    return module.with_changes(body=body)


def _requested(
    node: cst.BaseSmallStatement, wanted: RemoveImportsVisitor
) -> list[tuple[cst.ImportAlias, cst.CSTNode, str]]:
    """The aliases of one import statement that were asked to be dropped, with the name
    each binds (the test `RemoveImportsVisitor.leave_Import*` makes)."""
    found: list[tuple[cst.ImportAlias, cst.CSTNode, str]] = []
    if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        module = get_absolute_module_from_package_for_import(None, node)
        if module is None or module in MODULES_IGNORED_BY_DEFAULT:
            return found
        for alias in node.names:
            if (alias.evaluated_name, alias.evaluated_alias) in wanted.unused_obj_imports.get(
                module, ()
            ):
                found.append((alias, node, alias.evaluated_alias or alias.evaluated_name))
    return found


def _text_outside(module: cst.Module, lines: list[int]) -> str:
    """The module's source without its top-level import lines."""
    rest = [s for i, s in enumerate(module.body) if i not in lines]
    return module.with_changes(body=rest).code


def _string_tokens(code: str) -> list[str]:
    return [
        t.string
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type == tokenize.STRING
    ]
