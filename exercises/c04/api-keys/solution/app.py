"""An API whose clients authenticate with API keys (X-API-Key), managed by an administrator.

The database is the one DATABASE_URL names, else a SQLite file in the instance folder.
ADMIN_TOKEN (from the environment in production) opens the key management routes.
"""
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from keys import bp as keys_bp
from models import db


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN", ""),  # empty: nobody can manage keys
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "keys.sqlite")
        ),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(keys_bp)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
