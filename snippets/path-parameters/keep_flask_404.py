"""Keep Flask's 404 for a path value that does not convert, in FastAPI.

Register it on the app: app.add_exception_handler(RequestValidationError, not_found_for_bad_path)
"""

from fastapi import HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError


async def not_found_for_bad_path(request: Request, exc: RequestValidationError):
    errors = exc.errors()
    # Only path errors: Werkzeug's converter would not have matched, so Flask had no route.
    if errors and all(error["loc"][0] == "path" for error in errors):
        return await http_exception_handler(request, HTTPException(404))
    return await request_validation_exception_handler(request, exc)  # the usual 422
