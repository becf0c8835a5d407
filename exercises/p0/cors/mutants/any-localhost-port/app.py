"""Social Media API: the application factory."""

import os

from flask import Flask, json
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from models import db
from posts import bp as posts_bp
from users import bp as users_bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # The session cookie: invisible to JavaScript, not sent by other sites' forms.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "social.db"),
        # The front-end (a Vite dev server) that calls this API from the browser.
        FRONTEND_ORIGIN=os.environ.get("FRONTEND_ORIGIN", "http://localhost:5173"),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    # Each blueprint brings its own routes; the factory only plugs them in.
    app.register_blueprint(users_bp)
    app.register_blueprint(posts_bp)

    # The front-end logs in with the session cookie, so the browser must be allowed to send
    # credentials: Access-Control-Allow-Credentials: true. Browsers refuse credentials with
    # Access-Control-Allow-Origin: *, and "*" would be a hole anyway: any site could act as
    # the logged-in user. So: the exact origin, and only for the API.
    CORS(
        app,
        resources={r"/api/*": {"origins": [app.config["FRONTEND_ORIGIN"], r"http://localhost:\d+"]}},
        supports_credentials=True,
    )

    @app.get("/api")
    def api_index():
        return {"name": "Social Media API", "version": 1}

    register_error_handlers(app)
    return app


def register_error_handlers(app):
    """Errors answer JSON {"error": "..."} with their status (and headers, e.g. Allow on 405)."""

    @app.errorhandler(HTTPException)
    def json_http_error(e):
        # Unhandled exceptions reach here too, as a 500 InternalServerError, once the app runs
        # outside tests (during tests they propagate so that you see the traceback).
        response = e.get_response()
        response.data = json.dumps({"error": e.description})
        response.content_type = "application/json"
        return response


if __name__ == "__main__":
    create_app().run(debug=True)
