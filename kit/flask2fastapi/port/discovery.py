"""Route discovery, the way `scan` does it: the one place `port` reads the scan's code.

It uses `flask2fastapi.paths.convert_rule` (a Werkzeug rule → the FastAPI path and its
parameters) and `RULE_PART` (a rule's `<converter(args):name>` parts). The scan's route
model (`flask2fastapi.scan.route_model_of(path)`: full rules, endpoints with blueprint
prefixes, `MethodView` methods) is not read yet: the `routes` rule converts one decorator
at a time from its own module, and using the model's endpoints and class-based views needs
that rule's rewriting to change with it (see issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask2fastapi.paths import RULE_PART, convert_rule

__all__ = ["RULE_PART", "PathParam", "fastapi_path"]


@dataclass(frozen=True)
class PathParam:
    """A path parameter: its name, Flask's converter as written, and the annotation the
    port gives it (`int`, `UUID`, `Annotated[int, Path(ge=0)]`…); `imports` are the
    `(module, name)` pairs the annotation needs."""

    name: str
    converter: str
    annotation: str
    imports: tuple[tuple[str, str], ...]


def fastapi_path(rule: str, path_name: str = "Path") -> tuple[str, list[PathParam]]:
    """A Werkzeug rule → the FastAPI path and its parameters' annotations.

    Werkzeug's `int` and `float` converters refuse a sign unless `signed=True`; the port
    keeps that with `ge=0`, so a negative value answers 422 (the converter-422
    difference) instead of reaching the view. `path_name` is how `fastapi.Path` is spelled
    in the module (it may clash with `pathlib.Path`).
    """
    path, params = convert_rule(rule)
    out = []
    for p in params:
        annotation = p.fastapi_type.replace("Path(", f"{path_name}(")
        base = p.converter.partition("(")[0]
        if base in ("int", "float") and "signed" not in p.converter and "min" not in p.converter:
            annotation = f"Annotated[{base}, {path_name}(ge=0)]"
        imports: list[tuple[str, str]] = []
        if "Annotated[" in annotation:
            imports.append(("typing", "Annotated"))
        if f"{path_name}(" in annotation:
            imports.append(("fastapi", "Path"))
        if "Literal[" in annotation:
            imports.append(("typing", "Literal"))
        if annotation == "UUID":
            imports.append(("uuid", "UUID"))
        out.append(PathParam(p.name, p.converter, annotation, tuple(imports)))
    return path, out
