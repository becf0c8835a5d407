import os
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1 * 1024 * 1024
app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif")


@app.errorhandler(RequestEntityTooLarge)
def too_big(_e):
    return jsonify(error="files are limited to 1 MiB"), 413


@app.route("/upload", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return render_template("upload.html")
    uploaded = request.files.get("file")
    if not uploaded or not uploaded.filename:
        return jsonify(error="no file"), 400
    name = secure_filename(uploaded.filename)
    if os.path.splitext(name)[1].lower() not in IMAGE_EXTENSIONS:
        return jsonify(error="images only"), 400
    target = Path(app.config["UPLOAD_FOLDER"])
    target.mkdir(parents=True, exist_ok=True)
    uploaded.save(target / name)
    return jsonify(filename=name), 201
