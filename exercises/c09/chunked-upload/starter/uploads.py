"""Chunked uploads, a first naive try. It works for a client that never fails, but:

TODO (see the brief's requirements):
- open_upload trusts its input: validate filename (secure_filename), size, sha256 and the
  MAX_UPLOAD_SIZE limit (requirements 1-2);
- put_chunk appends every chunk at the end: write it at its ?offset=, refuse bad chunks, count
  a chunk sent twice once and report what is missing (requirements 3-5);
- complete never checks that every byte arrived nor the sha256 (requirement 7);
- the state lives in a dict: fine for this exercise, but think about a restart."""
import os
import uuid

from flask import Blueprint, abort, current_app, request

bp = Blueprint("uploads", __name__)

UPLOADS = {}  # id -> {"filename", "size", "sha256", "data": bytearray}


def _view(upload_id, upload):
    return {"id": upload_id, "filename": upload["filename"], "size": upload["size"],
            "received": len(upload["data"]), "missing": []}


@bp.post("")
def open_upload():
    data = request.get_json()
    upload_id = uuid.uuid4().hex
    UPLOADS[upload_id] = {"filename": data["filename"], "size": data["size"], "sha256": data["sha256"], "data": bytearray()}
    return _view(upload_id, UPLOADS[upload_id]), 201


@bp.get("/<upload_id>")
def upload_status(upload_id):
    if upload_id not in UPLOADS:
        abort(404, description="no such upload")
    return _view(upload_id, UPLOADS[upload_id])


@bp.put("/<upload_id>/chunks")
def put_chunk(upload_id):
    if upload_id not in UPLOADS:
        abort(404, description="no such upload")
    UPLOADS[upload_id]["data"] += request.get_data()
    return _view(upload_id, UPLOADS[upload_id])


@bp.post("/<upload_id>/complete")
def complete(upload_id):
    upload = UPLOADS.pop(upload_id, None)
    if upload is None:
        abort(404, description="no such upload")
    with open(os.path.join(current_app.config["UPLOAD_FOLDER"], upload["filename"]), "wb") as f:
        f.write(upload["data"])
    return {"name": upload["filename"], "size": upload["size"], "sha256": upload["sha256"]}, 201
