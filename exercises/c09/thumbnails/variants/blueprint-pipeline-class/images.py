"""Blueprint + an ImagePipeline class. The bomb guard is Pillow's own: Image.MAX_IMAGE_PIXELS is
set from the config and its DecompressionBombWarning is turned into an error; metadata is
stripped by pasting the pixels into a brand-new image."""
import uuid
import warnings
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.exceptions import HTTPException

bp = Blueprint("images", __name__)


class Rejected(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class ImagePipeline:
    formats = {"JPEG": "jpg", "PNG": "png"}
    boxes = {"small": 128, "medium": 512}

    def __init__(self, folder, max_pixels):
        self.folder = Path(folder)
        self.max_pixels = max_pixels

    def decode(self, stream):
        Image.MAX_IMAGE_PIXELS = self.max_pixels
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(stream)
                if image.format not in self.formats:
                    raise Rejected(415, "not a JPEG or PNG image")
                image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Rejected(413, "too many pixels")
        except (UnidentifiedImageError, OSError):
            raise Rejected(415, "not a readable JPEG or PNG image")
        return image

    @staticmethod
    def clean(image):
        upright = ImageOps.exif_transpose(image)
        fresh = Image.new(upright.mode, upright.size)
        if upright.mode == "P":
            fresh.putpalette(upright.getpalette())
        fresh.paste(upright)
        return fresh

    def store(self, stream):
        image = self.decode(stream)
        fmt, ext = image.format, self.formats[image.format]
        clean = self.clean(image)
        image_id = uuid.uuid4().hex
        target = self.folder / image_id
        target.mkdir(parents=True)
        versions = {"original": clean}
        for name, box in self.boxes.items():
            thumb = clean.copy()
            thumb.thumbnail((box, box), Image.Resampling.BICUBIC)
            versions[name] = thumb
        for name, img in versions.items():
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(target / f"{name}.{ext}", fmt)
        return image_id, fmt, clean.size

    def find(self, image_id, name):
        if len(image_id) != 32 or not all(c in "0123456789abcdef" for c in image_id):
            return None
        if name != "original" and name not in self.boxes:
            return None
        for ext in self.formats.values():
            path = self.folder / image_id / f"{name}.{ext}"
            if path.is_file():
                return path
        return None


def pipeline():
    return ImagePipeline(current_app.config["UPLOAD_FOLDER"], current_app.config["MAX_IMAGE_PIXELS"])


@bp.post("")
def upload():
    file = request.files.get("file")
    if file is None:
        abort(400, description="file field missing")
    head = file.stream.read(1)
    if not head:
        abort(400, description="empty file")
    file.stream.seek(0)
    try:
        image_id, fmt, (width, height) = pipeline().store(file.stream)
    except Rejected as e:
        return {"error": str(e)}, e.status
    base = f"/api/images/{image_id}"
    return {"id": image_id, "format": fmt, "width": width, "height": height,
            "urls": {"original": base, "small": f"{base}/small", "medium": f"{base}/medium"}}, 201


@bp.get("/<image_id>")
@bp.get("/<image_id>/<name>")
def download(image_id, name="original"):
    path = pipeline().find(image_id, name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg" if path.suffix == ".jpg" else "image/png")


@bp.app_errorhandler(HTTPException)
def http_error(e):
    return jsonify(error=e.description), e.code
