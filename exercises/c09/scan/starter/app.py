"""File uploads that are scanned before they are kept: clean files are stored and served,
infected ones go to a quarantine (kept for analysis, never served) and answer 422."""
import hashlib
import os

from flask import Flask, abort, current_app, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from scanners import active_scanners


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        UPLOAD_FOLDER=os.path.join(app.instance_path, "files"),
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        CLAMD_ADDRESS=None,  # ("127.0.0.1", 3310) where a clamd runs
        SCANNERS=None,
    )
    if test_config:
        app.config.from_mapping(test_config)
    for sub in ("clean", "quarantine"):
        os.makedirs(os.path.join(app.config["UPLOAD_FOLDER"], sub), exist_ok=True)

    def folder(sub):
        return os.path.join(current_app.config["UPLOAD_FOLDER"], sub)

    @app.post("/api/files")
    def upload():
        file = request.files.get("file")
        if file is None:
            abort(400, description='send the file in the multipart field "file"')
        name = secure_filename(file.filename or "")
        if not name:
            abort(400, description="the file needs a usable name")
        data = file.read()
        if not data:
            abort(400, description="the file is empty")
        used = []
        for scanner in active_scanners(current_app.config):
            used.append(scanner.name)
            scanner.scan(data)  # TODO (requirements 2-3): an infected file must never be stored here
        with open(os.path.join(folder("clean"), name), "wb") as f:
            f.write(data)
        return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "scanned_by": used}, 201

    @app.get("/api/files")
    def list_files():
        return {"files": sorted(os.listdir(folder("clean")))}

    @app.get("/api/files/<path:name>")
    def download(name):
        return send_from_directory(folder("clean"), name, as_attachment=True)

    @app.get("/api/quarantine")
    def list_quarantine():
        return {"items": []}  # TODO (requirement 4)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app
