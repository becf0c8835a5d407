from flask import Blueprint, current_app, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

errors_bp = Blueprint("errors", __name__)


def error_response(code, message, **extra):
    return {"error": {"code": code, "message": message, **extra}}, code


@errors_bp.app_errorhandler(HTTPException)
def http_error(e):
    response = jsonify(error={"code": e.code, "message": e.description})
    response.status_code = e.code
    for name, value in e.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@errors_bp.app_errorhandler(Exception)
def unexpected(e):
    current_app.logger.exception("unexpected error")
    return http_error(InternalServerError())


def register_error_handlers(app):
    app.register_blueprint(errors_bp)
