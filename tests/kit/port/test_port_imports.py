"""The port's import bookkeeping (`flask2fastapi.port.imports.settle_imports`) gives the
module LibCST's `AddImportsVisitor` then `RemoveImportsVisitor` give, on each shape of
module its fast paths read (and on those they hand back to LibCST); the rules' plumbing
(cached visit/leave lookups, the forked workers of a large tree) changes no output."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from flask2fastapi.port import driver, port_tree
from flask2fastapi.port.base import FastTransformer, FastVisitor, children, walk
from flask2fastapi.port.imports import settle_imports
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

# (source, imports to add as (module, name, asname), names to drop from flask)
CASES = {
    "merge into the leading fastapi line, drop unused": (
        """\
        from flask import Blueprint, abort, request
        from fastapi import Query

        def view(request):
            return request.args
        """,
        [("fastapi", "HTTPException", None), ("fastapi", "Path", "path_")],
        ["abort", "request", "Blueprint"],
    ),
    "new lines after a docstring and a comment": (
        '''\
        """A module."""
        import os
        # the app
        from flask import jsonify
        x = jsonify
        ''',
        [("typing", "Annotated", None), ("uuid", "UUID", None), ("fastapi", "Path", "p")],
        ["jsonify"],
    ),
    "code right after the imports, no blank line": (
        """\
        from flask import abort
        app = 1
        """,
        [("fastapi", "HTTPException", None)],
        ["abort"],
    ),
    "nothing after the imports": (
        "from flask import abort\n",
        [("fastapi", "HTTPException", None)],
        ["abort"],
    ),
    "parenthesised, trailing comma, comments": (
        """\
        from flask import (  # web
            abort,
            request,  # the request
            jsonify,
        )

        def f():
            return jsonify()
        """,
        [],
        ["abort", "request"],
    ),
    "semicolons and an aliased name": (
        """\
        import os; from flask import abort as stop, g
        from flask import request as req

        def f(req):
            return req, g
        """,
        [("fastapi", "Request", None)],
        ["abort", "request"],
    ),
    "a use outside the shadowing function": (
        """\
        from flask import request

        def f(request):
            return request

        def g():
            return request.args
        """,
        [],
        ["request"],
    ),
    "a use in a default, a decorator, a class body": (
        """\
        from flask import request, abort, g

        @abort
        def f(abort):
            return abort

        def h(request=request):
            return request

        class C:
            x = g
        """,
        [],
        ["request", "abort", "g"],
    ),
    "methods with the parameter, and a global statement": (
        """\
        from flask import request

        class V:
            def get(self, request):
                return request

        def f():
            global request
            request = 1
        """,
        [],
        ["request"],
    ),
    "methods with the parameter": (
        """\
        from flask import request

        class V:
            def get(self, request):
                return request

            def post(self, request, /):
                return request
        """,
        [],
        ["request"],
    ),
    "a nested import: libcst's own way": (
        """\
        from flask import request

        def f():
            from flask import abort
            return 1
        """,
        [("fastapi", "Request", None)],
        ["abort", "request"],
    ),
    "named in a string: libcst's own way": (
        """\
        from flask import request, Response
        __all__ = ["request"]

        def f(x: "Response", request): return request
        """,
        [],
        ["request", "Response"],
    ),
    "an import star and a relative import": (
        """\
        from flask import *
        from . import views
        from fastapi import *

        def f(): return abort
        """,
        [("fastapi", "HTTPException", None)],
        ["abort"],
    ),
    "a name imported twice": (
        """\
        from flask import abort
        from flask import abort, g
        print(g)
        """,
        [("fastapi", "HTTPException", None), ("fastapi", "HTTPException", None)],
        ["abort", "abort"],
    ),
}


def _libcst(module: cst.Module, context: CodemodContext) -> cst.Module:
    if AddImportsVisitor.CONTEXT_KEY in context.scratch:
        module = AddImportsVisitor(context).transform_module(module)
    if RemoveImportsVisitor.CONTEXT_KEY in context.scratch:
        module = RemoveImportsVisitor(context).transform_module(module)
    return module


def _context(adds, drops) -> CodemodContext:  # type: ignore[no-untyped-def]
    context = CodemodContext()
    for module, name, asname in adds:
        AddImportsVisitor.add_needed_import(context, module, name, asname)
    for name in drops:
        RemoveImportsVisitor.remove_unused_import(context, "flask", name)
    return context


@pytest.mark.parametrize("case", CASES)
def test_settle_imports_is_libcsts_add_then_remove(case):
    source, adds, drops = CASES[case]
    module = cst.parse_module(textwrap.dedent(source))
    expected = _libcst(module, _context(adds, drops)).code
    assert settle_imports(module, _context(adds, drops)).code == expected


def test_nothing_asked_leaves_the_module_as_it_is():
    module = cst.parse_module("from flask import abort\n")
    assert settle_imports(module, CodemodContext()) is module


def test_cached_hooks_call_what_libcst_calls():
    calls: list[str] = []

    class Plain(cst.CSTTransformer):
        def visit_Name(self, node):
            calls.append(f"visit {node.value}")

        def leave_Name(self, original, updated):
            return updated.with_changes(value=updated.value.upper())

        def visit_Call_func(self, node):
            calls.append("call func")

        def leave_Arg_value(self, node):
            calls.append("arg value")

        def visit_Lambda(self, node):
            return False

    class Fast(FastTransformer):
        visit_Name = Plain.visit_Name
        leave_Name = Plain.leave_Name
        visit_Call_func = Plain.visit_Call_func
        leave_Arg_value = Plain.leave_Arg_value
        visit_Lambda = Plain.visit_Lambda

    module = cst.parse_module("f(a, b=c)\ng = lambda x: y\n")
    plain = module.visit(Plain()).code
    plain_calls, calls[:] = list(calls), []
    assert module.visit(Fast()).code == plain == "F(A, B=C)\nG = lambda x: y\n"
    assert calls == plain_calls

    seen: list[str] = []

    class PlainLeaves(cst.CSTVisitor):
        def leave_Name(self, node):
            seen.append(node.value)

    class Leaves(FastVisitor):
        leave_Name = PlainLeaves.leave_Name

    module.visit(PlainLeaves())
    plain_seen, seen[:] = list(seen), []
    module.visit(Leaves())
    assert seen == plain_seen == ["f", "a", "b", "c", "g", "x", "y"]


WALKED = '''\
"""Doc."""
from a import (b, c)
from . import *
import x.y as z  # note

@deco(1, *args, k=v, **kw)
async def f(p: int = 0, /, *q, r, **s) -> None:
    global g
    del h
    x = f"{p!r:>{r}} {q=}"
    y = [i async for i in z if i] + {k: v for k, v in s.items()}
    with open(p) as fh, other():
        pass
    try:
        raise ValueError from None
    except* (A, B) as e:
        yield
    finally:
        return lambda t=1: t
class C(Base, metaclass=M):
    a: int = 1; b = 2
    def m(self): return self[1:2, ::3]
match p:
    case [1, *rest] | {"k": _} if rest: pass
while x: break
else: y @= 2 ** -x
def g[T](v: T) -> T: return v
'''


class _Recording:
    """Records every hook LibCST calls and, as a transformer, rewrites: names upper-cased,
    `pass` and `del` removed, `break` made two statements; lambdas are not entered."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    def on_visit(self, node):
        self.calls.append(("visit", type(node).__name__))
        return not isinstance(node, cst.Lambda)

    def on_visit_attribute(self, node, attribute):
        self.calls.append(("attr", f"{type(node).__name__}.{attribute}"))

    def on_leave_attribute(self, node, attribute):
        self.calls.append(("left", f"{type(node).__name__}.{attribute}"))


class _RecordingTransformer(_Recording, cst.CSTTransformer):
    def on_leave(self, original, updated):
        self.calls.append(("leave", type(original).__name__))
        if isinstance(updated, cst.Name):
            return updated.with_changes(value=updated.value.upper())
        if isinstance(updated, cst.Pass | cst.Del):
            return cst.RemoveFromParent()
        if isinstance(updated, cst.Break):
            return cst.FlattenSentinel([updated, cst.Continue()])
        return updated


class _RecordingVisitor(_Recording, cst.CSTVisitor):
    def on_leave(self, original):
        self.calls.append(("leave", type(original).__name__))


@pytest.mark.parametrize("kind", [_RecordingTransformer, _RecordingVisitor])
def test_walk_calls_what_libcsts_visit_calls_and_returns_the_same(kind):
    module = cst.parse_module(WALKED)
    plain, fast = kind(), kind()
    expected = module.visit(plain)
    got = walk(module, fast)
    assert fast.calls == plain.calls
    assert got.code == expected.code
    assert got.deep_equals(expected)
    if kind is _RecordingVisitor:
        assert got is module
    else:
        assert "break; continue" in got.code and "del h" not in got.code  # flattened, removed
        assert "VALUEERROR" in got.code and "lambda t=1: t" in got.code  # lambdas not entered
    assert walk(cst.parse_module(""), kind()).code == ""


def test_walk_rebuilds_only_what_changed():
    module = cst.parse_module("def f():\n    return a\n\ndef g():\n    return b\n")

    class Rename(FastTransformer):
        def leave_Name(self, original, updated):
            return updated.with_changes(value="c") if updated.value == "a" else updated

    new = walk(module, Rename())
    assert new.code == "def f():\n    return c\n\ndef g():\n    return b\n"
    assert new.body[1] is module.body[1] and new.body[0] is not module.body[0]
    assert walk(module, FastVisitor()) is module


def test_a_large_tree_ported_in_workers_is_the_same(tmp_path, monkeypatch):
    src = tmp_path / "shop"
    src.mkdir()
    (src / "__init__.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    for i in range(6):
        (src / f"v{i}.py").write_text(
            "from flask import Blueprint, abort, request\n"
            f'bp = Blueprint("v{i}", __name__)\n\n'
            f'@bp.route("/<int:n>")\ndef view(n):\n'
            '    if request.args.get("x"):\n        abort(404)\n'
            '    data = request.get_json(silent=True) if request.method != "GET" else None\n'
            '    return {"n": n, "data": data}\n'
        )
    one = port_tree(src, tmp_path / "one")
    monkeypatch.setattr(driver, "PARALLEL_FROM", 2)
    monkeypatch.setattr(driver.os, "cpu_count", lambda: 2)
    many = port_tree(src, tmp_path / "many", docs_url="https://docs.example/guide/")
    assert [f.after for f in many.files] != [f.after for f in one.files]  # the link moved
    assert many.todos and all("https://docs.example/guide/" in t.text for t in many.todos)
    again = port_tree(src, tmp_path / "again")
    assert [(f.path, f.after, f.conversions) for f in again.files] == [
        (f.path, f.after, f.conversions) for f in one.files
    ]
    assert again.todos == one.todos


def test_children_are_libcsts():
    class Check(cst.CSTVisitor):
        def on_visit(self, node):
            assert children(node) == list(node.children)
            return True

    cst.parse_module(WALKED).visit(Check())
