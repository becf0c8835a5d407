"""Module-level app; the upload is read into memory (MAX_CONTENT_LENGTH bounds it), checked with
Image.verify() and reopened (verify() leaves the image unusable), and the thumbnails are made
with ImageOps.contain() only when the image is larger than the box."""
import io
import os
import uuid

from flask import Flask, Response, abort, jsonify, request
from PIL import Image, ImageOps
from werkzeug.exceptions import HTTPException

app = Flask(__name__, instance_relative_config=True)
app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "images"))
app.config.setdefault("MAX_IMAGE_PIXELS", 40_000_000)
app.config.setdefault("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)
os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
BOXES = {"small": 128, "medium": 512}


def encode(image, fmt):
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85)
    else:
        image.save(out, "PNG")
    return out.getvalue()


@app.route("/api/images", methods=["POST"])
def upload():
    if "file" not in request.files:
        return jsonify(error="no file"), 400
    raw = request.files["file"].read()
    if not raw:
        return jsonify(error="empty file"), 400
    try:
        probe = Image.open(io.BytesIO(raw))
        fmt = probe.format
        if fmt not in TYPES:
            return jsonify(error="unsupported format"), 415
        if probe.size[0] * probe.size[1] > app.config["MAX_IMAGE_PIXELS"]:
            return jsonify(error="image too large"), 413
        probe.verify()
        image = Image.open(io.BytesIO(raw))
        image.load()
    except Exception:
        return jsonify(error="not a valid image"), 415
    image = ImageOps.exif_transpose(image)
    image.info = {}
    image_id = str(uuid.uuid4()).replace("-", "")
    folder = os.path.join(app.config["UPLOAD_FOLDER"], image_id)
    os.mkdir(folder)
    files = {"original": image}
    for name, box in BOXES.items():
        files[name] = ImageOps.contain(image, (box, box)) if max(image.size) > box else image
    for name, img in files.items():
        with open(os.path.join(folder, name + "." + fmt.lower()), "wb") as f:
            f.write(encode(img, fmt))
    url = "/api/images/" + image_id
    return jsonify(id=image_id, format=fmt, width=image.width, height=image.height,
                   urls={"original": url, "small": url + "/small", "medium": url + "/medium"}), 201


@app.route("/api/images/<image_id>")
@app.route("/api/images/<image_id>/<name>")
def get_image(image_id, name="original"):
    if not image_id.isalnum() or (name != "original" and name not in BOXES):
        abort(404)
    for fmt, mimetype in TYPES.items():
        path = os.path.join(app.config["UPLOAD_FOLDER"], image_id, name + "." + fmt.lower())
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return Response(f.read(), mimetype=mimetype)
    abort(404)


@app.errorhandler(HTTPException)
def http_error(e):
    return jsonify(error=e.description), e.code
