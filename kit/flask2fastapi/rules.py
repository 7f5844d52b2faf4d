"""The kit's rules, one registry: each has an id, a kind, the guide page behind it and a summary.

Kinds:

- `difference`: a client-visible difference between a Flask app and its FastAPI port that
  the guide's tests pin on both frameworks. The scan attaches these to the routes they apply
  to; `parity` uses them to recognise (and, with `--accept-known`, accept) what it sees.
- `scan`: a finding of `scan` (a hook, a handler, an API the app uses) and its page.
- `port`: a rewrite of `port`; its before/after fixtures live in the kit's tests.

A parity config may accept only `difference` rules. `page` is a path under `docs/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["difference", "scan", "port"]


@dataclass(frozen=True)
class Rule:
    """One rule: `id` (used in reports, configs and `--select`), the guide `page` that
    explains it, a one-line `summary`, and its `kind` (see the module docstring)."""

    id: str
    page: str
    summary: str
    kind: Kind = "difference"


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "converter-422",
            "routing/path-parameters.md",
            "a path value the Flask converter rejects answers 422 (a validation error) "
            "instead of 404",
        ),
        Rule(
            "head-options",
            "routing/http-methods.md",
            "HEAD and OPTIONS are no longer answered automatically: 405 unless declared",
        ),
        Rule(
            "allow-header",
            "routing/http-methods.md",
            "the Allow header of a 405 lists the declared methods only (no HEAD, OPTIONS)",
        ),
        Rule(
            "allow-first-route",
            "routing/http-methods.md",
            "the Allow header of a 405 names only the methods of the first route whose path "
            "matched, where Flask listed every method of the URL",
        ),
        Rule(
            "slash-redirect-307",
            "routing/trailing-slashes-and-redirects.md",
            "the redirect that adds a missing trailing slash is 307 instead of 308",
        ),
        Rule(
            "extra-slash-redirect",
            "routing/trailing-slashes-and-redirects.md",
            "the URL with an extra trailing slash redirects (307) here instead of answering 404",
        ),
        Rule(
            "redirect-307",
            "routing/trailing-slashes-and-redirects.md",
            "`RedirectResponse` defaults to 307 where `redirect()` defaults to 302",
        ),
        Rule(
            "redirect-body",
            "routing/trailing-slashes-and-redirects.md",
            "a redirect has an empty body where Flask sent a small HTML page with the link",
        ),
        Rule(
            "absolute-location",
            "routing/trailing-slashes-and-redirects.md",
            "a redirect's Location is an absolute URL where Flask's was a path",
        ),
        Rule(
            "str-json",
            "start/hello-world.md",
            "a returned str becomes a JSON string (application/json) instead of a text/html "
            "page; return an HTMLResponse or PlainTextResponse to keep the page",
        ),
        Rule(
            "json-key-order",
            "responses/json-responses.md",
            "the same JSON value in other text: keys in insertion order (Flask sorts them), "
            "non-ASCII sent as UTF-8 (Flask escapes it)",
        ),
        Rule(
            "json-decimal",
            "responses/json-responses.md",
            "a `Decimal` in JSON is a number (`9.9`) where Flask wrote it as a string "
            '(`"9.90"`): the same value',
        ),
        Rule(
            "json-http-date",
            "responses/json-responses.md",
            "a datetime in JSON is written in ISO 8601 (`2015-10-21T07:28:00+00:00`) where "
            "Flask wrote an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`): the same instant",
        ),
        Rule(
            "json-trailing-newline",
            "responses/json-responses.md",
            "JSON bodies end without the newline Flask adds",
        ),
        Rule(
            "quoted-filename",
            "responses/custom-responses.md",
            'a file\'s download name is quoted (`filename="report.txt"`) where Flask left it '
            "bare: the same name",
        ),
        Rule(
            "file-headers",
            "pages/static-files.md",
            "a file is sent without Flask's `Cache-Control: no-cache` and "
            "`Content-Disposition: inline; filename=...`",
        ),
        Rule(
            "mount-slash-redirect",
            "pages/static-files.md",
            "the bare path of a mount (`/static`) redirects (307) to `/static/` where Flask "
            "answered 404",
        ),
        Rule(
            "error-envelope",
            "errors/errors-and-abort.md",
            'an HTTP error answers JSON `{"detail": ...}` instead of an HTML page',
        ),
        Rule(
            "auth-order",
            "security/authorization.md",
            "authentication and validation answer in another order: 401/403 on one side where "
            "the other checked the path or body first (404 or 422)",
        ),
        Rule(
            "server-error",
            "errors/errors-and-abort.md",
            "an unhandled exception answers a text/plain 500 instead of an HTML page",
        ),
        Rule(
            "json-body-422",
            "requests/json-body.md",
            "a malformed, missing or mistyped JSON body answers 422 instead of 400 or 415",
        ),
        Rule(
            "query-422",
            "routing/query-parameters.md",
            "a query value that is not of the declared type answers 422 where Flask's "
            "`request.args.get(..., type=int)` fell back to the default",
        ),
        Rule(
            "form-422",
            "requests/form-data.md",
            "a form field that does not convert, or an empty required one, answers 422 where "
            "Flask's `request.form.get(..., type=int)` fell back to the default and the view "
            "took the empty string",
        ),
        Rule(
            "validation-422",
            "errors/validation.md",
            "invalid input answers 422 with one entry per problem instead of the app's 400",
        ),
        # Scan findings: what an app hangs on the app or a blueprint, and the page for it.
        *(
            Rule(f"hook-{name.replace('_', '-')}", page, summary, "scan")
            for name, page, summary in (
                ("before_request", "structure/request-hooks.md", "runs before each request"),
                ("after_request", "structure/request-hooks.md", "changes each response"),
                ("teardown_request", "structure/request-hooks.md", "runs after each request"),
                ("teardown_appcontext", "structure/request-hooks.md", "runs as the context ends"),
                ("url_value_preprocessor", "structure/request-hooks.md", "reads path values"),
                ("url_defaults", "routing/url-building.md", "fills values `url_for` leaves out"),
                ("errorhandler", "errors/error-handlers.md", "answers an error or exception"),
                ("register_error_handler", "errors/error-handlers.md", "the same, by call"),
                ("context_processor", "pages/templates.md", "adds names to every template"),
                ("template_filter", "pages/templates.md", "a Jinja filter"),
                ("template_global", "pages/templates.md", "a Jinja global"),
                ("template_test", "pages/templates.md", "a Jinja test"),
                ("add_template_filter", "pages/templates.md", "a Jinja filter, by call"),
                ("add_template_global", "pages/templates.md", "a Jinja global, by call"),
                ("cli.command", "structure/cli-commands.md", "a `flask` CLI command"),
                ("cli.add_command", "structure/cli-commands.md", "a `flask` CLI command group"),
                ("cli.group", "structure/cli-commands.md", "a `flask` CLI command group"),
                ("shell_context_processor", "structure/cli-commands.md", "names for `flask shell`"),
                (
                    "before_app_request",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide hook",
                ),
                (
                    "after_app_request",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide hook",
                ),
                (
                    "teardown_app_request",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide hook",
                ),
                (
                    "app_errorhandler",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide handler",
                ),
                (
                    "app_context_processor",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide hook",
                ),
                (
                    "app_template_filter",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide filter",
                ),
                (
                    "app_template_global",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide global",
                ),
                (
                    "app_template_test",
                    "structure/blueprint-scope.md",
                    "a blueprint's app-wide test",
                ),
                (
                    "app_url_value_preprocessor",
                    "structure/blueprint-scope.md",
                    "app-wide, on a blueprint",
                ),
                ("app_url_defaults", "structure/blueprint-scope.md", "app-wide, on a blueprint"),
            )
        ),
        Rule(
            "blueprint-hook",
            "structure/blueprint-scope.md",
            "a hook or handler hung on a blueprint: its scope (the blueprint's routes, or the "
            "whole app for the `app_*` ones) becomes a router's or the app's",
            "scan",
        ),
        Rule("sqlalchemy-query", "data/databases.md", "Flask-SQLAlchemy's `Model.query`", "scan"),
        Rule("sqlalchemy-session", "data/databases.md", "Flask-SQLAlchemy's `db.session`", "scan"),
        *(
            Rule(f"sqlalchemy-{name.replace('_', '-')}", "data/pagination.md", summary, "scan")
            for name, summary in (
                ("paginate", "Flask-SQLAlchemy's `paginate` and its page-number corrections"),
                ("get_or_404", "Flask-SQLAlchemy's `get_or_404`: an HTML 404 from a query"),
                ("first_or_404", "Flask-SQLAlchemy's `first_or_404`: an HTML 404 from a query"),
                ("one_or_404", "Flask-SQLAlchemy's `one_or_404`: an HTML 404 from a query"),
            )
        ),
        Rule(
            "own-state",
            "structure/lifespan.md",
            "an attribute the app sets on the Flask object (`app.redis`): the app's own state, "
            "kept on `app.state` in FastAPI",
            "scan",
        ),
        # kind "port": the rewrites of `flask2fastapi port`, in the order they run.
        Rule(
            "method-view",
            "routing/class-based-views.md",
            "a `MethodView` registered once with `add_url_rule(rule, view_func=V.as_view(name))` "
            "→ one route function per method (no `self`, no class attributes)",
            "port",
        ),
        Rule(
            "routes",
            "routing/http-methods.md",
            "`@x.route(rule, methods=[...])`, `@x.get(...)`, `add_url_rule` → FastAPI route "
            "decorators; converters → typed path parameters; `name=` keeps the endpoint",
            "port",
        ),
        Rule(
            "stream-context",
            "responses/streaming.md",
            "a `request.args.get(...)` (or form, headers, cookies) read inside a "
            "`@stream_with_context` generator → read in the view and passed to it",
            "port",
        ),
        Rule(
            "hooks",
            "structure/request-hooks.md",
            "`before_request` → an app (or router) dependency, `after_request` → "
            '`@app.middleware("http")`, `teardown_request` → a `yield` dependency',
            "port",
        ),
        Rule(
            "request-args",
            "routing/query-parameters.md",
            "`request.args.get(name, default, type=...)`, `request.args[name]`, `getlist` "
            "→ query parameters",
            "port",
        ),
        Rule(
            "request-form",
            "requests/form-data.md",
            "`request.form[name]`, `.get(name, default, type=...)`, `getlist` → `Form()` "
            "parameters",
            "port",
        ),
        Rule(
            "request-files",
            "requests/file-uploads.md",
            '`request.files["f"]` in a view → an `f: UploadFile` parameter; `f.save(out)`, '
            "`f.read()` → `UploadFile`'s",
            "port",
        ),
        Rule(
            "json-helper",
            "requests/json-body.md",
            "`request.get_json(...)` in a helper the views call, or `get_json(silent=True)` "
            "in a view → a `body` from a dependency that reads it as Flask did",
            "port",
        ),
        Rule(
            "request-json",
            "requests/json-body.md",
            "`request.get_json()` / `request.json` in a view → a body parameter",
            "port",
        ),
        Rule(
            "templates",
            "pages/templates.md",
            "`render_template(name, **ctx)` → `templates.TemplateResponse(request, name, {...})` "
            "with a module-level `Jinja2Templates`; in templates, `url_for(...)` → "
            "`url_for(...).path` and `filename=` → `path=` for `static`",
            "port",
        ),
        Rule(
            "static-files",
            "pages/static-files.md",
            "`Flask(static_folder=..., static_url_path=...)` → "
            '`app.mount(path, StaticFiles(directory=...), name="static")`',
            "port",
        ),
        Rule(
            "send-file",
            "responses/custom-responses.md",
            "`send_file(path, ...)` → `FileResponse(path, ...)`; `send_from_directory(dir, name)` "
            "→ a helper that checks the name stays in the folder (404 otherwise)",
            "port",
        ),
        Rule(
            "redirect",
            "routing/trailing-slashes-and-redirects.md",
            "`redirect(url_for(...))` → `RedirectResponse(request.url_for(...), "
            "status_code=302)`; `url_for(...)` → `request.url_for(...).path`",
            "port",
        ),
        Rule(
            "response-api",
            "responses/custom-responses.md",
            "Flask's `Response(body, status, headers, mimetype=)` → Starlette's "
            "`Response(body, status_code=, headers=, media_type=)`; on a response kept in a "
            "variable, `headers.extend`/`add` → `headers.append`, `vary.add` → "
            "`headers.add_vary_header`, a `status_code` set after → `status_code=`",
            "port",
        ),
        Rule(
            "responses",
            "responses/status-codes-and-headers.md",
            "`jsonify(x)` → `x`; `(body, status[, headers])` and `make_response` → "
            "`JSONResponse`/`HTMLResponse`; a returned str → `HTMLResponse`",
            "port",
        ),
        Rule(
            "request-object",
            "requests/request-object.md",
            "the rest of `request` in a view → a `request: Request` parameter where "
            "Starlette reads it alike (a helper the views call takes it too, and its "
            '`url_for("name")` → `request.url_for("name").path`); '
            "`request.headers.get(name, default, type=int)` → "
            "a typed `Header()` parameter (a bad value answers 422 where Flask fell back "
            "to the default, as the streaming page shows)",
            "port",
        ),
        Rule(
            "abort",
            "errors/errors-and-abort.md",
            "`abort(code[, description])` and `raise NotFound(description)` (any of "
            "Werkzeug's HTTP errors) → `raise HTTPException(code[, detail=...])`",
            "port",
        ),
        Rule(
            "errorhandler",
            "errors/error-handlers.md",
            "`@app.errorhandler(...)` → `@app.exception_handler(...)` taking (request, exc) "
            "and returning a response; `HTTPException` → Starlette's (and, with no 500 "
            "handler, an `Exception` handler calling it with a 500), `500` → `Exception`; "
            "a blueprint's own handler → a TODO, its decorator or `register_error_handler` "
            "line commented out once the app converts (never widened to the app)",
            "port",
        ),
        Rule(
            "g",
            "structure/request-globals.md",
            "`g.x` set in a ported request hook → `request.state.x`; any other `g` → a TODO "
            "(a dependency's value or `request.state`: who sets it decides)",
            "port",
        ),
        Rule(
            "login",
            "extensions/flask-login.md",
            "Flask-Login's `LoginManager`, `user_loader`, `@login_required`, `current_user`, "
            "`login_user`, `logout_user` → the page's current-user dependencies over "
            "Starlette's session (a loader that reads `db.session` gets the request's)",
            "port",
        ),
        Rule(
            "extensions",
            "migrating/extensions-map.md",
            "an import of a Flask extension → a TODO naming its replacement and page",
            "port",
        ),
        Rule(
            "sqlalchemy",
            "data/databases.md",
            "Flask-SQLAlchemy's `db`, `db.Model`, `db.session`, `Model.query`, `get_or_404` "
            "and `create_all` → the page's engine, `SessionDep` dependency and lifespan, "
            "also with `db` shared between modules and `init_app` in an app factory; "
            "`db.paginate(page=, per_page=)` → the pagination page's `paginate()`; start-up "
            "functions → a session of their own, called in the lifespan; a URL read at "
            "run time → the page's `make_engine(url)`",
            "port",
        ),
        Rule(
            "app-context",
            "structure/lifespan.md",
            "`with app.app_context():` → a TODO: start-up work for a lifespan function",
            "port",
        ),
        Rule(
            "app",
            "start/project-layout.md",
            "`Flask(__name__)` → `FastAPI()`, `Blueprint` → `APIRouter`, "
            "`register_blueprint(url_prefix=)` → `include_router(prefix=)`",
            "port",
        ),
        Rule(
            "config",
            "structure/configuration.md",
            "`app.config` (module level or a factory's, from `os.environ`) → "
            "`FastAPI(max_body_size=)` and a pydantic-settings `Settings` class; "
            "its reads → `settings.key` from `Depends(get_settings)`",
            "port",
        ),
        Rule(
            "flask-names",
            "your-app/port.md",
            "a Flask name no rule converted, read once the app is FastAPI's (`session`, "
            "`current_app`, `flash`, `url_for(name, **params)` in a helper, `app.json`…) → a "
            "TODO naming the page that covers it",
            "port",
        ),
    )
}


def scan_rule_for_hook(name: str, on_blueprint: bool) -> Rule:
    """The `scan` rule for a hook hung on an app or blueprint (`before_request`,
    `cli.command`…): the blueprint-scope rule for the blueprint-scoped ones
    (`bp.before_request`), else the hook's own. `KeyError` for an unknown hook."""
    own = RULES[f"hook-{name.replace('_', '-')}"]
    if on_blueprint and own.page != "structure/blueprint-scope.md" and not name.startswith("cli."):
        return RULES["blueprint-hook"]
    return own
