"""Factory with a blueprint; the config object is instantiated (reading the environment) per app."""

import os

from flask import Blueprint, Flask, current_app, jsonify

import config

api = Blueprint("api", __name__, url_prefix="/api")


@api.route("/info")
def info():
    return jsonify(environment=current_app.config["ENV_NAME"], debug=current_app.config["DEBUG"])


def create_app(config_name=None):
    classes = {"development": config.DevelopmentConfig, "testing": config.TestingConfig,
               "production": config.ProductionConfig}
    overrides = None
    if isinstance(config_name, dict):
        overrides, config_name = config_name, "testing"
    name = config_name or os.getenv("APP_ENV") or "development"
    try:
        config_class = classes[name]
    except KeyError:
        raise ValueError(f"no configuration named {name!r}") from None
    app = Flask(__name__)
    app.config.from_object(config_class())
    if overrides:
        app.config.update(overrides)
    app.register_blueprint(api)
    return app
