"""Module-level app; the versions in SQLite (raw sqlite3, a version table with a per-name counter
table), the blobs in a git-like fan-out folder objects/ab/cdef...; unused blobs found by query."""
import hashlib
import os
import sqlite3

from flask import Flask, Response, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.utils import secure_filename

app = Flask(__name__, instance_relative_config=True)
app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "files"))
app.config.setdefault("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)

SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS version (name TEXT NOT NULL, number INTEGER NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, PRIMARY KEY (name, number));
"""


def db():
    if "db" not in g:
        os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
        g.db = sqlite3.connect(os.path.join(app.config["UPLOAD_FOLDER"], "versions.sqlite3"))
        g.db.executescript(SCHEMA)
    return g.db


@app.teardown_appcontext
def close(exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def blob(sha):
    return os.path.join(app.config["UPLOAD_FOLDER"], "objects", sha[:2], sha[2:])


def valid(name):
    if not name or secure_filename(name) != name:
        abort(404, description="no such file")
    return name


def add_version(conn, name, sha, size):
    conn.execute("INSERT INTO counter VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET last = last + 1", (name,))
    (number,) = conn.execute("SELECT last FROM counter WHERE name = ?", (name,)).fetchone()
    conn.execute("INSERT INTO version VALUES (?, ?, ?, ?)", (name, number, sha, size))
    conn.commit()
    return {"name": name, "version": number, "sha256": sha, "size": size}


def get_version(name, number=None):
    sql = "SELECT number, sha256, size FROM version WHERE name = ?"
    args = [valid(name)]
    if number is None:
        sql += " ORDER BY number DESC LIMIT 1"
    else:
        sql += " AND number = ?"
        args.append(number)
    row = db().execute(sql, args).fetchone()
    if row is None:
        abort(404, description="no such file or version")
    return row


def remove(name, numbers):
    conn = db()
    shas = set()
    for number in numbers:
        row = conn.execute("SELECT sha256 FROM version WHERE name = ? AND number = ?", (name, number)).fetchone()
        if row:
            shas.add(row[0])
    conn.executemany("DELETE FROM version WHERE name = ? AND number = ?", [(name, n) for n in numbers])
    conn.commit()
    for sha in shas:
        if conn.execute("SELECT 1 FROM version WHERE sha256 = ?", (sha,)).fetchone() is None:
            os.remove(blob(sha))


def send(sha):
    with open(blob(sha), "rb") as f:
        return Response(f.read(), mimetype="application/octet-stream")


@app.post("/api/files")
def upload():
    f = request.files.get("file")
    name = secure_filename(f.filename or "") if f is not None else ""
    if not name:
        return jsonify(error="a file with a usable name is required"), 400
    data = f.read()
    sha = hashlib.sha256(data).hexdigest()
    if not os.path.exists(blob(sha)):
        os.makedirs(os.path.dirname(blob(sha)), exist_ok=True)
        tmp = blob(sha) + ".tmp"
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, blob(sha))
    return jsonify(add_version(db(), name, sha, len(data))), 201


@app.get("/api/files/<name>")
def latest(name):
    return send(get_version(name)[1])


@app.get("/api/files/<name>/versions")
def listing(name):
    rows = db().execute("SELECT number, sha256, size FROM version WHERE name = ? ORDER BY number", (valid(name),)).fetchall()
    if not rows:
        abort(404, description="no such file")
    return jsonify(name=name, versions=[{"version": n, "sha256": s, "size": z} for n, s, z in rows])


@app.get("/api/files/<name>/versions/<int:number>")
def one(name, number):
    return send(get_version(name, number)[1])


@app.post("/api/files/<name>/versions/<int:number>/restore")
def restore(name, number):
    _, sha, size = get_version(name, number)
    return jsonify(add_version(db(), name, sha, size)), 201


@app.delete("/api/files/<name>/versions/<int:number>")
def delete_one(name, number):
    get_version(name, number)
    remove(name, [number])
    return "", 204


@app.delete("/api/files/<name>/versions")
def prune(name):
    keep = request.args.get("keep", "")
    if not keep.isdigit() or int(keep) == 0:
        return jsonify(error="keep must be >= 1"), 400
    numbers = [r[0] for r in db().execute("SELECT number FROM version WHERE name = ? ORDER BY number", (valid(name),))]
    if not numbers:
        abort(404, description="no such file")
    old = numbers[:-int(keep)] if len(numbers) > int(keep) else []
    if old:
        remove(name, old)
    return jsonify(deleted=old)


@app.errorhandler(HTTPException)
def error(e):
    return jsonify(error=e.description), e.code
