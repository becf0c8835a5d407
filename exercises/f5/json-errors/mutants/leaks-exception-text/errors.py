"""JSON error handling for the whole API: every error has the same shape.

    {"error": {"code": 404, "message": "Book 7 not found"}}

A client (a front-end, a mobile app, a script) can then handle every failure the same way.
"""

from flask import current_app, json
from werkzeug.exceptions import HTTPException


def error_response(code, message, **extra):
    """A (body, status) pair in the API's error format; extra keys go inside "error"."""
    return {"error": {"code": code, "message": message, **extra}}, code


def handle_http_exception(e):
    """400, 404, 405, ... raised by Flask, Werkzeug or abort()."""
    # Start from Werkzeug's own response: it carries the right status and headers
    # (405 Method Not Allowed must keep its Allow header). Only the HTML body is replaced.
    response = e.get_response()
    response.data = json.dumps({"error": {"code": e.code, "message": e.description}})
    response.content_type = "application/json"
    return response


def handle_unexpected_exception(e):
    """Any other exception is a bug: log it for us, tell the client nothing about it."""
    current_app.logger.exception("Unhandled exception")
    return error_response(500, "Internal server error: %s" % e)


def register_error_handlers(app):
    # Flask picks the most specific handler: HTTPException before Exception.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_exception)
