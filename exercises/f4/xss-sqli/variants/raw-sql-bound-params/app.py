"""Application factory: a comments page and a user search, safe from XSS and SQL injection."""
import os

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from comments import bp as comments_bp
from models import db
from users import bp as users_bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "guestbook.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(comments_bp)
    app.register_blueprint(users_bp)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith("/users") or request.is_json:
            return {"error": error.description}, error.code
        return error  # the HTML page for browser routes

    @app.after_request
    def security_headers(response):
        # Defence in depth: even if some HTML slipped through, the browser would refuse to
        # run inline scripts (Content-Security-Policy) or guess content types.
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    with app.app_context():
        db.create_all()

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
