"""A file download service, by hand: Range (206/416), a content-hash ETag and If-None-Match (304)."""
import hashlib
import os
import re

from flask import Flask, Response, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(UPLOAD_FOLDER=os.path.join(app.instance_path, "files"))
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    @app.get("/api/files")
    def list_files():
        folder = current_app.config["UPLOAD_FOLDER"]
        files = sorted(
            ({"name": e.name, "size": e.stat().st_size} for e in os.scandir(folder) if e.is_file(follow_symlinks=False)),
            key=lambda f: f["name"],
        )
        return {"files": files}

    @app.get("/api/files/<path:name>")
    def download(name):
        path = safe_join(current_app.config["UPLOAD_FOLDER"], name)
        if path is None or not os.path.isfile(path):
            abort(404, description="no such file")
        with open(path, "rb") as f:
            data = f.read()
        size = len(data)
        etag = '"%s"' % hashlib.sha256(data).hexdigest()
        headers = {"ETag": etag, "Accept-Ranges": "bytes"}
        header = request.headers.get("Range")
        if header is None:
            wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(data, 200, headers, mimetype="application/octet-stream")
        unsatisfiable = jsonify(error="range not satisfiable")
        unsatisfiable.status_code = 416
        unsatisfiable.headers["Content-Range"] = f"bytes */{size}"
        match = RANGE.match(header.strip())
        if not match or not (match.group(1) or match.group(2)):
            return unsatisfiable
        if match.group(1):
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else size - 1
            if first >= size or last < first:
                return unsatisfiable
            last = min(last, size - 1)
        else:
            n = int(match.group(2))
            if n < 1:
                return unsatisfiable
            first, last = max(0, size - n), size - 1
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        return Response(data[first:last + 1], 206, headers, mimetype="application/octet-stream")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return jsonify(error=error.description), error.code

    return app
