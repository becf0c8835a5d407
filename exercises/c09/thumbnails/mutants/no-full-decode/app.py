"""An image upload pipeline: the upload is accepted only when Pillow decodes it as a JPEG or PNG
(never by its name or Content-Type), refused before decoding when it has too many pixels,
turned upright (EXIF orientation), stripped of every metadata and stored with two thumbnails."""
import os
import re
import uuid
import warnings

from flask import Flask, abort, current_app, jsonify, request, send_from_directory
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.exceptions import HTTPException

FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
SIZES = {"small": 128, "medium": 512}
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
        data = file.stream
        if not data.read(1):
            abort(400, description="the file is empty")
        data.seek(0)
        image = open_image(data)
        upright = ImageOps.exif_transpose(image)  # applies and drops the Orientation tag
        upright.info = {}  # nothing of the original's metadata (EXIF, comments, ICC) is written
        image_id = uuid.uuid4().hex
        folder = os.path.join(current_app.config["UPLOAD_FOLDER"], image_id)
        os.makedirs(folder)
        ext = FORMATS[image.format][0]
        save(upright, os.path.join(folder, "original." + ext), image.format)
        for name, box in SIZES.items():
            thumb = upright.copy()
            thumb.thumbnail((box, box), Image.Resampling.LANCZOS)  # keeps the ratio, never enlarges
            save(thumb, os.path.join(folder, "%s.%s" % (name, ext)), image.format)
        base = "/api/images/" + image_id
        return {
            "id": image_id,
            "format": image.format,
            "width": upright.width,
            "height": upright.height,
            "urls": {"original": base, "small": base + "/small", "medium": base + "/medium"},
        }, 201

    @app.get("/api/images/<image_id>", defaults={"size": "original"})
    @app.get("/api/images/<image_id>/<size>")
    def download(image_id, size):
        if not _ID.match(image_id) or size not in ("original", *SIZES):
            abort(404)
        folder = os.path.join(current_app.config["UPLOAD_FOLDER"], image_id)
        for fmt, (ext, mimetype) in FORMATS.items():
            if os.path.isfile(os.path.join(folder, "%s.%s" % (size, ext))):
                return send_from_directory(folder, "%s.%s" % (size, ext), mimetype=mimetype)
        abort(404)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app


def open_image(stream):
    """The decoded image, or 413/415. The pixel count is read from the header and checked
    before any pixel is decoded (a 50 kB PNG can hold 500 million pixels)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            if image.format not in FORMATS:
                abort(415, description="only JPEG and PNG images are accepted")
            width, height = image.size
            if width * height > current_app.config["MAX_IMAGE_PIXELS"]:
                abort(413, description="the image has more than %d pixels" % current_app.config["MAX_IMAGE_PIXELS"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        abort(413, description="the image has too many pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        abort(415, description="the file is not a JPEG or PNG image")
    return image


def save(image, path, fmt):
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(path, fmt, quality=85) if fmt == "JPEG" else image.save(path, fmt, optimize=True)
