"""An image upload service, first try: it trusts the file name's extension, stores the bytes as
they came (EXIF, GPS position and all) and makes no thumbnails yet.

TODO (see the brief's requirements): decide by content with Pillow, refuse too many pixels,
apply the EXIF orientation, strip the metadata, store small and medium thumbnails."""
import os
import re
import uuid

from flask import Flask, abort, current_app, jsonify, request, send_from_directory
from PIL import Image
from werkzeug.exceptions import HTTPException

EXTENSIONS = {".jpg": ("JPEG", "image/jpeg"), ".jpeg": ("JPEG", "image/jpeg"), ".png": ("PNG", "image/png")}
_ID = re.compile(r"^[0-9a-f]{32}$")


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        UPLOAD_FOLDER=os.path.join(app.instance_path, "images"),
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        MAX_IMAGE_PIXELS=40_000_000,
    )
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    @app.post("/api/images")
    def upload():
        file = request.files.get("file")
        if file is None:
            abort(400, description='send the image in the multipart field "file"')
        ext = os.path.splitext(file.filename or "")[1].lower()
        if ext not in EXTENSIONS:  # TODO: the name proves nothing; ask Pillow
            abort(415, description="only JPEG and PNG images are accepted")
        fmt, _ = EXTENSIONS[ext]
        image_id = uuid.uuid4().hex
        folder = os.path.join(current_app.config["UPLOAD_FOLDER"], image_id)
        os.makedirs(folder)
        path = os.path.join(folder, "original." + ("jpg" if fmt == "JPEG" else "png"))
        file.save(path)  # TODO: as it came, EXIF included
        with Image.open(path) as image:
            width, height = image.size
        base = "/api/images/" + image_id
        return {"id": image_id, "format": fmt, "width": width, "height": height,
                "urls": {"original": base, "small": base + "/small", "medium": base + "/medium"}}, 201

    @app.get("/api/images/<image_id>", defaults={"size": "original"})
    @app.get("/api/images/<image_id>/<size>")
    def download(image_id, size):
        if not _ID.match(image_id) or size not in ("original", "small", "medium"):
            abort(404)
        folder = os.path.join(current_app.config["UPLOAD_FOLDER"], image_id)
        for ext, mimetype in (("jpg", "image/jpeg"), ("png", "image/png")):
            if os.path.isfile(os.path.join(folder, "%s.%s" % (size, ext))):
                return send_from_directory(folder, "%s.%s" % (size, ext), mimetype=mimetype)
        abort(404)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app
