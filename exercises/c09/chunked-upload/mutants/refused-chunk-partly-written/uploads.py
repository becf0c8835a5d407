"""The upload sessions live on disk under <UPLOAD_FOLDER>/.incoming/<id>/ (data + state.json),
so an upload survives a restart. secure_filename never returns a name starting with a dot, so
finished files never collide with the .incoming folder."""
import hashlib
import json
import os
import re
import uuid

from flask import Blueprint, abort, current_app, request
from werkzeug.utils import secure_filename

bp = Blueprint("uploads", __name__)

_ID = re.compile(r"^[0-9a-f]{32}$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
BLOCK = 64 * 1024


def _incoming():
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], ".incoming")
    os.makedirs(path, exist_ok=True)
    return path


def _dir(upload_id):
    if not _ID.match(upload_id):  # the id goes into a path: only our own ids
        abort(404, description="no such upload")
    path = os.path.join(_incoming(), upload_id)
    if not os.path.isdir(path):
        abort(404, description="no such upload")
    return path


def _load(upload_id):
    path = _dir(upload_id)
    with open(os.path.join(path, "state.json")) as f:
        return path, json.load(f)


def _save(path, state):
    tmp = os.path.join(path, "state.json.tmp")
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, os.path.join(path, "state.json"))


def _merge(ranges):
    """Merge [start, stop) intervals."""
    merged = []
    for start, stop in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    return merged


def _missing(state):
    gaps, pos = [], 0
    for start, stop in state["ranges"]:
        if start > pos:
            gaps.append([pos, start - 1])
        pos = max(pos, stop)
    if pos < state["size"]:
        gaps.append([pos, state["size"] - 1])
    return gaps


def _view(state):
    return {
        "id": state["id"],
        "filename": state["filename"],
        "size": state["size"],
        "received": sum(stop - start for start, stop in state["ranges"]),
        "missing": _missing(state),
    }


def _remove(path):
    for name in os.listdir(path):
        os.remove(os.path.join(path, name))
    os.rmdir(path)


@bp.post("")
def open_upload():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    raw_name, size, checksum = data.get("filename"), data.get("size"), data.get("sha256")
    filename = secure_filename(raw_name) if isinstance(raw_name, str) else ""
    if not filename:
        abort(400, description="filename must be a non-empty string with a usable name")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        abort(400, description="size must be a whole number of bytes, at least 1")
    if not isinstance(checksum, str) or not _SHA256.match(checksum):
        abort(400, description="sha256 must be 64 hexadecimal characters")
    if size > current_app.config["MAX_UPLOAD_SIZE"]:
        abort(413, description="the file is larger than %d bytes" % current_app.config["MAX_UPLOAD_SIZE"])
    upload_id = uuid.uuid4().hex
    path = os.path.join(_incoming(), upload_id)
    os.makedirs(path)
    with open(os.path.join(path, "data"), "wb") as f:
        f.truncate(size)  # sparse: chunks are written at their offset
    state = {"id": upload_id, "filename": filename, "size": size, "sha256": checksum.lower(), "ranges": []}
    _save(path, state)
    return _view(state), 201


@bp.get("/<upload_id>")
def upload_status(upload_id):
    _, state = _load(upload_id)
    return _view(state)


@bp.put("/<upload_id>/chunks")
def put_chunk(upload_id):
    path, state = _load(upload_id)
    offset = request.args.get("offset", "")
    if not offset.isdigit():
        abort(400, description="offset must be a whole number of bytes, 0 or more")
    offset = int(offset)
    chunk = request.get_data(cache=False)
    if not chunk:
        abort(400, description="the chunk is empty")
    with open(os.path.join(path, "data"), "r+b") as f:
        f.seek(offset)
        f.write(chunk[: max(0, state["size"] - offset)])
    if offset + len(chunk) > state["size"]:
        abort(400, description="the chunk ends at byte %d, past the declared size %d" % (offset + len(chunk), state["size"]))
    state["ranges"] = _merge(state["ranges"] + [[offset, offset + len(chunk)]])
    _save(path, state)
    return _view(state)


@bp.post("/<upload_id>/complete")
def complete(upload_id):
    path, state = _load(upload_id)
    missing = _missing(state)
    if missing:
        return {"error": "the upload is not complete", "missing": missing}, 409
    digest = hashlib.sha256()
    data_path = os.path.join(path, "data")
    with open(data_path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            digest.update(block)
    if digest.hexdigest() != state["sha256"]:
        _remove(path)
        return {"error": "sha256 mismatch: the file is corrupt, upload it again"}, 422
    final = os.path.join(current_app.config["UPLOAD_FOLDER"], state["filename"])
    os.replace(data_path, final)  # atomic: readers never see half a file
    _remove(path)
    return {"name": state["filename"], "size": state["size"], "sha256": state["sha256"]}, 201
