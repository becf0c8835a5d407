"""API keys with class-based views: an "admin" blueprint of MethodViews, and an "api" blueprint
whose before_request hook checks X-API-Key for every route in it."""
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from models import db
from views import admin, api


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN", ""),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "keys.sqlite")
        ),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(admin)
    app.register_blueprint(api, url_prefix="/api")

    @app.errorhandler(HTTPException)
    def as_json(error):
        return jsonify(error=error.description), error.code

    with app.app_context():
        db.create_all()
    return app
