import os
from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from werkzeug.security import safe_join

bp = Blueprint("files", __name__)


@bp.get("")
def list_files():
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    return {"files": [{"name": p.name, "size": p.stat().st_size}
                      for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()]}


@bp.get("/<path:name>")
def download(name):
    path = safe_join(current_app.config["UPLOAD_FOLDER"], name)
    if path is None or not os.path.isfile(path):
        abort(404)
    response = send_file(path, conditional=True, etag=True, max_age=0)
    response.headers["Accept-Ranges"] = "bytes"
    return response


@bp.app_errorhandler(404)
def not_found(error):
    return {"error": "no such file"}, 404


@bp.app_errorhandler(416)
def not_satisfiable(error):
    response = error.get_response()  # keeps Werkzeug's Content-Range: bytes */<size>
    return {"error": "range not satisfiable"}, 416, {"Content-Range": response.headers["Content-Range"]}
