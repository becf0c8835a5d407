from flask import jsonify


def error_response(code, message, **extra):
    return {"error": {"code": code, "message": message, **extra}}, code


def register_error_handlers(app):
    def envelope(code, message):
        response = jsonify(error={"code": code, "message": message})
        response.status_code = code
        return response

    @app.errorhandler(400)
    def bad_request(e):
        return envelope(400, e.description)

    @app.errorhandler(404)
    def not_found(e):
        return envelope(404, e.description)

    @app.errorhandler(405)
    def not_allowed(e):
        response = envelope(405, e.description)
        response.headers["Allow"] = ", ".join(sorted(e.valid_methods or []))
        return response

    @app.errorhandler(Exception)
    def crash(e):
        from werkzeug.exceptions import HTTPException

        if isinstance(e, HTTPException):
            return envelope(e.code, e.description)
        app.logger.error("unhandled: %r", e)
        return envelope(500, "Something went wrong on our side")
