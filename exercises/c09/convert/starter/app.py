"""A document conversion API: POST a file and a target format, get the converted document back
as a download.

TODO (see the brief's requirements): the size limit, the 400/415/422 answers, and the
conversion itself, streamed with its Content-Type and a safe download name."""
import os

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from converters import CONVERTERS, MEDIA_TYPES, PARSERS, SOURCES, CannotConvert, NotThisFormat, matrix


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=None,  # TODO (requirement 3)
    )
    if test_config:
        app.config.from_mapping(test_config)

    @app.get("/api/conversions/formats")
    def formats():
        return {"conversions": matrix(), "max_bytes": current_app.config["MAX_CONTENT_LENGTH"]}

    @app.post("/api/conversions")
    def convert():
        # TODO (requirements 2 and 4-6): read request.files["file"] and request.form["to"],
        # parse the document (PARSERS), find the converter (CONVERTERS) and stream its pieces.
        return refuse(501, "not implemented yet")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return refuse(error.code, error.description)

    return app


def refuse(status, message, conversions=None):
    body = {"error": message}
    if conversions is not None:
        body["conversions"] = conversions
    response = jsonify(body)
    response.status_code = status
    return response
