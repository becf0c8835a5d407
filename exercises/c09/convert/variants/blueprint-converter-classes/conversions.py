"""The conversions blueprint: one MethodView for POST, one route for the formats."""
import io
import pathlib

from flask import Blueprint, current_app, jsonify, request, send_file
from flask.views import MethodView
from werkzeug.utils import secure_filename

from formats import CONVERTERS, FORMATS, Refused, table

bp = Blueprint("conversions", __name__)


@bp.errorhandler(Refused)
def refused(error):
    body = {"error": str(error)}
    if error.status in (415, 422):
        body["conversions"] = table()
    return jsonify(body), error.status


@bp.get("/formats")
def formats():
    return jsonify(conversions=table(), max_bytes=current_app.config["MAX_CONTENT_LENGTH"])


class ConversionAPI(MethodView):
    def post(self):
        upload = request.files.get("file")
        target = request.form.get("to", "").strip().lower()
        if upload is None or not target:
            raise Refused(400, 'a multipart form with "file" and "to" is required')
        data = upload.read()
        if not data:
            raise Refused(400, "the file is empty")
        fmt = FORMATS.get(pathlib.PurePath(upload.filename or "").suffix.lower())
        if fmt is None:
            raise Refused(415, "unsupported document type")
        document = fmt.parse(data)
        converter = CONVERTERS.get((fmt.name, target))
        if converter is None:
            raise Refused(422, "no conversion from %s to %s" % (fmt.name, target))
        name = str(pathlib.PurePath(secure_filename(upload.filename) or "document").with_suffix("." + target))
        output = converter.render(document, name).encode("utf-8")
        return send_file(io.BytesIO(output), mimetype=converter.mimetype, as_attachment=True, download_name=name)


bp.add_url_rule("", view_func=ConversionAPI.as_view("convert"))
