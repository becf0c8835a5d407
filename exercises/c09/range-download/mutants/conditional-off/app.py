"""A file download service: lists the files of UPLOAD_FOLDER and streams them with HTTP Range
support (206 Partial Content), ETags and conditional GETs, through Flask's send_from_directory."""
import os

from flask import Flask, current_app, jsonify, send_from_directory
from werkzeug.exceptions import HTTPException


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(UPLOAD_FOLDER=os.path.join(app.instance_path, "files"))
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    @app.get("/api/files")
    def list_files():
        folder = current_app.config["UPLOAD_FOLDER"]
        files = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    files.append({"name": entry.name, "size": entry.stat().st_size})
        files.sort(key=lambda f: f["name"])
        return {"files": files}

    @app.get("/api/files/<path:name>")
    def download(name):
        # send_from_directory joins safely (a name leaving the folder is a 404), streams the
        # file in blocks, and with conditional=True answers Range (206 / 416) and
        # If-None-Match (304) against the ETag it computes (mtime, size, name).
        response = send_from_directory(current_app.config["UPLOAD_FOLDER"], name, conditional=False, etag=True)
        response.headers["Accept-Ranges"] = "bytes"  # Werkzeug 2.2 sets it only on a 206
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        # keep the headers Werkzeug attached (Content-Range: bytes */size on a 416)
        for key, value in error.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    return app
