"""Resumable chunked uploads: a client opens an upload (name, size, sha256), sends the bytes in
chunks at any offset and in any order, asks what is missing after an interruption, and completes
the upload, which verifies the checksum before the file appears in UPLOAD_FOLDER."""
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from uploads import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
        MAX_UPLOAD_SIZE=100 * 1024 * 1024,  # a whole file
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,  # one request (one chunk)
    )
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    app.register_blueprint(bp, url_prefix="/api/uploads")

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app
