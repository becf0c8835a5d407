"""c09 demo: a file processing service, every pattern of the chapter in one Flask-RESTX app.

- Uploads: POST /api/files (multipart, one request) or a resumable chunked upload (POST /api/uploads,
  PUT /api/uploads/<id>/chunks?offset=N in any order, GET for what is missing, POST .../complete, which
  checks the SHA-256). The size limit is MAX_CONTENT_LENGTH (one request) and MAX_UPLOAD_SIZE (a whole
  chunked file); names go through secure_filename.
- Scanning: every file is scanned before it is stored: the EICAR test signature always, ClamAV too when
  CLAMD_ADDRESS (host:port) is set and clamd answers PING. An infected file answers 422 and goes to a
  quarantine that nothing serves (GET /api/quarantine lists it).
- Versioned, content-addressed storage behind a storage adapter: the bytes live once under their
  SHA-256 (blobs/<sha256>), each name has a list of versions pointing at blobs; restore adds a version,
  delete removes one and the blob when no version uses it any more. LocalStorage is the adapter here; an
  S3 adapter has the same methods (README.md) and hands out presigned URLs, which GET /api/files/<name>/link
  imitates with an HMAC-signed, expiring link.
- Downloads are streamed with Range (206, Content-Range, 416), ETag (the SHA-256) and If-None-Match (304).
- Images: POST /api/images accepts JPEG and PNG by content (Pillow), refuses more than MAX_IMAGE_PIXELS
  before decoding, applies the EXIF orientation, strips metadata and stores small and medium thumbnails.
- Conversions: POST /api/conversions converts CSV to JSON or HTML, JSON to CSV and text to HTML, the
  source confirmed by the content, the answer streamed as a download; GET /api/conversions/formats.

Everything is stored under STORAGE_DIR (default: a new temporary folder for every start, printed on stderr).

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import csv
import hashlib
import hmac
import html
import io
import json
import os
import re
import socket
import struct
import sys
import tempfile
import threading
import time
import uuid
import warnings

from flask import Flask, current_app, request, send_file, url_for
from flask_restx import Api, Namespace, Resource, abort, fields, reqparse
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

# ---------------------------------------------------------------- the storage adapter


class LocalStorage:
    """Versioned, content-addressed storage in a local folder.

    blobs/<sha256>        the bytes, written once per content
    index/<name>.json     {"next": n, "versions": [{"version", "sha256", "size", "created"}]}
    quarantine/<id>       infected uploads, kept for analysis and served by nothing
    incoming/<id>         chunked uploads being assembled

    An S3 adapter keeps the same methods: put_object for a blob (key = the sha256), the index as small
    JSON objects or database rows, and generate_presigned_url instead of link()."""

    def __init__(self, root):
        self.root = root
        for sub in ("blobs", "index", "quarantine", "incoming", "images"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        self.lock = threading.Lock()

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def blob_path(self, sha256):
        return self.path("blobs", sha256)

    def _load(self, name):
        try:
            with open(self.path("index", name + ".json"), encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return {"next": 1, "versions": []}

    def _save(self, name, record):
        tmp = self.path("index", name + ".json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(tmp, self.path("index", name + ".json"))

    def put(self, name, data):
        sha256 = hashlib.sha256(data).hexdigest()
        with self.lock:
            if not os.path.exists(self.blob_path(sha256)):
                tmp = self.blob_path(sha256) + "." + uuid.uuid4().hex
                with open(tmp, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.blob_path(sha256))
            record = self._load(name)
            version = {"version": record["next"], "sha256": sha256, "size": len(data), "created": int(time.time())}
            record["versions"].append(version)
            record["next"] += 1
            self._save(name, record)
        return version

    def names(self):
        return sorted(n[:-5] for n in os.listdir(self.path("index")) if n.endswith(".json"))

    def versions(self, name):
        return self._load(name)["versions"]

    def version(self, name, number=None):
        versions = self.versions(name)
        if number is None:
            return versions[-1] if versions else None
        return next((v for v in versions if v["version"] == number), None)

    def restore(self, name, number):
        old = self.version(name, number)
        if old is None:
            return None
        with open(self.blob_path(old["sha256"]), "rb") as f:
            return self.put(name, f.read())

    def delete(self, name, number):
        with self.lock:
            record = self._load(name)
            kept = [v for v in record["versions"] if v["version"] != number]
            if len(kept) == len(record["versions"]):
                return False
            gone = {v["sha256"] for v in record["versions"]} - {v["sha256"] for v in kept}
            record["versions"] = kept
            self._save(name, record)
            used = {v["sha256"] for n in self.names() for v in self._load(n)["versions"]}
            for sha256 in gone - used:
                os.remove(self.blob_path(sha256))
        return True

    def quarantine(self, name, data, signature):
        item = {"id": uuid.uuid4().hex, "filename": name, "signature": signature, "size": len(data)}
        with open(self.path("quarantine", item["id"]), "wb") as f:
            f.write(data)
        with open(self.path("quarantine", item["id"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(item, f)
        return item

    def quarantined(self):
        items = []
        for entry in sorted(os.listdir(self.path("quarantine"))):
            if entry.endswith(".json"):
                with open(self.path("quarantine", entry), encoding="utf-8") as f:
                    items.append(json.load(f))
        return items


def storage():
    return current_app.extensions["c09_demo"]["storage"]


# ---------------------------------------------------------------- scanners


class EicarScanner:
    name = "eicar"

    def scan(self, data):
        return "Eicar-Test-Signature" if EICAR in data else None


class ClamdScanner:
    """ClamAV's daemon over TCP: zPING / zINSTREAM with length-prefixed chunks, 1-second timeouts."""
    name = "clamd"

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host or "127.0.0.1", int(port))

    def _command(self, payload):
        with socket.create_connection(self.address, timeout=1.0) as sock:
            sock.sendall(payload)
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
        return reply.rstrip(b"\0").decode("utf-8", "replace")

    def available(self):
        try:
            return self._command(b"zPING\0") == "PONG"
        except OSError:
            return False

    def scan(self, data):
        frames = [b"zINSTREAM\0"]
        for i in range(0, len(data), 65536):
            frames.append(struct.pack("!L", len(data[i:i + 65536])) + data[i:i + 65536])
        reply = self._command(b"".join(frames) + struct.pack("!L", 0))
        return reply.split(": ", 1)[-1][:-len(" FOUND")] if reply.endswith(" FOUND") else None


def active_scanners():
    scanners = [EicarScanner()]
    address = current_app.config["CLAMD_ADDRESS"]
    if address:
        clamd = ClamdScanner(address)
        if clamd.available():
            scanners.append(clamd)
    return scanners


def scan_and_store(name, data):
    """Scan first; store a clean file as a new version, quarantine an infected one (422)."""
    used = []
    for scanner in active_scanners():
        try:
            signature = scanner.scan(data)
        except OSError:
            continue  # clamd went away: the other scanners still ran
        used.append(scanner.name)
        if signature:
            item = storage().quarantine(name, data, signature)
            abort(422, "the file is infected: %s" % signature, signature=signature,
                  quarantine_id=item["id"], scanned_by=used)
    version = storage().put(name, data)
    return dict(version, name=name, scanned_by=used, url=url_for("files_file", name=name))


def checked_name(raw):
    name = secure_filename(raw or "")
    if not name:
        abort(400, "the file needs a name that secure_filename keeps (letters, digits, . _ -)")
    return name


# ---------------------------------------------------------------- files and versions

files_ns = Namespace("files", description="Upload, list, download (Range, ETag), versions, signed links")

upload_parser = reqparse.RequestParser()
upload_parser.add_argument("file", type=FileStorage, location="files", required=True, help="the file")
upload_parser.add_argument("name", location="form", help="store under this name instead of the file's own")

version_model = files_ns.model("Version", {
    "version": fields.Integer, "sha256": fields.String, "size": fields.Integer, "created": fields.Integer,
})


def send_version(name, version):
    """A streamed download: Range -> 206 with Content-Range, ETag = the content's SHA-256 -> 304."""
    response = send_file(storage().blob_path(version["sha256"]), mimetype=guess_type(name), conditional=True,
                         etag=version["sha256"], download_name=name, max_age=0)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["X-File-Version"] = str(version["version"])
    return response


def guess_type(name):
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@files_ns.route("")
class FileList(Resource):
    def get(self):
        """Every stored name with its latest version."""
        return {"files": [dict(storage().version(n), name=n) for n in storage().names() if storage().versions(n)]}

    @files_ns.expect(upload_parser)
    @files_ns.response(201, "stored as a new version")
    @files_ns.response(422, "infected: quarantined, not stored")
    def post(self):
        """Upload a file in one request (multipart): scanned, then stored as the next version of its name."""
        args = upload_parser.parse_args()
        upload = args["file"]
        name = checked_name(args.get("name") or upload.filename)
        data = upload.read()
        if not data:
            abort(400, "the file is empty")
        return scan_and_store(name, data), 201


@files_ns.route("/<string:name>", endpoint="files_file")
class FileItem(Resource):
    @files_ns.produces(["application/octet-stream"])
    def get(self, name):
        """The latest version, streamed (send a Range header for part of it)."""
        version = storage().version(checked_name(name))
        if version is None:
            abort(404, "no file named %s" % name)
        return send_version(name, version)


@files_ns.route("/<string:name>/versions")
class VersionList(Resource):
    @files_ns.marshal_list_with(version_model, envelope="versions")
    def get(self, name):
        """Every version of a name, oldest first."""
        versions = storage().versions(checked_name(name))
        if not versions:
            abort(404, "no file named %s" % name)
        return versions


@files_ns.route("/<string:name>/versions/<int:number>")
class VersionItem(Resource):
    def get(self, name, number):
        """One version's bytes."""
        version = storage().version(checked_name(name), number)
        if version is None:
            abort(404, "no version %d of %s" % (number, name))
        return send_version(name, version)

    def delete(self, name, number):
        """Delete one version; its bytes go when no version of any name uses them."""
        if not storage().delete(checked_name(name), number):
            abort(404, "no version %d of %s" % (number, name))
        return "", 204


@files_ns.route("/<string:name>/versions/<int:number>/restore")
class VersionRestore(Resource):
    def post(self, name, number):
        """Restore an old version: a new version with its content (history is never rewritten)."""
        version = storage().restore(checked_name(name), number)
        if version is None:
            abort(404, "no version %d of %s" % (number, name))
        return dict(version, name=name), 201


link_parser = reqparse.RequestParser()
link_parser.add_argument("expires_in", type=int, location="args", default=300, help="seconds (1-3600)")


def link_signature(name, number, expires):
    message = ("%s\n%d\n%d" % (name, number, expires)).encode()
    return hmac.new(current_app.config["LINK_SECRET"].encode(), message, hashlib.sha256).hexdigest()


@files_ns.route("/<string:name>/link")
class FileLink(Resource):
    @files_ns.expect(link_parser)
    def get(self, name):
        """A signed link to the latest version that expires, like an S3 presigned URL."""
        expires_in = link_parser.parse_args()["expires_in"]
        if not 1 <= expires_in <= 3600:
            abort(400, "expires_in is 1 to 3600 seconds")
        version = storage().version(checked_name(name))
        if version is None:
            abort(404, "no file named %s" % name)
        expires = int(time.time()) + expires_in
        path = url_for("links_link", name=name, v=version["version"], expires=expires,
                       signature=link_signature(name, version["version"], expires))
        return {"url": path, "expires": expires, "version": version["version"]}


links_ns = Namespace("links", description="Downloads through a signed link (what a presigned URL does)")


@links_ns.route("/<string:name>", endpoint="links_link")
class SignedDownload(Resource):
    def get(self, name):
        """Download through a signed link: no account needed, refused once expired or altered (403)."""
        try:
            number, expires = int(request.args["v"]), int(request.args["expires"])
        except (KeyError, ValueError):
            abort(403, "not a signed link")
        given = request.args.get("signature", "")
        if expires < time.time() or not hmac.compare_digest(given, link_signature(name, number, expires)):
            abort(403, "the link expired or was altered")
        version = storage().version(checked_name(name), number)
        if version is None:
            abort(404, "that version is gone")
        return send_version(name, version)


quarantine_ns = Namespace("quarantine", description="Infected uploads, kept for analysis, never served")


@quarantine_ns.route("")
class QuarantineList(Resource):
    def get(self):
        """What the scanners caught, with the scanners in use."""
        return {"items": storage().quarantined(), "scanners": [s.name for s in active_scanners()]}


# ---------------------------------------------------------------- resumable chunked uploads

uploads_ns = Namespace("uploads", description="Resumable uploads: open, send chunks at offsets, complete")

open_model = uploads_ns.model("OpenUpload", {
    "filename": fields.String(required=True, example="chunked.txt"),
    "size": fields.Integer(required=True, example=22),
    "sha256": fields.String(required=True, example="64 hexadecimal characters"),
})
_SHA = re.compile(r"^[0-9a-fA-F]{64}$")


def merged(ranges):
    out = []
    for start, stop in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], stop)
        else:
            out.append([start, stop])
    return out


def upload_state(upload_id):
    upload = current_app.extensions["c09_demo"]["uploads"].get(upload_id)
    if upload is None:
        abort(404, "no open upload %s" % upload_id)
    return upload


def describe(upload_id, upload):
    missing, pos = [], 0
    for start, stop in upload["ranges"]:
        if start > pos:
            missing.append([pos, start - 1])
        pos = stop
    if pos < upload["size"]:
        missing.append([pos, upload["size"] - 1])
    received = sum(stop - start for start, stop in upload["ranges"])
    return {"id": upload_id, "filename": upload["filename"], "size": upload["size"],
            "received": received, "missing": missing}


@uploads_ns.route("")
class UploadOpen(Resource):
    @uploads_ns.expect(open_model)
    @uploads_ns.response(201, "opened")
    def post(self):
        """Open an upload: the server learns the name, the size and the SHA-256."""
        body = request.get_json(silent=True) or {}
        name = checked_name(body.get("filename") if isinstance(body.get("filename"), str) else "")
        size = body.get("size")
        if type(size) is not int or size < 1:
            abort(400, "size is a whole number of bytes, 1 or more")
        if size > current_app.config["MAX_UPLOAD_SIZE"]:
            abort(413, "the file is larger than %d bytes" % current_app.config["MAX_UPLOAD_SIZE"])
        if not isinstance(body.get("sha256"), str) or not _SHA.match(body["sha256"]):
            abort(400, "sha256 is 64 hexadecimal characters")
        upload_id = uuid.uuid4().hex
        path = storage().path("incoming", upload_id)
        with open(path, "wb") as f:
            f.truncate(size)
        upload = {"filename": name, "size": size, "sha256": body["sha256"].lower(), "path": path, "ranges": []}
        current_app.extensions["c09_demo"]["uploads"][upload_id] = upload
        return describe(upload_id, upload), 201


@uploads_ns.route("/<string:upload_id>")
class UploadStatus(Resource):
    def get(self, upload_id):
        """What arrived and which byte ranges (inclusive) are still missing: resume from there."""
        return describe(upload_id, upload_state(upload_id))


@uploads_ns.route("/<string:upload_id>/chunks")
class UploadChunk(Resource):
    @uploads_ns.param("offset", "where the chunk goes, in bytes", _in="query", required=True)
    def put(self, upload_id):
        """Send one chunk (the raw body) at ?offset=N; any order, a resent chunk counts once."""
        upload = upload_state(upload_id)
        offset = request.args.get("offset", "")
        chunk = request.get_data()
        if not offset.isdigit() or not chunk:
            abort(400, "send ?offset=<bytes> and a non-empty body")
        start = int(offset)
        if start + len(chunk) > upload["size"]:
            abort(400, "the chunk ends past the declared size")
        with open(upload["path"], "r+b") as f:
            f.seek(start)
            f.write(chunk)
        upload["ranges"] = merged(upload["ranges"] + [[start, start + len(chunk)]])
        return describe(upload_id, upload)


@uploads_ns.route("/<string:upload_id>/complete")
class UploadComplete(Resource):
    @uploads_ns.response(201, "verified, scanned and stored as a new version")
    @uploads_ns.response(409, "bytes missing")
    @uploads_ns.response(422, "checksum mismatch or infected")
    def post(self, upload_id):
        """Complete: every byte arrived and the SHA-256 matches, then scan and store."""
        upload = upload_state(upload_id)
        state = describe(upload_id, upload)
        if state["missing"]:
            abort(409, "bytes are missing", missing=state["missing"])
        with open(upload["path"], "rb") as f:
            data = f.read()
        uploads = current_app.extensions["c09_demo"]["uploads"]
        if hashlib.sha256(data).hexdigest() != upload["sha256"]:
            uploads.pop(upload_id, None)
            os.remove(upload["path"])
            abort(422, "the SHA-256 does not match: the upload is discarded")
        uploads.pop(upload_id, None)
        os.remove(upload["path"])
        return scan_and_store(upload["filename"], data), 201


# ---------------------------------------------------------------- the image pipeline

images_ns = Namespace("images", description="JPEG/PNG by content, bomb guard, EXIF orientation, thumbnails")
image_parser = reqparse.RequestParser()
image_parser.add_argument("file", type=FileStorage, location="files", required=True, help="a JPEG or PNG")
IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
THUMBS = {"small": 128, "medium": 512}
_ID = re.compile(r"^[0-9a-f]{32}$")


def save_image(image, path, fmt):
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(path, fmt, quality=85) if fmt == "JPEG" else image.save(path, fmt, optimize=True)


@images_ns.route("")
class ImageUpload(Resource):
    @images_ns.expect(image_parser)
    @images_ns.response(201, "stored upright, without metadata, with thumbnails")
    def post(self):
        """Upload an image: Pillow decides what it is, never the name."""
        upload = image_parser.parse_args()["file"]
        limit = current_app.config["MAX_IMAGE_PIXELS"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(upload.stream)
                if image.format not in IMAGE_FORMATS:
                    abort(415, "only JPEG and PNG images")
                if image.width * image.height > limit:
                    abort(413, "more than %d pixels" % limit)
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            abort(413, "too many pixels")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            abort(415, "not a JPEG or PNG image")
        upright = ImageOps.exif_transpose(image)
        upright.info = {}
        image_id = uuid.uuid4().hex
        folder = storage().path("images", image_id)
        os.makedirs(folder)
        ext = IMAGE_FORMATS[image.format][0]
        save_image(upright, os.path.join(folder, "original." + ext), image.format)
        for size, box in THUMBS.items():
            thumb = upright.copy()
            thumb.thumbnail((box, box), Image.Resampling.LANCZOS)
            save_image(thumb, os.path.join(folder, "%s.%s" % (size, ext)), image.format)
        base = "/api/images/" + image_id
        return {"id": image_id, "format": image.format, "width": upright.width, "height": upright.height,
                "urls": {"original": base, "small": base + "/small", "medium": base + "/medium"}}, 201


@images_ns.route("/<string:image_id>", defaults={"size": "original"})
@images_ns.route("/<string:image_id>/<string:size>")
class ImageFile(Resource):
    @images_ns.produces(["image/jpeg", "image/png"])
    def get(self, image_id, size):
        """The stored image (original, small or medium)."""
        if not _ID.match(image_id) or size not in ("original", *THUMBS):
            abort(404, "no such image")
        for ext, mimetype in IMAGE_FORMATS.values():
            path = storage().path("images", image_id, "%s.%s" % (size, ext))
            if os.path.isfile(path):
                return send_file(path, mimetype=mimetype, conditional=True, max_age=0)
        abort(404, "no such image")


# ---------------------------------------------------------------- document conversion

conversions_ns = Namespace("conversions", description="CSV, JSON and text documents converted and streamed back")
convert_parser = reqparse.RequestParser()
convert_parser.add_argument("file", type=FileStorage, location="files", required=True, help="a .csv, .json or .txt")
convert_parser.add_argument("to", location="form", required=True, help="the target format: json, csv or html")
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def as_text(data):
    if b"\0" in data:
        raise Refused(415, "NUL bytes: a binary file, not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(415, "not UTF-8 text") from None


def parse_csv(data):
    try:
        rows = [r for r in csv.reader(io.StringIO(as_text(data), newline=""), strict=True) if r]
    except csv.Error as e:
        raise Refused(415, "not valid CSV: %s" % e) from None
    if not rows or not all(h.strip() for h in rows[0]) or len(set(rows[0])) != len(rows[0]):
        raise Refused(415, "a CSV needs a header of unique, non-empty names")
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise Refused(415, "CSV row %d has %d fields, the header %d" % (n, len(row), len(rows[0])))
    return rows[0], rows[1:]


def parse_json(data):
    try:
        return json.loads(as_text(data))
    except ValueError as e:
        raise Refused(415, "not valid JSON: %s" % e) from None


def page(title, body):
    yield '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>%s</title></head>\n<body>\n' % html.escape(title)
    yield from body
    yield "</body>\n</html>\n"


def csv_to_json(doc, title):
    header, rows = doc
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + json.dumps(dict(zip(header, row)), ensure_ascii=False)
    yield "]"


def csv_to_html(doc, title):
    header, rows = doc

    def table():
        yield "<table>\n<tr>%s</tr>\n" % "".join("<th>%s</th>" % html.escape(h) for h in header)
        for row in rows:
            yield "<tr>%s</tr>\n" % "".join("<td>%s</td>" % html.escape(v) for v in row)
        yield "</table>\n"

    return page(title, table())


def json_to_csv(doc, title):
    if not isinstance(doc, list) or not all(isinstance(o, dict) for o in doc):
        raise Refused(422, "only a JSON array of objects becomes CSV")
    columns = list(dict.fromkeys(k for o in doc for k in o))

    def cell(v):
        return "" if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in [columns] + [[cell(o.get(k)) for k in columns] for o in doc]:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    return rows()


def txt_to_html(text, title):
    def paragraphs():
        lines = []
        for line in text.splitlines() + [""]:
            if line.strip():
                lines.append(html.escape(line))
            elif lines:
                yield "<p>%s</p>\n" % "<br>\n".join(lines)
                lines = []

    return page(title, paragraphs())


PARSERS = {"csv": parse_csv, "json": parse_json, "txt": as_text}
CONVERTERS = {("csv", "json"): csv_to_json, ("csv", "html"): csv_to_html,
              ("json", "csv"): json_to_csv, ("txt", "html"): txt_to_html}


def matrix():
    table = {}
    for source, target in sorted(CONVERTERS):
        table.setdefault(source, []).append(target)
    return table


@conversions_ns.route("/formats")
class ConversionFormats(Resource):
    def get(self):
        """Which source converts to which targets, and the largest document accepted."""
        return {"conversions": matrix(), "max_bytes": current_app.config["MAX_CONTENT_LENGTH"]}


@conversions_ns.route("")
class Conversion(Resource):
    @conversions_ns.expect(convert_parser)
    @conversions_ns.produces(["application/json", "text/csv", "text/html"])
    def post(self):
        """Convert a document: the extension claims the source format, the content must confirm it."""
        args = convert_parser.parse_args()
        upload, target = args["file"], args["to"]
        data = upload.read()
        if not data:
            abort(400, "the file is empty")
        source = os.path.splitext(upload.filename or "")[1].lower().lstrip(".")
        try:
            if source not in PARSERS:
                raise Refused(415, "send a .csv, .json or .txt document")
            document = PARSERS[source](data)
            converter = CONVERTERS.get((source, target))
            if converter is None:
                raise Refused(422, "%s does not convert to %s" % (source, target))
            name = "%s.%s" % (os.path.splitext(secure_filename(upload.filename))[0] or "document", target)
            pieces = converter(document, name)  # json_to_csv checks the shape before it returns
        except Refused as e:
            abort(e.status, str(e), conversions=matrix())
        response = current_app.response_class((p.encode("utf-8") for p in pieces), content_type=MEDIA_TYPES[target])
        response.headers.set("Content-Disposition", "attachment", filename=name)
        return response


# ---------------------------------------------------------------- the app


def create_app():
    app = Flask(__name__)
    root = os.environ.get("STORAGE_DIR") or tempfile.mkdtemp(prefix="c09demo-")
    app.config.update(
        STORAGE_DIR=root,
        MAX_CONTENT_LENGTH=int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),  # one request
        MAX_UPLOAD_SIZE=int(os.environ.get("MAX_UPLOAD_SIZE", str(1024 * 1024 * 1024))),  # a chunked file
        MAX_IMAGE_PIXELS=int(os.environ.get("MAX_IMAGE_PIXELS", "40000000")),
        CLAMD_ADDRESS=os.environ.get("CLAMD_ADDRESS", ""),  # e.g. 127.0.0.1:3310
        LINK_SECRET=os.environ.get("LINK_SECRET") or os.urandom(16).hex(),
        RESTX_MASK_SWAGGER=False,
        RESTX_ERROR_404_HELP=False,
    )
    app.extensions["c09_demo"] = {"storage": LocalStorage(root), "uploads": {}}
    print("c09 demo: files are stored under %s" % root, file=sys.stderr)

    api = Api(app, version="1.0", title="c09 demo: a file processing service", doc="/swagger",
              description="Upload (in one request or in chunks), scan, version, stream with Range, make "
                          "thumbnails and convert documents. Try `POST /api/files`, then `GET /api/files/<name>` "
                          "with a `Range: bytes=0-9` header.")
    api.add_namespace(files_ns, path="/api/files")
    api.add_namespace(uploads_ns, path="/api/uploads")
    api.add_namespace(images_ns, path="/api/images")
    api.add_namespace(conversions_ns, path="/api/conversions")
    api.add_namespace(quarantine_ns, path="/api/quarantine")
    api.add_namespace(links_ns, path="/api/links")

    @app.get("/")
    def index():
        return {"service": "c09 file processing demo", "swagger": "/swagger"}

    return app


app = create_app()
