"""Rule `app`: `Flask(__name__)` → `FastAPI()`, `Blueprint(...)` → `APIRouter(...)`,
`register_blueprint(bp, url_prefix=...)` → `include_router(bp, prefix=...)`.

An app factory stays a factory: only the calls inside it change. When the tree's app
cannot become FastAPI yet (it uses `app.config`, hooks…, see `analysis`), nothing changes
and the `Flask(...)` line gets a TODO naming what to port first.
"""

from __future__ import annotations

import libcst as cst

from flask2fastapi.port.analysis import config_setting
from flask2fastapi.port.base import PortRule, arg, dotted, keyword, page_url, positional

#: Flask(...) arguments FastAPI has no counterpart for, and the page that ports each.
APP_OPTIONS = {
    "static_folder": "pages/static-files.md",
    "static_url_path": "pages/static-files.md",
    "template_folder": "pages/templates.md",
    "instance_path": "structure/configuration.md",
    "instance_relative_config": "structure/configuration.md",
    "root_path": "start/project-layout.md",
    "subdomain": "start/project-layout.md",
    "url_defaults": "start/project-layout.md",
    "host_matching": "start/project-layout.md",
    "static_host": "pages/static-files.md",
    "cli_group": "structure/configuration.md",
}


#: What `--keep-flask-answers` adds after `app = FastAPI()`: a path value that does not
#: convert answers 404 (Werkzeug's converter did not match: no route), a body that is not
#: JSON 400 (`request.get_json()`'s BadRequest); every other validation error stays 422.
#: The 404 half is the path-parameters page's recipe (snippets/path-parameters/
#: keep_flask_404.py); tests/kit/port/test_port_app.py runs a port that carries it.
FLASK_ANSWERS = """\
@{app}.exception_handler(RequestValidationError)
async def keep_flask_answers(request: Request, exc: RequestValidationError):
    # flask2fastapi --keep-flask-answers: 404 for a bad path value, as Flask answers
    # ({path_page}), 400 for a malformed JSON body ({json_page}).
    errors = exc.errors()
    if errors and all(error["loc"][0] == "path" for error in errors):
        return await http_exception_handler(request, HTTPException(404))
    if any(error["type"] == "json_invalid" for error in errors):
        return await http_exception_handler(request, HTTPException(400))
    return await request_validation_exception_handler(request, exc)
"""
FLASK_ANSWERS_IMPORTS = (
    ("fastapi", "HTTPException"),
    ("fastapi", "Request"),
    ("fastapi.exceptions", "RequestValidationError"),
    ("fastapi.exception_handlers", "http_exception_handler"),
    ("fastapi.exception_handlers", "request_validation_exception_handler"),
)


class AppRule(PortRule):
    id = "app"
    needs = ("Flask", "Blueprint", "register_blueprint", ".json", "config")
    without_structure = True

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        name = self.owners.flask(updated.func)
        if name in ("flask.Flask", "flask.app.Flask"):
            return self._app(updated)
        if name in ("flask.Blueprint", "flask.blueprints.Blueprint"):
            return self._blueprint(updated)
        if (
            self.options.structure
            and isinstance(updated.func, cst.Attribute)
            and updated.func.attr.value == "register_blueprint"
            and dotted(updated.func.value) in self.owners.apps
        ):
            return self._register(updated)
        if (
            self.options.structure
            and isinstance(updated.func, cst.Attribute)
            and updated.func.attr.value == "run"
            and dotted(updated.func.value) in self.owners.apps
        ):
            # Only under `if __name__ == "__main__":` (anywhere else it blocks the port).
            self.todo(
                "FastAPI has no `app.run`: start it with `fastapi dev`, or call "
                '`uvicorn.run("module:app")` here',
                "start/running-the-app.md",
            )
        return updated

    def _app(self, call: cst.Call) -> cst.BaseExpression:
        if not self.options.structure:
            blockers = ", ".join(f"`{b}`" for b, _ in self.options.blockers)
            page = self.options.blockers[0][1] if self.options.blockers else None
            self.todo(f"port {blockers} first (FastAPI has none), then rerun", page)
            return call
        for option, page in APP_OPTIONS.items():
            if keyword(call, option):
                self.todo(f"`{option}` has no FastAPI argument: port it by hand", page)
        self.converted()
        self.add_import("fastapi", "FastAPI")
        self._drop_flask("Flask")
        kept = keyword(call, "dependencies")  # the `hooks` rule's app dependencies
        return cst.Call(
            func=cst.Name("FastAPI"), args=[arg(kept.value, "dependencies")] if kept else []
        )

    def _blueprint(self, call: cst.Call) -> cst.BaseExpression:
        if not self.options.structure:
            return call
        args = []
        prefix = keyword(call, "url_prefix")
        if prefix is not None:
            args.append(arg(prefix.value, "prefix"))
        if (kept := keyword(call, "dependencies")) is not None:  # the `hooks` rule's
            if args:
                args[-1] = args[-1].with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            args.append(arg(kept.value, "dependencies"))
        for option in ("static_folder", "template_folder", "static_url_path", "subdomain"):
            if keyword(call, option):
                self.todo(f"`{option}` has no APIRouter argument: port it by hand",
                          APP_OPTIONS.get(option, "structure/blueprint-scope.md"))  # fmt: skip
        self.converted()
        self.add_import("fastapi", "APIRouter")
        self._drop_flask("Blueprint")
        return cst.Call(func=cst.Name("APIRouter"), args=args)

    def _register(self, call: cst.Call) -> cst.BaseExpression:
        router = positional(call)
        extra = [
            a.keyword.value for a in call.args if a.keyword and a.keyword.value != "url_prefix"
        ]
        if len(router) != 1 or extra:
            self.todo("include this router with `include_router` by hand")
            return call
        args = [router[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        prefix = keyword(call, "url_prefix")
        if prefix is not None:
            args = [
                router[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                arg(prefix.value, "prefix"),
            ]
        self.converted()
        func = cst.Attribute(value=call.func.value, attr=cst.Name("include_router"))  # type: ignore[attr-defined]
        return call.with_changes(func=func, args=args)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        # app.config["TRUSTED_HOSTS"] = hosts → Starlette's TrustedHostMiddleware, as the
        # trailing-slashes page's FastAPI app does (a request for another host: 400).
        owner = config_setting(updated) if self.options.structure else None
        if owner in self.owners.apps:
            value = updated.body[0].value
            self.add_import("starlette.middleware.trustedhost", "TrustedHostMiddleware")
            self.converted()
            call = cst.Call(
                func=cst.Attribute(
                    value=cst.parse_expression(owner), attr=cst.Name("add_middleware")
                ),
                args=[
                    arg(cst.Name("TrustedHostMiddleware")).with_changes(
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    ),
                    arg(value, "allowed_hosts"),
                ],
            )
            updated = updated.with_changes(body=[cst.Expr(call)])
        line = super().leave_SimpleStatementLine(original, updated)
        if self.options.keep_flask_answers and self._creates_app(original, updated):
            for module, name in FLASK_ANSWERS_IMPORTS:
                self.add_import(module, name)
            code = FLASK_ANSWERS.format(
                app=self._app_name(updated),
                path_page=page_url("routing/path-parameters.md"),
                json_page=page_url("requests/json-body.md"),
            )
            handler = cst.parse_statement(code).with_changes(
                leading_lines=[cst.EmptyLine(), cst.EmptyLine()]
            )
            return cst.FlattenSentinel([line, handler])
        return line

    def _creates_app(self, original, updated) -> bool:  # type: ignore[no-untyped-def]
        """`app = Flask(...)` that this run turned into `app = FastAPI()`."""
        if len(original.body) != 1 or not isinstance(original.body[0], cst.Assign):
            return False
        before, after = original.body[0].value, updated.body[0].value
        return (
            isinstance(before, cst.Call)
            and self.owners.flask(before.func) in ("flask.Flask", "flask.app.Flask")
            and isinstance(after, cst.Call)
            and dotted(after.func) == "FastAPI"
        )

    @staticmethod
    def _app_name(updated) -> str:  # type: ignore[no-untyped-def]
        return dotted(updated.body[0].targets[0].target) or "app"

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        # `app.json = Provider(app)`: harmless on FastAPI, but it no longer does anything.
        target = dotted(updated.targets[0].target) if len(updated.targets) == 1 else None
        if (
            self.options.structure
            and target
            and target.endswith(".json")
            and target.rsplit(".", 1)[0] in self.owners.apps
        ):
            self.todo(
                "FastAPI reads and writes JSON itself: delete this line once ported",
                "requests/hostile-input.md",
            )
        return updated

    def _drop_flask(self, name: str) -> None:
        if f"flask.{name}" in self.owners.imported.values():
            self.drop_import("flask", name)
