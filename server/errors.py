"""Every error is a small JSON document; no stack trace or debugger page ever reaches a client."""

from __future__ import annotations

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException, InternalServerError


def error_response(status: int, name: str, message: str) -> Response:
    body = json.dumps({"error": {"status": status, "name": name, "message": message}})
    return Response(body, status=status, mimetype="application/json")


def _http_error(error: HTTPException) -> Response:
    name = (error.name or "error").lower().replace(" ", "_").replace("'", "")
    response = error_response(error.code or 500, name, error.description or error.name)
    if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _unexpected_error(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_error(error)
    # The trace goes to the server's log only.
    current_app.logger.exception("Unexpected error while answering a request")
    return _http_error(InternalServerError("The rules service hit an unexpected error; it has been logged."))


def init_errors(app: Flask) -> None:
    # Errors go to the handlers below even under `flask run --debug`, so the debugger never shows a trace.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
