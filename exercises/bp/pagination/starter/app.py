"""Blog Platform: the application factory."""

import os

from flask import Flask, json
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from admin import bp as admin_bp
from auth import bp as auth_bp
from comments import bp as comments_bp
from models import db
from posts import bp as posts_bp

# Checks the CSRF token of every POST/PUT/PATCH/DELETE of the HTML pages (the admin panel, /login).
csrf = CSRFProtect()


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # The session cookie: invisible to JavaScript, not sent by other sites' forms.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "blog.db"),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    app.register_blueprint(auth_bp)
    app.register_blueprint(posts_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(admin_bp)

    csrf.init_app(app)
    # The JSON API takes only application/json bodies, which another site's HTML form cannot
    # send (and the SameSite=Lax cookie is not sent with other sites' POSTs): no token there.
    for api in (auth_bp, posts_bp, comments_bp):
        csrf.exempt(api)

    @app.errorhandler(HTTPException)
    def json_http_error(e):
        """Every HTTP error answers JSON {"error": "..."} with its status."""
        response = e.get_response()
        response.data = json.dumps({"error": e.description})
        response.content_type = "application/json"
        return response

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
