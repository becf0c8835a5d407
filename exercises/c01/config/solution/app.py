"""App factory that picks its configuration by name (or APP_ENV) and reads secrets from the
environment."""

import os
from collections.abc import Mapping

from flask import Flask, current_app, jsonify

from config import CONFIGS


def create_app(config_name=None):
    overrides = {}
    if isinstance(config_name, Mapping):  # test tools pass settings: testing, with them on top
        config_name, overrides = "testing", dict(config_name)
    name = config_name or os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise ValueError(f"unknown configuration {name!r}; expected one of {sorted(CONFIGS)}")
    app = Flask(__name__)
    app.config.from_mapping(CONFIGS[name].from_env())
    app.config.update(overrides)

    @app.get("/api/info")
    def info():
        return jsonify(environment=current_app.config["ENV_NAME"], debug=current_app.debug)

    return app


if __name__ == "__main__":
    create_app().run()
