"""A JSON API whose users log in for a short-lived access token and a rotating refresh token.

The database is the one DATABASE_URL names, else a SQLite file in the instance folder.
"""
import os
from datetime import timedelta

from flask import Flask

from auth import bp as auth_bp, register_error_handlers
from models import db


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # Set SECRET_KEY (or JWT_SECRET_KEY) in the environment in production.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "auth.sqlite")
        ),
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=15),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=30),
    )
    if os.environ.get("JWT_SECRET_KEY"):
        app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(auth_bp)
    register_error_handlers(app)
    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
