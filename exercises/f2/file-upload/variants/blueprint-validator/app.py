import os

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.utils import secure_filename

uploads = Blueprint("uploads", __name__)
ALLOWED = {"png", "jpg", "jpeg", "gif"}


def validate_upload(storage):
    if storage is None or not storage.filename:
        return None, "the form needs a file in the field 'file'"
    safe = secure_filename(storage.filename)
    ext = safe.rpartition(".")[2].lower() if "." in safe else ""
    if ext not in ALLOWED:
        return None, "unsupported file type"
    return safe, None


@uploads.get("/upload")
def form():
    return render_template("upload.html")


@uploads.post("/upload")
def receive():
    name, problem = validate_upload(request.files.get("file"))
    if problem:
        return {"error": problem}, 400
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    request.files["file"].save(os.path.join(folder, name))
    return {"filename": name}, 201


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=1 << 20, UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"))
    app.config.update(test_config or {})
    app.register_blueprint(uploads)
    app.register_error_handler(413, lambda e: ({"error": "too large"}, 413))
    return app
