"""Module-level app with MethodViews; the upload state is an in-process store guarded by a lock
(one process only), the bytes go to a sparse file per upload under UPLOAD_FOLDER/.incoming."""
import hashlib
import os
import re
import threading
import uuid

from flask import Flask, abort, jsonify, request
from flask.views import MethodView
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

app = Flask(__name__, instance_relative_config=True)
app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads"))
app.config.setdefault("MAX_UPLOAD_SIZE", 100 * 1024 * 1024)
os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)


class UploadStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.uploads = {}

    def get(self, upload_id):
        upload = self.uploads.get(upload_id)
        if upload is None:
            abort(404, description="no such upload")
        return upload


store = UploadStore()


def incoming(upload_id):
    folder = os.path.join(app.config["UPLOAD_FOLDER"], ".incoming")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, upload_id)


def covered(ranges):
    return sum(stop - start for start, stop in ranges)


def gaps(ranges, size):
    out, pos = [], 0
    for start, stop in ranges:
        if start > pos:
            out.append([pos, start - 1])
        pos = max(pos, stop)
    return out + ([[pos, size - 1]] if pos < size else [])


def add_range(ranges, start, stop):
    result = []
    for a, b in sorted(ranges + [(start, stop)]):
        if result and a <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], b))
        else:
            result.append((a, b))
    return result


def public(upload_id, u):
    return {"id": upload_id, "filename": u["filename"], "size": u["size"],
            "received": covered(u["ranges"]), "missing": gaps(u["ranges"], u["size"])}


class UploadList(MethodView):
    def post(self):
        data = request.get_json(silent=True) or {}
        name = data.get("filename")
        name = secure_filename(name) if isinstance(name, str) else ""
        size, checksum = data.get("size"), data.get("sha256")
        if not name:
            abort(400, description="bad filename")
        if type(size) is not int or size < 1:
            abort(400, description="bad size")
        if not isinstance(checksum, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", checksum):
            abort(400, description="bad sha256")
        if size > app.config["MAX_UPLOAD_SIZE"]:
            abort(413, description="too large")
        upload_id = str(uuid.uuid4())
        with open(incoming(upload_id), "wb") as f:
            f.truncate(size)
        with store.lock:
            store.uploads[upload_id] = {"filename": name, "size": size, "sha256": checksum.lower(), "ranges": []}
            return public(upload_id, store.uploads[upload_id]), 201


class UploadItem(MethodView):
    def get(self, upload_id):
        with store.lock:
            return public(upload_id, store.get(upload_id))


class Chunks(MethodView):
    def put(self, upload_id):
        with store.lock:
            u = store.get(upload_id)
            raw = request.args.get("offset")
            if raw is None or not re.fullmatch(r"\d+", raw):
                abort(400, description="bad offset")
            offset, chunk = int(raw), request.get_data()
            if not chunk or offset + len(chunk) > u["size"]:
                abort(400, description="empty chunk or past the declared size")
            with open(incoming(upload_id), "r+b") as f:
                f.seek(offset)
                f.write(chunk)
            u["ranges"] = add_range(u["ranges"], offset, offset + len(chunk))
            return public(upload_id, u)


class Complete(MethodView):
    def post(self, upload_id):
        with store.lock:
            u = store.get(upload_id)
            missing = gaps(u["ranges"], u["size"])
            if missing:
                return {"error": "incomplete", "missing": missing}, 409
            del store.uploads[upload_id]
        path = incoming(upload_id)
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while True:
                block = f.read(1 << 16)
                if not block:
                    break
                h.update(block)
        if h.hexdigest() != u["sha256"]:
            os.remove(path)
            return {"error": "checksum mismatch"}, 422
        os.replace(path, os.path.join(app.config["UPLOAD_FOLDER"], u["filename"]))
        return {"name": u["filename"], "size": u["size"], "sha256": u["sha256"]}, 201


app.add_url_rule("/api/uploads", view_func=UploadList.as_view("uploads"))
app.add_url_rule("/api/uploads/<upload_id>", view_func=UploadItem.as_view("upload"))
app.add_url_rule("/api/uploads/<upload_id>/chunks", view_func=Chunks.as_view("chunks"))
app.add_url_rule("/api/uploads/<upload_id>/complete", view_func=Complete.as_view("complete"))


@app.errorhandler(HTTPException)
def http_error(e):
    return jsonify(error=e.description), e.code
