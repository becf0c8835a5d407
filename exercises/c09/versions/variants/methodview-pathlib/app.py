import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from views import register


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "files")
    app.config.update(test_config or {})
    register(app)
    app.register_error_handler(HTTPException, lambda e: (jsonify(error=e.description), e.code))
    return app
