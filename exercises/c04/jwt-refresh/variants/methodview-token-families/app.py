"""The app factory: class-based views (MethodView) for the token routes."""
import os
from datetime import timedelta

from flask import Flask, jsonify

from models import db
from views import AuthError, register_views


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "auth.sqlite")
        ),
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=15),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=30),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    register_views(app)

    @app.errorhandler(AuthError)
    def unauthorized(error):
        return jsonify(error=str(error)), 401, {"WWW-Authenticate": "Bearer"}

    @app.errorhandler(400)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(409)
    def client_error(error):
        return jsonify(error=error.description), error.code

    with app.app_context():
        db.create_all()
    return app
