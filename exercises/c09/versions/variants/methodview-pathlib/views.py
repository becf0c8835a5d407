"""MethodViews over a Repository that keeps ONE catalogue file (catalogue.json: name -> counter
and versions) and blobs named <sha256>.blob, with pathlib."""
import hashlib
import json
import threading
from pathlib import Path

from flask import abort, current_app, request, send_file
from flask.views import MethodView
from werkzeug.utils import secure_filename

LOCK = threading.Lock()


class Repository:
    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.catalogue_path = self.root / "catalogue.json"

    def catalogue(self):
        return json.loads(self.catalogue_path.read_text()) if self.catalogue_path.exists() else {}

    def save(self, cat):
        tmp = self.catalogue_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cat))
        tmp.replace(self.catalogue_path)

    def blob(self, sha):
        return self.root / (sha + ".blob")

    def entry(self, name):
        if not name or secure_filename(name) != name:
            abort(404)
        item = self.catalogue().get(name)
        if not item or not item["versions"]:
            abort(404)
        return item

    def version(self, name, number=None):
        versions = self.entry(name)["versions"]
        if number is None:
            return versions[-1]
        for v in versions:
            if v["version"] == number:
                return v
        abort(404)

    def add(self, name, sha, size):
        with LOCK:
            cat = self.catalogue()
            item = cat.setdefault(name, {"counter": 0, "versions": []})
            item["counter"] += 1
            v = {"version": item["counter"], "sha256": sha, "size": size}
            item["versions"].append(v)
            self.save(cat)
            return v

    def drop(self, name, numbers):
        with LOCK:
            cat = self.catalogue()
            item = cat[name]
            removed = [v for v in item["versions"] if v["version"] in numbers]
            item["versions"] = [v for v in item["versions"] if v["version"] not in numbers]
            self.save(cat)
            used = {v["sha256"] for i in cat.values() for v in i["versions"]}
            for v in removed:
                if v["sha256"] not in used and self.blob(v["sha256"]).exists():
                    self.blob(v["sha256"]).unlink()
            return sorted(v["version"] for v in removed)


def repo():
    return Repository(current_app.config["UPLOAD_FOLDER"])


def out(name, v):
    return {"name": name, **v}


class Files(MethodView):
    def post(self):
        f = request.files.get("file")
        name = secure_filename(f.filename) if f is not None and f.filename else ""
        if not name:
            abort(400, description="file with a usable name required")
        data = f.read()
        sha = hashlib.sha256(data).hexdigest()
        r = repo()
        if not r.blob(sha).exists():
            r.blob(sha).write_bytes(data)
        return out(name, r.add(name, sha, len(data))), 201


class Latest(MethodView):
    def get(self, name):
        return send_file(repo().blob(repo().version(name)["sha256"]), mimetype="application/octet-stream")


class Versions(MethodView):
    def get(self, name):
        return {"name": name, "versions": repo().entry(name)["versions"]}

    def delete(self, name):
        keep = request.args.get("keep", "")
        if not (keep.isdigit() and int(keep) >= 1):
            abort(400, description="keep must be >= 1")
        versions = repo().entry(name)["versions"]
        old = {v["version"] for v in versions[: max(0, len(versions) - int(keep))]}
        return {"deleted": repo().drop(name, old) if old else []}


class Version(MethodView):
    def get(self, name, number):
        return send_file(repo().blob(repo().version(name, number)["sha256"]), mimetype="application/octet-stream")

    def delete(self, name, number):
        repo().version(name, number)
        repo().drop(name, {number})
        return "", 204


class Restore(MethodView):
    def post(self, name, number):
        v = repo().version(name, number)
        return out(name, repo().add(name, v["sha256"], v["size"])), 201


def register(app):
    app.add_url_rule("/api/files", view_func=Files.as_view("files"))
    app.add_url_rule("/api/files/<name>", view_func=Latest.as_view("latest"))
    app.add_url_rule("/api/files/<name>/versions", view_func=Versions.as_view("versions"))
    app.add_url_rule("/api/files/<name>/versions/<int:number>", view_func=Version.as_view("version"))
    app.add_url_rule("/api/files/<name>/versions/<int:number>/restore", view_func=Restore.as_view("restore"))
