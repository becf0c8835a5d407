"""Versioned files: every upload of a name adds a version; versions can be listed, downloaded,
restored (as a new version) and deleted; identical content is stored once (by its sha256)."""
import os

from flask import Flask, abort, current_app, jsonify, request, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from storage import VersionStore


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(UPLOAD_FOLDER=os.path.join(app.instance_path, "files"), MAX_CONTENT_LENGTH=16 * 1024 * 1024)
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    def store():
        return VersionStore(current_app.config["UPLOAD_FOLDER"])

    def checked(name):
        """A name from the URL: only names secure_filename leaves unchanged exist."""
        if not name or secure_filename(name) != name:
            abort(404, description="no such file")
        return name

    def existing(name, version=None):
        found = store().find(checked(name), version)
        if found is None:
            abort(404, description="no such file or version")
        return found

    def public(name, v):
        return {"name": name, "version": v["version"], "sha256": v["sha256"], "size": v["size"]}

    def content(v):
        return send_file(store().blob_path(v["sha256"]), mimetype="application/octet-stream", etag=v["sha256"])

    @app.post("/api/files")
    def upload():
        file = request.files.get("file")
        if file is None:
            abort(400, description='send the file in the multipart field "file"')
        name = secure_filename(file.filename or "")
        if not name:
            abort(400, description="the file needs a usable name")
        return public(name, store().put(name, file.read())), 201

    @app.get("/api/files/<name>")
    def latest(name):
        return content(existing(name))

    @app.get("/api/files/<name>/versions")
    def versions(name):
        versions = store().versions(checked(name))
        if not versions:
            abort(404, description="no such file")
        return {"name": name, "versions": [{"version": v["version"], "sha256": v["sha256"], "size": v["size"]} for v in versions]}

    @app.get("/api/files/<name>/versions/<int:version>")
    def one_version(name, version):
        return content(existing(name, version))

    @app.post("/api/files/<name>/versions/<int:version>/restore")
    def restore(name, version):
        existing(name, version)
        return public(name, store().restore(name, version)), 201

    @app.delete("/api/files/<name>/versions/<int:version>")
    def delete_version(name, version):
        existing(name, version)
        store().delete(name, {version})
        return "", 204

    @app.delete("/api/files/<name>/versions")
    def prune(name):
        keep = request.args.get("keep", "")
        if not keep.isdigit() or int(keep) < 1:
            abort(400, description="keep must be a whole number of 1 or more")
        versions = store().versions(checked(name))
        if not versions:
            abort(404, description="no such file")
        old = {v["version"] for v in versions[:-int(keep)]}
        return {"deleted": sorted(store().delete(name, old)) if old else []}

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app
