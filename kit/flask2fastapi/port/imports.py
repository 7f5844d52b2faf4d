"""Settle the imports the rules asked for, on the module's top-level statements only.

The rules ask for imports the `libcst.codemod.visitors` way (`AddImportsVisitor` /
`RemoveImportsVisitor` entries in the context's scratch). Running those two codemod
visitors was most of a port's time: building each one scans its class for matcher
functions (about 30 ms), and each copies the module and walks all of it; the removal
also resolves scopes and walks it three more times. What they edit, though, is a handful
of import lines, so `settle_imports` makes the same edits there:

* adding (`_Wanted`): the reading `AddImportsVisitor` does of the leading import block
  (after a docstring), the names merged into a leading `from m import` line, the other
  lines put after the block, a blank line before the code: its output, exactly;
* removing: a name asked to be dropped goes when nothing uses it, `GatherUnusedImports
  Visitor`'s test (no reference in scope, not in `__all__`, not in a string
  annotation). A name that does not occur outside the import lines is unused; one used
  only in the bodies of functions that have a parameter of that name (a view whose
  `request` became a parameter) is unused; anything else is looked up in the module's
  `ScopeProvider` scopes (one walk, no copy). `RemoveImportsVisitor`'s own statement
  edit (`leave_ImportFrom`) then runs on those lines, so commas, parentheses and
  comments come out as LibCST writes them.

LibCST's own visitors still run, on the whole module, where the shortcuts would have to
guess: a `from __future__` to add, a module (`import m`) to drop, an `import` word
anywhere but on a top-level import line (an import in a function, under `try:`…), a name
to drop that occurs in a string. Same output, only slower.
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

from flask2fastapi.port.base import FastTransformer

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
        module = _first_line_kept(module, _remove(_drop_rebound(module, context), context))
    return module


#: Where a rule's replacement of a Flask name comes from (`Response` → fastapi's).
_PORTED_FROM = ("fastapi", "starlette")


def _drop_rebound(module: cst.Module, context: CodemodContext) -> cst.Module:
    """`module` without the Flask names asked to be dropped that a top-level `fastapi` or
    `starlette` import binds too: the `responses` rule turns `Response(...)` into
    Starlette's `Response`, so the name is still used, but no longer Flask's (kept, the
    Flask import would make the port import Flask and a second run read it as Flask's)."""
    requested: dict[str, set[tuple[str, str | None]]] = {}
    for name, obj, alias in context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY, ()):
        if obj is not None:
            requested.setdefault(name, set()).add((obj, alias))
    lines = [i for i, s in enumerate(module.body) if _is_import_line(s)]
    ported: set[str] = set()
    for i in lines:
        for small in module.body[i].body:  # type: ignore[union-attr]
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            source = get_absolute_module_from_package_for_import(None, small) or ""
            if source.split(".")[0] in _PORTED_FROM:
                ported |= {str(a.evaluated_alias or a.evaluated_name) for a in small.names}
    unused: dict[cst.ImportAlias, cst.CSTNode] = {}
    for i in lines:
        for small in module.body[i].body:  # type: ignore[union-attr]
            for alias, parent, local in _requested(small, requested):
                if local in ported:
                    unused[alias] = parent
    if not unused:
        return module
    remover = _Remover(context, requested, unused)
    body: list[cst.BaseStatement] = []
    for i, statement in enumerate(module.body):
        if i in lines:
            body += cst.Module(body=[statement]).visit(remover).body
        else:
            body.append(statement)
    return module.with_changes(body=body)


def _first_line_kept(before: cst.Module, after: cst.Module) -> cst.Module:
    """`after`, where a dropped first statement (`from flask import …` on line 1) hands
    its leading lines to the statement now first: otherwise the blank line that separated
    the two would open the file."""
    old, new = before.body, after.body
    if (
        len(new) < len(old) > 1
        and new
        and new[0].deep_equals(old[1])
        and new[0].leading_lines != old[0].leading_lines
    ):
        body = (new[0].with_changes(leading_lines=old[0].leading_lines), *new[1:])
        return after.with_changes(body=body)
    return after


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _add(module: cst.Module, context: CodemodContext) -> cst.Module:
    """What `AddImportsVisitor` does, without building it (its matcher bookkeeping costs
    more than the edit): merge into the leading `from m import` lines, then put the rest
    after the leading import block."""
    items = context.scratch.get(AddImportsVisitor.CONTEXT_KEY, ())
    if any(i.module == "__future__" for i in items):  # placed apart: libcst's way
        return AddImportsVisitor(context).transform_module(module)
    wanted = _Wanted(items)
    body = list(module.body)
    start = 1 if _has_docstring_or_strict(body) else 0
    end = start
    while end < len(body) and _only_imports(body[end]):
        end += 1
    present = _Wanted(())
    for line in body[start:end]:
        present.gather(line.body[0])  # type: ignore[attr-defined]
    wanted.subtract(present)
    for i in range(start, end):
        statement = body[i].body[0]  # type: ignore[attr-defined]
        if isinstance(statement, cst.ImportFrom):
            merged = wanted.merge(statement)
            if merged is not statement:
                body[i] = body[i].with_changes(body=[merged])
    new = wanted.statements(module.config_for_parsing)
    if not new:
        return module.with_changes(body=body)
    after = body[end:]
    if after:  # a blank line between the imports and the code (AddImportsVisitor's rule)
        first = after[0]
        if not first.leading_lines:
            after[0] = first.with_changes(leading_lines=(cst.EmptyLine(),))
        elif first.leading_lines[0].comment is not None:
            after[0] = first.with_changes(leading_lines=(cst.EmptyLine(), *first.leading_lines))
    return module.with_changes(body=(*body[:end], *new, *after))


class _Wanted:
    """Imports as `AddImportsVisitor` keeps them: `import m`, `import m as a`,
    `from m import x` (per module, a set), `from m import x as a` (per module, a list)."""

    def __init__(self, items) -> None:  # type: ignore[no-untyped-def]
        items = [i.resolve_relative(None) for i in items]
        self.modules = {i.module for i in items if i.obj_name is None and i.alias is None}
        self.module_aliases = {
            i.module: i.alias for i in items if i.obj_name is None and i.alias is not None
        }
        self.objects: dict[str, set[str]] = {}
        self.aliases: dict[str, list[tuple[str, str]]] = {}
        for name in sorted({i.module for i in items if i.obj_name and i.alias is None}):
            self.objects[name] = {
                i.obj_name for i in items if i.module == name and i.obj_name and i.alias is None
            }
        for name in sorted({i.module for i in items if i.obj_name and i.alias is not None}):
            # Once each: two rules (or one, twice) may ask for the same aliased name.
            self.aliases[name] = list(
                dict.fromkeys(
                    (i.obj_name, i.alias)
                    for i in items
                    if i.module == name and i.obj_name and i.alias is not None
                )
            )

    def gather(self, node: cst.BaseSmallStatement) -> None:
        """Record an import that is already there (`_GatherImportsMixin`'s reading)."""
        if isinstance(node, cst.Import):
            for alias in node.names:
                if alias.evaluated_alias is not None:
                    self.module_aliases[alias.evaluated_name] = alias.evaluated_alias
                else:
                    self.modules.add(alias.evaluated_name)
            return
        if not isinstance(node, cst.ImportFrom):
            return
        module = get_absolute_module_from_package_for_import(None, node)
        if module is None:
            return
        if isinstance(node.names, cst.ImportStar):
            self.objects[module] = {"*"}
            return
        named = [(a.evaluated_name, a.evaluated_alias) for a in node.names if a.asname]
        if named:
            self.aliases.setdefault(module, []).extend(named)  # type: ignore[arg-type]
        plain = {a.evaluated_name for a in node.names if a.asname is None}
        if plain:
            here = self.objects.setdefault(module, set())
            if "*" in here:
                self.objects[module] = {"*"}
            else:
                here.update(plain)

    def subtract(self, present: _Wanted) -> None:
        """Forget what is already imported (`AddImportsVisitor.visit_Module`)."""
        self.modules -= present.modules
        for name, alias in present.module_aliases.items():
            if self.module_aliases.get(name) == alias:
                del self.module_aliases[name]
        for name, pairs in present.aliases.items():
            for pair in pairs:
                if pair in self.aliases.get(name, ()):
                    self.aliases[name].remove(pair)
                    if not self.aliases[name]:
                        del self.aliases[name]
        for name, objects in present.objects.items():
            if name not in self.objects:
                continue
            if "*" in objects:
                del self.objects[name]
            else:
                self.objects[name] -= objects
                if not self.objects[name]:
                    del self.objects[name]

    def merge(self, node: cst.ImportFrom) -> cst.ImportFrom:
        """A leading `from m import …` with what is wanted from `m` put first, sorted
        (`AddImportsVisitor.leave_ImportFrom`)."""
        if isinstance(node.names, cst.ImportStar):
            return node
        module = get_absolute_module_from_package_for_import(None, node)
        if module is None or (module not in self.objects and module not in self.aliases):
            return node
        objects = self.objects.pop(module, set())
        aliases = self.aliases.pop(module, [])
        return node.with_changes(
            names=[
                *(cst.ImportAlias(name=cst.Name(o)) for o in sorted(objects)),
                *(
                    cst.ImportAlias(name=cst.Name(o), asname=cst.AsName(name=cst.Name(a)))
                    for o, a in sorted(aliases)
                ),
                *node.names,
            ]
        )

    def statements(self, config) -> list[cst.SimpleStatementLine]:  # type: ignore[no-untyped-def]
        """The new import lines, in `AddImportsVisitor.leave_Module`'s order."""
        if not (self.modules or self.module_aliases or self.objects or self.aliases):
            return []
        per_module: dict[str, list[tuple[str, str | None]]] = {}
        for name, pairs in self.aliases.items():
            per_module.setdefault(name, []).extend(pairs)
        for name, objects in self.objects.items():
            per_module.setdefault(name, []).extend((o, None) for o in objects)
        lines = [f"import {m}" for m in sorted(self.modules)]
        lines += [f"import {m} as {a}" for m, a in self.module_aliases.items()]
        lines += [
            f"from {m} import "
            + ", ".join(o if a is None else f"{o} as {a}" for o, a in sorted(pairs))  # type: ignore[type-var]
            for m, pairs in per_module.items()
        ]
        return [cst.parse_statement(line, config=config) for line in lines]  # type: ignore[misc]


def _only_imports(statement: cst.CSTNode) -> bool:
    # AddImportsVisitor's test: a line holding exactly one import statement.
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _has_docstring_or_strict(body) -> bool:  # type: ignore[no-untyped-def]
    """AddImportsVisitor's `_skip_first`: a first line `"docstring"` or `__strict__ = …`."""
    if not body or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
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


class _Remover(FastTransformer):
    """`RemoveImportsVisitor`'s own edit of a `from m import …` statement, with the
    unused aliases given instead of gathered, on a plain transformer (building the
    codemod visitor costs more than the edit)."""

    leave_ImportFrom = RemoveImportsVisitor.leave_ImportFrom
    _process_importfrom_aliases = RemoveImportsVisitor._process_importfrom_aliases

    def __init__(
        self,
        context: CodemodContext,
        requested: dict[str, set[tuple[str, str | None]]],
        unused: dict[cst.ImportAlias, cst.CSTNode],
    ) -> None:
        super().__init__()
        self.context = context
        self.unused_obj_imports = requested
        self._unused_imports = unused


def _remove(module: cst.Module, context: CodemodContext) -> cst.Module:
    asked = context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY, ())
    lines = {i for i, s in enumerate(module.body) if _is_import_line(s)}
    full = module.code
    codes = [module.code_for_node(s) for s in module.body]
    # Every `import` word of the source on a top-level import line (a word in a string or
    # a comment counts too: that only sends the module the slow way).
    on_top = sum(len(_IMPORT_WORD.findall(codes[i])) for i in lines)
    if any(obj is None for _, obj, _ in asked) or on_top != len(_IMPORT_WORD.findall(full)):
        # `import a.b` (the rules never drop one) or an import out of reach: libcst's way.
        return RemoveImportsVisitor(context).transform_module(module)
    requested: dict[str, set[tuple[str, str | None]]] = {}
    for name, obj, alias in asked:
        requested.setdefault(name, set()).add((obj, alias))
    candidates: list[tuple[cst.ImportAlias, cst.CSTNode, str]] = []
    for i in sorted(lines):
        for small in module.body[i].body:  # type: ignore[union-attr]
            candidates += _requested(small, requested)
    if not candidates:
        return module
    outside = "".join(c for i, c in enumerate(codes) if i not in lines)
    unused: dict[cst.ImportAlias, cst.CSTNode] = {}
    scopes = strings = None
    bare = outside
    for alias, parent, local in candidates:
        occurs = re.compile(rf"(?<!\w){re.escape(local)}(?!\w)")
        if not occurs.search(outside):  # (the header and footer hold only comments)
            unused[alias] = parent
            continue
        if strings is None:
            strings, comments = _string_and_comment_tokens(full)
            bare = outside  # the code without its comments (a TODO's text names pages)
            for comment in comments:
                bare = bare.replace(comment, "")
        if any(local in s for s in strings):
            # `__all__` or a string annotation may name it: libcst's own test decides.
            return RemoveImportsVisitor(context).transform_module(module)
        if not occurs.search(bare):  # only in comments: `# TODO(…) — …/errors-and-abort/`
            unused[alias] = parent
            continue
        if _shadowed(module, codes, lines, local, occurs, outside):
            unused[alias] = parent
            continue
        if scopes is None:
            scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
        scope = scopes.get(parent)
        if scope is not None and not any(
            isinstance(a, ImportAssignment) and a.references for a in scope[local]
        ):
            unused[alias] = parent
    if not unused:
        return module
    remover = _Remover(context, requested, unused)
    body = []
    for i, statement in enumerate(module.body):
        if i in lines:
            # Visited as a module of one line, so that LibCST drops a line left empty.
            body += cst.Module(body=[statement]).visit(remover).body
        else:
            body.append(statement)
    return module.with_changes(body=body)


def _requested(
    node: cst.BaseSmallStatement, requested: dict[str, set[tuple[str, str | None]]]
) -> list[tuple[cst.ImportAlias, cst.CSTNode, str]]:
    """The aliases of one import statement that were asked to be dropped, with the name
    each binds (the test `RemoveImportsVisitor.leave_Import*` makes)."""
    found: list[tuple[cst.ImportAlias, cst.CSTNode, str]] = []
    if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        module = get_absolute_module_from_package_for_import(None, node)
        if module is None or module in MODULES_IGNORED_BY_DEFAULT:
            return found
        for alias in node.names:
            if (alias.evaluated_name, alias.evaluated_alias) in requested.get(module, ()):
                found.append((alias, node, alias.evaluated_alias or alias.evaluated_name))
    return found


def _string_and_comment_tokens(code: str) -> tuple[list[str], list[str]]:
    """The string literals and the comments of `code`, as written."""
    strings, comments = [], []
    for t in tokenize.generate_tokens(io.StringIO(code).readline):
        if t.type == tokenize.STRING:
            strings.append(t.string)
        elif t.type == tokenize.COMMENT:
            comments.append(t.string)
    return strings, comments


def _shadowed(
    module: cst.Module,
    codes: list[str],
    lines: set[int],
    local: str,
    occurs: re.Pattern[str],
    outside: str,
) -> bool:
    """True when every use of `local` outside the import lines is certainly not the
    import: each is in the body of a function (at the top level or a method of a
    top-level class) that has a parameter of that name, as a view does once its `request`
    is a parameter. Anything else (a use in a decorator, a default, a class body, a
    `global` statement, under `if`…) is False: the scope analysis decides.
    `codes` are the top-level statements' sources."""
    if re.search(r"(?<!\w)global(?!\w)", outside):
        return False

    def count(node: cst.CSTNode) -> int:
        return len(occurs.findall(module.code_for_node(node)))

    def function_ok(node: cst.CSTNode, uses: int) -> bool:
        if not isinstance(node, cst.FunctionDef):
            return False
        p = node.params
        named = [
            x
            for x in (*p.posonly_params, *p.params, *p.kwonly_params, p.star_arg, p.star_kwarg)
            if isinstance(x, cst.Param) and x.name.value == local
        ]
        # The header holds the parameter's name and nothing else that reads `local`.
        return len(named) == 1 and uses == count(node.body) + 1

    for i, statement in enumerate(module.body):
        uses = 0 if i in lines else len(occurs.findall(codes[i]))
        if not uses:
            continue
        if isinstance(statement, cst.ClassDef):
            inner = [(s, count(s)) for s in statement.body.body]
            inner = [(s, n) for s, n in inner if n]
            if sum(n for _, n in inner) != uses or not all(function_ok(*x) for x in inner):
                return False
        elif not function_ok(statement, uses):
            return False
    return True


# --- Names the port imports that the module already binds otherwise ---------------------
#
# A rule writes the names it imports as plain names (`Path(ge=0)`, `request: Request`).
# When the module already binds one of them otherwise (`from pathlib import Path`, a
# `class Response`), or two rules want one name from two modules (pathlib's `Path` for
# templates, FastAPI's for a path constraint), the one import line would rebind the name
# and silently change what the other uses call. `clashes` finds those names after a port;
# the driver then ports the module again with `Shelter`: every use of a clashing name is
# renamed to a placeholder tagged with its owner (the module's own binding before the
# rules run, each rule's wanted module after it runs), and `Shelter.settle` gives the
# module's own binding its name back and imports the others qualified
# (`import fastapi` … `fastapi.Path(ge=0)`), which no other binding can shadow.

_PLACEHOLDER = re.compile(r"^_f2f_(\d+)__(\w+)$")


def _top_bindings(module: cst.Module) -> dict[str, str]:
    """Name → what binds it at the top level of `module`: the module a `from m import`
    takes it from, or "" for a module's own def, class or assignment (also under a
    top-level `if`/`try`)."""
    found: dict[str, str] = {}

    def statements(body):  # type: ignore[no-untyped-def]
        for statement in body:
            if isinstance(statement, (cst.If, cst.Try)):
                yield from statements(statement.body.body)
                extra = [*getattr(statement, "handlers", ()), statement.orelse]
                for block in extra:
                    if block is not None and isinstance(block.body, cst.IndentedBlock):
                        yield from statements(block.body.body)
            else:
                yield statement

    for statement in statements(module.body):
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            found.setdefault(statement.name.value, "")
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                source = get_absolute_module_from_package_for_import(None, small) or ""
                for alias in small.names:
                    local = alias.evaluated_alias or alias.evaluated_name
                    found.setdefault(local, source if alias.asname is None else "")
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    local = alias.evaluated_alias or alias.evaluated_name.split(".")[0]
                    found.setdefault(local, "")
            elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else [small.target]
                )
                for target in targets:
                    if isinstance(target, cst.Name):
                        found.setdefault(target.value, "")
    return found


def _wanted_from(context: CodemodContext, start: int = 0) -> dict[str, list[str]]:
    """Name → the modules rules asked to import it from (plain `from m import name`),
    in the order asked, for the requests from index `start` on."""
    found: dict[str, list[str]] = {}
    for item in list(context.scratch.get(AddImportsVisitor.CONTEXT_KEY, ()))[start:]:
        if item.obj_name and item.alias is None and item.obj_name != "*":
            modules = found.setdefault(item.obj_name, [])
            if item.module not in modules:
                modules.append(item.module)
    return found


def _kept(original: cst.Module, context: CodemodContext) -> dict[str, str]:
    """The module's top-level bindings that stay after the port: not the Flask and
    Werkzeug names (the rules convert their uses, as `flask.Response` →
    Starlette's) nor an import a rule asked to drop. Module "" → "<module>"."""
    dropped = {(m, o) for m, o, _ in context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY, ())}
    return {
        name: source or "<module>"
        for name, source in _top_bindings(original).items()
        if source.split(".")[0] not in ("flask", "werkzeug") and (source, name) not in dropped
    }


def clashes(original: cst.Module, context: CodemodContext) -> set[str]:
    """The names the rules asked to import that would rebind another binding: one the
    module keeps (`_kept`) or one another rule imports from another module."""
    own = _kept(original, context)
    found = set()
    for name, modules in _wanted_from(context).items():
        sources = set(modules)
        if name in own:
            sources.add(own[name])
        if len(sources) > 1:
            found.add(name)
    return found


class _Rename(cst.CSTTransformer):
    """Rename the names that `rename` maps (a Name node's text → new expression text) where
    they are read, assigned or defined; never an attribute's name, a keyword argument's
    name, or an import line's name."""

    def __init__(self, rename) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.rename = rename

    def leave_Attribute(self, original, updated):  # type: ignore[no-untyped-def]
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original, updated):  # type: ignore[no-untyped-def]
        return updated.with_changes(keyword=original.keyword)

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Name(self, original: cst.Name, updated: cst.Name):  # type: ignore[no-untyped-def]
        new = self.rename(updated.value)
        if new is None or new == updated.value:
            return updated
        if "." in new:
            return cst.parse_expression(new).with_changes(lpar=updated.lpar, rpar=updated.rpar)
        return updated.with_changes(value=new)


class Shelter:
    """One module's port again, with the clashing names' uses told apart by owner."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.owners: list[str] = ["<module>"]  # tag → owner; 0 is the module's own binding
        self.asked = 0  # how many import requests `after_rule` has seen

    def _tag(self, owner: str) -> int:
        if owner not in self.owners:
            self.owners.append(owner)
        return self.owners.index(owner)

    def start(self, module: cst.Module) -> cst.Module:
        """The module with its own uses of the clashing names tagged as its own."""
        return self._mark(module, 0)

    def after_rule(self, module: cst.Module, context: CodemodContext) -> cst.Module:
        """Tag the plain uses a rule left of a clashing name it asked to import (the
        requests since the last call) as that module's."""
        start, self.asked = self.asked, len(context.scratch.get(AddImportsVisitor.CONTEXT_KEY, ()))
        for name, modules in _wanted_from(context, start).items():
            if name in self.names and len(modules) == 1:
                module = self._mark(module, self._tag(modules[0]), {name})
        return module

    def _mark(self, module: cst.Module, tag: int, names: set[str] | None = None) -> cst.Module:
        names = self.names if names is None else names
        return module.visit(_Rename(lambda v: f"_f2f_{tag}__{v}" if v in names else None))

    def settle(
        self, module: cst.Module, original: cst.Module, context: CodemodContext
    ) -> cst.Module:
        """Give each clashing name to one owner (the module's own binding, else the first
        module a rule imports it from); import it from the others qualified."""
        own = _kept(original, context)
        keeper: dict[str, str] = {}
        for name in self.names:
            if name in own:
                keeper[name] = own[name]
            else:
                keeper[name] = _wanted_from(context).get(name, ["<module>"])[0]
        items = context.scratch.get(AddImportsVisitor.CONTEXT_KEY, [])
        qualified = set()
        for item in list(items):
            name = item.obj_name
            if name in self.names and item.alias is None and item.module != keeper[name]:
                items.remove(item)
                qualified.add((item.module, name))
        for owner in sorted({owner for owner, _ in qualified}):
            AddImportsVisitor.add_needed_import(context, owner)

        def restore(value: str) -> str | None:
            match = _PLACEHOLDER.match(value)
            if not match:
                return None
            owner, name = self.owners[int(match[1])], match[2]
            if owner in ("<module>", keeper.get(name)):
                return name
            return f"{owner}.{name}"

        return module.visit(_Rename(restore))
