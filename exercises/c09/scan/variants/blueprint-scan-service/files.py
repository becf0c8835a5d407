"""Blueprint + a ScanService that returns a verdict object; storage in a Storage class whose
quarantine is one JSON-lines index file plus one blob per item."""
import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.utils import secure_filename

from scanners import ClamdUnavailable, active_scanners

bp = Blueprint("files", __name__)


@dataclass
class Verdict:
    signature: str = None
    scanned_by: list = field(default_factory=list)


class ScanService:
    def __init__(self, scanners):
        self.scanners = scanners

    def check(self, data):
        verdict = Verdict()
        for scanner in self.scanners:
            try:
                found = scanner.scan(data)
            except ClamdUnavailable:
                continue
            verdict.scanned_by.append(scanner.name)
            if found:
                verdict.signature = found
                break
        return verdict


class Storage:
    def __init__(self, root):
        self.clean = os.path.join(root, "clean")
        self.quarantine = os.path.join(root, "quarantine")
        os.makedirs(self.clean, exist_ok=True)
        os.makedirs(self.quarantine, exist_ok=True)
        self.index = os.path.join(self.quarantine, "index.jsonl")

    def keep(self, name, data):
        tmp = os.path.join(self.clean, "." + uuid.uuid4().hex)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.clean, name))

    def isolate(self, name, data, signature):
        qid = uuid.uuid4().hex
        with open(os.path.join(self.quarantine, qid), "wb") as f:
            f.write(data)
        with open(self.index, "a") as f:
            f.write(json.dumps({"id": qid, "filename": name, "signature": signature, "size": len(data)}) + "\n")
        return qid

    def quarantined(self):
        if not os.path.exists(self.index):
            return []
        with open(self.index) as f:
            return [json.loads(line) for line in f if line.strip()]


def storage():
    return Storage(current_app.config["UPLOAD_FOLDER"])


@bp.post("/files")
def upload():
    upload = request.files.get("file")
    if upload is None:
        abort(400, description="file missing")
    name, data = secure_filename(upload.filename or ""), upload.read()
    if not name or not data:
        abort(400, description="empty file or unusable name")
    verdict = ScanService(active_scanners(current_app.config)).check(data)
    if verdict.signature:
        qid = storage().isolate(name, data, verdict.signature)
        return {"error": "infected", "signature": verdict.signature, "quarantine_id": qid, "scanned_by": verdict.scanned_by}, 422
    storage().keep(name, data)
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "scanned_by": verdict.scanned_by}, 201


@bp.get("/files")
def listing():
    return {"files": sorted(n for n in os.listdir(storage().clean) if not n.startswith("."))}


@bp.get("/files/<path:name>")
def download(name):
    return send_from_directory(storage().clean, name)


@bp.get("/quarantine")
def quarantine():
    return {"items": storage().quarantined()}
