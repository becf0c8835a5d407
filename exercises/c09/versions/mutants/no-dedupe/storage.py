"""Content-addressed, versioned file storage.

blobs/<sha256>      the bytes of one content, stored once whatever how many versions use it
index/<name>.json   {"next": <next version number>, "versions": [{"version", "sha256", "size"}, ...]}

Writes go to a temporary file and are renamed into place (atomic). One lock serialises the
changes of this process; several processes would need a file lock or a database."""
import hashlib
import json
import os
import threading
import uuid

_lock = threading.Lock()
BLOCK = 64 * 1024


class VersionStore:
    def __init__(self, root):
        self.blobs = os.path.join(root, "blobs")
        self.index = os.path.join(root, "index")
        os.makedirs(self.blobs, exist_ok=True)
        os.makedirs(self.index, exist_ok=True)

    # -- helpers -------------------------------------------------------------------------
    def _write_atomic(self, path, data):
        tmp = "%s.%s.tmp" % (path, uuid.uuid4().hex)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def _index_path(self, name):
        return os.path.join(self.index, name + ".json")

    def _load(self, name):
        try:
            with open(self._index_path(name)) as f:
                return json.load(f)
        except FileNotFoundError:
            return {"next": 1, "versions": []}

    def _save(self, name, record):
        self._write_atomic(self._index_path(name), json.dumps(record).encode())

    def _referenced(self, sha256):
        for entry in os.listdir(self.index):
            if entry.endswith(".json"):
                with open(os.path.join(self.index, entry)) as f:
                    if any(v["sha256"] == sha256 for v in json.load(f)["versions"]):
                        return True
        return False

    def _collect(self, sha256s):
        for sha256 in set(sha256s):
            if not self._referenced(sha256):
                try:
                    os.remove(os.path.join(self.blobs, sha256))
                except FileNotFoundError:
                    pass

    def _add(self, name, sha256, size, key=None):
        record = self._load(name)
        version = {"version": record["next"], "sha256": sha256, "size": size, "key": key}
        record["versions"].append(version)
        record["next"] += 1
        self._save(name, record)
        return version

    # -- API -----------------------------------------------------------------------------
    def put(self, name, data):
        sha256 = hashlib.sha256(data).hexdigest()
        with _lock:
            key = uuid.uuid4().hex  # BUG: one blob per upload, identical content stored again
            self._write_atomic(os.path.join(self.blobs, key), data)
            return self._add(name, sha256, len(data), key)

    def versions(self, name):
        return self._load(name)["versions"]

    def find(self, name, version=None):
        versions = self.versions(name)
        if version is None:
            return versions[-1] if versions else None
        return next((v for v in versions if v["version"] == version), None)

    def blob_path(self, sha256):
        for entry in os.listdir(self.index):
            with open(os.path.join(self.index, entry)) as f:
                for v in json.load(f)["versions"]:
                    if v["sha256"] == sha256:
                        return os.path.join(self.blobs, v["key"])
        return os.path.join(self.blobs, sha256)

    def restore(self, name, version):
        with _lock:
            old = self.find(name, version)
            if old is None:
                return None
            return self._add(name, old["sha256"], old["size"], old["key"])

    def delete(self, name, numbers):
        with _lock:
            record = self._load(name)
            gone = [v for v in record["versions"] if v["version"] in numbers]
            record["versions"] = [v for v in record["versions"] if v["version"] not in numbers]
            self._save(name, record)
            for v in gone:
                if not any(o["key"] == v["key"] for o in record["versions"]):
                    os.remove(os.path.join(self.blobs, v["key"]))
            return [v["version"] for v in gone]
