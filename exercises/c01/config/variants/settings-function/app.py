import os

from flask import Flask

from config import load_settings


def create_app(config_name=None):
    test_settings = {}
    if not isinstance(config_name, (str, type(None))):
        test_settings, config_name = dict(config_name), "testing"
    app = Flask(__name__)
    app.config.from_mapping(load_settings(config_name or os.environ.get("APP_ENV") or "development"))
    app.config.from_mapping(test_settings)

    @app.route("/api/info", methods=["GET"])
    def info():
        return {"environment": app.config["ENV_NAME"], "debug": app.debug}

    return app
