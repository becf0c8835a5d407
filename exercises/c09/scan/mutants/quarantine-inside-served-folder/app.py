"""File uploads that are scanned before they are kept: clean files are stored and served,
infected ones go to a quarantine (kept for analysis, never served) and answer 422."""
import hashlib
import json
import os
import uuid

from flask import Flask, abort, current_app, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

from scanners import ClamdUnavailable, active_scanners


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
    for sub in ("clean", os.path.join("clean", "quarantine")):
        os.makedirs(os.path.join(app.config["UPLOAD_FOLDER"], sub), exist_ok=True)

    def folder(sub):
        if sub == "quarantine":
            sub = os.path.join("clean", "quarantine")
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
            try:
                signature = scanner.scan(data)
            except ClamdUnavailable:
                continue  # clamd went away between PING and INSTREAM: the other scanners decide
            used.append(scanner.name)
            if signature:
                return quarantine(name, data, signature, used)
        with open(os.path.join(folder("clean"), name), "wb") as f:
            f.write(data)
        return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "scanned_by": used}, 201

    def quarantine(name, data, signature, used):
        item_id = uuid.uuid4().hex
        with open(os.path.join(folder("quarantine"), item_id + ".bin"), "wb") as f:
            f.write(data)
        with open(os.path.join(folder("quarantine"), item_id + ".json"), "w") as f:
            json.dump({"id": item_id, "filename": name, "signature": signature, "size": len(data)}, f)
        current_app.logger.warning("quarantined upload %s (%s): %s", name, item_id, signature)
        return {"error": "the file is infected", "signature": signature, "quarantine_id": item_id, "scanned_by": used}, 422

    @app.get("/api/files")
    def list_files():
        return {"files": sorted(n for n in os.listdir(folder("clean")) if os.path.isfile(os.path.join(folder("clean"), n)))}

    @app.get("/api/files/<path:name>")
    def download(name):
        return send_from_directory(folder("clean"), name, as_attachment=True)

    @app.get("/api/quarantine")
    def list_quarantine():
        items = []
        for entry in sorted(os.listdir(folder("quarantine"))):
            if entry.endswith(".json"):
                with open(os.path.join(folder("quarantine"), entry)) as f:
                    items.append(json.load(f))
        return {"items": items}

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    return app
