"""A module-level app whose download view does it by hand: it parses Range itself, seeks and
streams the file in 64 KiB blocks from a generator, and computes a strong ETag from the file's
sha256 (cached by mtime and size)."""
import hashlib
import os
import re

from flask import Flask, Response, abort, jsonify, request
from werkzeug.security import safe_join

app = Flask(__name__, instance_relative_config=True)
app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "files"))
os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

BLOCK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_etags = {}  # path -> ((mtime_ns, size), etag)


def etag_of(path, st):
    key = (st.st_mtime_ns, st.st_size)
    cached = _etags.get(path)
    if cached and cached[0] == key:
        return cached[1]
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            digest.update(block)
    etag = '"%s"' % digest.hexdigest()
    _etags[path] = (key, etag)
    return etag


def parse_range(header, size):
    """(start, end inclusive) for one satisfiable byte range, else None."""
    match = _RANGE.match(header.replace(" ", ""))
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # suffix: the last n bytes
        n = int(last)
        if n == 0 or n > size:
            return None
        return size - n, size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


def stream(path, start, length):
    with open(path, "rb") as f:
        f.seek(start)
        while length > 0:
            block = f.read(min(BLOCK, length))
            if not block:
                break
            length -= len(block)
            yield block


def not_satisfiable(size):
    response = jsonify(error="range not satisfiable")
    response.status_code = 416
    response.headers["Content-Range"] = "bytes */%d" % size
    return response


@app.get("/api/files")
def list_files():
    folder = app.config["UPLOAD_FOLDER"]
    files = [{"name": e.name, "size": e.stat().st_size} for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    return {"files": sorted(files, key=lambda f: f["name"])}


@app.get("/api/files/<path:name>")
def download(name):
    path = safe_join(app.config["UPLOAD_FOLDER"], name)
    if path is None or not os.path.isfile(path):
        abort(404)
    st = os.stat(path)
    size = st.st_size
    etag = etag_of(path, st)
    headers = {"Accept-Ranges": "bytes", "ETag": etag}
    header = request.headers.get("Range")
    if header is None:
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=304, headers=headers)
        headers["Content-Length"] = str(size)
        return Response(stream(path, 0, size), 200, headers=headers, mimetype="application/octet-stream")
    rng = parse_range(header, size)
    if rng is None:
        return not_satisfiable(size)
    start, end = rng
    headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, size)
    headers["Content-Length"] = str(end - start + 1)
    return Response(stream(path, start, end - start + 1), 206, headers=headers, mimetype="application/octet-stream")


@app.errorhandler(404)
def not_found(error):
    return {"error": "no such file"}, 404
