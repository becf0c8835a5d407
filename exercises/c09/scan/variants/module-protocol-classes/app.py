"""Module-level app, one file: scanners are plain functions wrapped in a small registry, clamd
spoken with a unix-style length-prefixed stream over TCP, storage through pathlib."""
import hashlib
import json
import os
import socket
import struct
import uuid
from pathlib import Path

from flask import Flask, abort, jsonify, request, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join
from werkzeug.utils import secure_filename

app = Flask(__name__, instance_relative_config=True)
app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "files"))
app.config.setdefault("CLAMD_ADDRESS", None)
app.config.setdefault("SCANNERS", None)

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FunctionScanner:
    def __init__(self, name, fn):
        self.name, self.scan = name, fn


def eicar(data):
    return "Eicar-Test-Signature" if data.find(EICAR) >= 0 else None


def clamd_talk(address, payload):
    with socket.create_connection(address, timeout=1) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            part = s.recv(4096)
            if not part:
                break
            chunks.append(part)
            if part.endswith(b"\0"):
                break
    return b"".join(chunks).rstrip(b"\0").decode()


def clamd_scanner(address):
    try:
        if clamd_talk(address, b"zPING\0") != "PONG":
            return None
    except OSError:
        return None

    def scan(data):
        body = b"zINSTREAM\0" + struct.pack(">I", len(data)) + data + struct.pack(">I", 0)
        answer = clamd_talk(address, body)
        return answer.split(": ", 1)[-1][:-6] if answer.endswith(" FOUND") else None

    return FunctionScanner("clamd", scan)


def scanners():
    if app.config["SCANNERS"] is not None:
        return app.config["SCANNERS"]
    found = [FunctionScanner("eicar", eicar)]
    if app.config["CLAMD_ADDRESS"]:
        clamd = clamd_scanner(tuple(app.config["CLAMD_ADDRESS"]))
        if clamd:
            found.append(clamd)
    return found


def area(name):
    path = Path(app.config["UPLOAD_FOLDER"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


@app.route("/api/files", methods=["POST"])
def upload():
    f = request.files.get("file")
    name = secure_filename(f.filename or "") if f else ""
    data = f.read() if f else b""
    if not f or not name or not data:
        return jsonify(error="a non-empty file with a usable name is required"), 400
    names = []
    for scanner in scanners():
        try:
            signature = scanner.scan(data)
        except OSError:
            continue
        names.append(scanner.name)
        if signature:
            qid = uuid.uuid4().hex
            (area("quarantine") / qid).write_bytes(data)
            (area("quarantine") / (qid + ".meta")).write_text(json.dumps(
                {"id": qid, "filename": name, "signature": signature, "size": len(data)}))
            return jsonify(error="infected upload refused", signature=signature, quarantine_id=qid, scanned_by=names), 422
    (area("store") / name).write_bytes(data)
    return jsonify(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), scanned_by=names), 201


@app.route("/api/files")
def index():
    return jsonify(files=sorted(p.name for p in area("store").iterdir()))


@app.route("/api/files/<path:name>")
def fetch(name):
    path = safe_join(str(area("store")), name)
    if path is None or not os.path.isfile(path):
        abort(404)
    return send_file(path, as_attachment=True, download_name=os.path.basename(path))


@app.route("/api/quarantine")
def quarantined():
    return jsonify(items=[json.loads(p.read_text()) for p in area("quarantine").glob("*.meta")])


@app.errorhandler(HTTPException)
def on_error(e):
    return jsonify(error=e.description), e.code
