"""The conversion API as an application factory that registers one blueprint."""
from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from conversions import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    if test_config:
        app.config.update(test_config)
    app.register_blueprint(bp, url_prefix="/api/conversions")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return jsonify(error=error.description), error.code

    return app
