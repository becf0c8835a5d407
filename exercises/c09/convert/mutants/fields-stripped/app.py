"""A document conversion API: POST a file and a target format, get the converted document back
as a download. The source format is what the file name claims *and* the content confirms; the
answer is streamed, with its Content-Type and a safe download name."""
import os

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from converters import CONVERTERS, MEDIA_TYPES, PARSERS, SOURCES, CannotConvert, NotThisFormat, matrix


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # the whole document is read into memory: bound it
    )
    if test_config:
        app.config.from_mapping(test_config)

    @app.get("/api/conversions/formats")
    def formats():
        return {"conversions": matrix(), "max_bytes": current_app.config["MAX_CONTENT_LENGTH"]}

    @app.post("/api/conversions")
    def convert():
        file = request.files.get("file")
        target = (request.form.get("to") or "").strip().lower()
        if file is None or not file.filename:
            return refuse(400, 'send the document in the multipart field "file"')
        if not target:
            return refuse(400, 'say which format you want in the form field "to"')
        data = file.read()
        if not data:
            return refuse(400, "the file is empty")

        source = SOURCES.get(os.path.splitext(file.filename)[1].lower())
        if source is None:
            return refuse(415, "unsupported document type: send a .csv, .json or .txt file", matrix())
        try:
            document = PARSERS[source](data)  # the content must confirm what the name claims
        except NotThisFormat as e:
            return refuse(415, "the file is named .%s but %s" % (source, e), matrix())

        converter = CONVERTERS.get((source, target))
        if converter is None:
            return refuse(422, "%s cannot be converted to %s" % (source, target), matrix())
        stem = os.path.splitext(secure_filename(file.filename))[0] or "document"
        download_name = "%s.%s" % (stem, target)
        try:
            pieces = converter(document, download_name)
        except CannotConvert as e:
            return refuse(422, str(e), matrix())

        response = current_app.response_class(
            (piece.encode("utf-8") for piece in pieces), content_type=MEDIA_TYPES[target])
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):  # 413 from MAX_CONTENT_LENGTH, 404, 405...: JSON like the rest
        return refuse(error.code, error.description)

    return app


def refuse(status, message, conversions=None):
    body = {"error": message}
    if conversions is not None:
        body["conversions"] = conversions
    response = jsonify(body)
    response.status_code = status
    return response
