"""A file download service: lists the files of UPLOAD_FOLDER and sends them.

GET /api/files works. GET /api/files/<name> sends the whole file every time: make it answer
Range requests (206 / 416), ETags and If-None-Match (304), without ever leaving the folder."""
import os

from flask import Flask, Response, current_app, jsonify
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
        # TODO (requirements 2-7): this reads the whole file into memory, ignores Range and
        # If-None-Match, and trusts `name` (a name with ../ leaves the folder!).
        path = os.path.join(current_app.config["UPLOAD_FOLDER"], name)
        if not os.path.isfile(path):
            return {"error": "no such file"}, 404
        with open(path, "rb") as f:
            data = f.read()
        return Response(data, mimetype="application/octet-stream")

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        for key, value in error.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    return app
