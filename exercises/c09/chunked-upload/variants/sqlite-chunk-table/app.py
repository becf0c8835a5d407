"""Factory; the upload state is in SQLite (raw sqlite3, file in UPLOAD_FOLDER/.incoming): one row
per upload and one row per received chunk interval; coverage is computed from the intervals."""
import hashlib
import os
import secrets
import sqlite3
import string

from flask import Flask, current_app, g, jsonify, request
from werkzeug.utils import secure_filename

HEX = set(string.hexdigits)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"), MAX_UPLOAD_SIZE=50 * 2**20)
    app.config.update(test_config or {})
    os.makedirs(os.path.join(app.config["UPLOAD_FOLDER"], ".incoming"), exist_ok=True)
    app.teardown_appcontext(close_db)
    register(app)
    return app


def incoming(*parts):
    return os.path.join(current_app.config["UPLOAD_FOLDER"], ".incoming", *parts)


def db():
    if "db" not in g:
        g.db = sqlite3.connect(incoming("uploads.sqlite3"))
        g.db.executescript(
            "CREATE TABLE IF NOT EXISTS upload (id TEXT PRIMARY KEY, filename TEXT, size INTEGER, sha256 TEXT);"
            "CREATE TABLE IF NOT EXISTS chunk (upload_id TEXT, start INTEGER, stop INTEGER);"
        )
    return g.db


def close_db(exc=None):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def error(message, status, **extra):
    return jsonify(error=message, **extra), status


def find(upload_id):
    return db().execute("SELECT id, filename, size, sha256 FROM upload WHERE id = ?", (upload_id,)).fetchone()


def progress(row):
    upload_id, filename, size, _ = row
    received, missing, pos = 0, [], 0
    for start, stop in db().execute("SELECT start, stop FROM chunk WHERE upload_id = ? ORDER BY start", (upload_id,)):
        if start > pos:
            missing.append([pos, start - 1])
        if stop > pos:
            received += stop - max(start, pos)
            pos = stop
    if pos < size:
        missing.append([pos, size - 1])
    return {"id": upload_id, "filename": filename, "size": size, "received": received, "missing": missing}


def register(app):
    @app.post("/api/uploads")
    def open_upload():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return error("JSON object expected", 400)
        name = secure_filename(data["filename"]) if isinstance(data.get("filename"), str) else ""
        size, checksum = data.get("size"), data.get("sha256")
        if not name or isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            return error("filename and a positive integer size are required", 400)
        if not isinstance(checksum, str) or len(checksum) != 64 or not set(checksum) <= HEX:
            return error("sha256 must be 64 hex digits", 400)
        if size > current_app.config["MAX_UPLOAD_SIZE"]:
            return error("file too large", 413)
        upload_id = secrets.token_hex(16)
        with open(incoming(upload_id), "wb") as f:
            f.truncate(size)
        db().execute("INSERT INTO upload VALUES (?, ?, ?, ?)", (upload_id, name, size, checksum.lower()))
        db().commit()
        return progress(find(upload_id)), 201

    @app.get("/api/uploads/<upload_id>")
    def status(upload_id):
        row = find(upload_id)
        return progress(row) if row else error("no such upload", 404)

    @app.put("/api/uploads/<upload_id>/chunks")
    def chunk(upload_id):
        row = find(upload_id)
        if not row:
            return error("no such upload", 404)
        offset = request.args.get("offset", "")
        body = request.get_data()
        if not (offset.isascii() and offset.isdigit()):
            return error("offset must be an integer >= 0", 400)
        if not body or int(offset) + len(body) > row[2]:
            return error("empty chunk, or past the declared size", 400)
        start = int(offset)
        with open(incoming(upload_id), "r+b") as f:
            f.seek(start)
            f.write(body)
        db().execute("INSERT INTO chunk VALUES (?, ?, ?)", (upload_id, start, start + len(body)))
        db().commit()
        return progress(row)

    @app.post("/api/uploads/<upload_id>/complete")
    def complete(upload_id):
        row = find(upload_id)
        if not row:
            return error("no such upload", 404)
        state = progress(row)
        if state["missing"]:
            return error("bytes missing", 409, missing=state["missing"])
        with open(incoming(upload_id), "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest() if hasattr(hashlib, "file_digest") else hashlib.sha256(f.read()).hexdigest()
        db().execute("DELETE FROM chunk WHERE upload_id = ?", (upload_id,))
        db().execute("DELETE FROM upload WHERE id = ?", (upload_id,))
        db().commit()
        if digest != row[3]:
            os.remove(incoming(upload_id))
            return error("sha256 does not match", 422)
        os.replace(incoming(upload_id), os.path.join(current_app.config["UPLOAD_FOLDER"], row[1]))
        return {"name": row[1], "size": row[2], "sha256": row[3]}, 201
